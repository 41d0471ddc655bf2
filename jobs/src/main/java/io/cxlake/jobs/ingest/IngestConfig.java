package io.cxlake.jobs.ingest;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one ingest run.
 *
 * @param landing landing root (folder or URI) holding one folder per source
 * @param catalog the warehouse
 * @param asOf the run's as-of date (quarantine partition, run log)
 * @param now wall-clock time: timestamps after it are impossible ({@code ingest.now})
 * @param sessionGapMinutes inactivity that ends a derived web session ({@code ingest.session-gap-minutes})
 * @param sources per-source export settings, in ingest order ({@code sources.*})
 * @param maxQuarantineShare a source with a larger share of quarantined rows fails the run
 *     ({@code ingest.max-quarantine-share})
 * @param maxUnitPrice plausible maximum of prices and discounts ({@code ingest.max-unit-price})
 * @param maxQuantity plausible maximum of an order line's quantity ({@code ingest.max-quantity})
 * @param secret secret of the keyed hashes of PII in the quarantine and of the suppression list
 * @param fullRefresh read every source even when its files and dependencies are unchanged since the
 *     last read ({@code ingest --full-refresh})
 */
public record IngestConfig(
    String landing,
    TableCatalog catalog,
    AsOf asOf,
    Instant now,
    int sessionGapMinutes,
    Map<String, SourceSettings> sources,
    double maxQuarantineShare,
    double maxUnitPrice,
    double maxQuantity,
    String secret,
    boolean fullRefresh) {

  public IngestConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(now, "now");
    if (landing == null || landing.isBlank()) {
      throw new IllegalArgumentException("Cannot configure ingest: no landing path (" + landing + ")");
    }
    if (sessionGapMinutes < 1 || sessionGapMinutes > 24 * 60) {
      throw new IllegalArgumentException(
          "Cannot configure ingest.session-gap-minutes: must be 1-1440 (" + sessionGapMinutes + ")");
    }
    if (!(maxQuarantineShare > 0 && maxQuarantineShare <= 1)) {
      throw new IllegalArgumentException(
          "Cannot configure ingest.max-quarantine-share: must be in (0, 1] (" + maxQuarantineShare + ")");
    }
    if (!(maxUnitPrice > 0) || !(maxQuantity > 0)) {
      throw new IllegalArgumentException("Cannot configure ingest.max-unit-price and ingest.max-quantity: must be "
          + "positive (" + maxUnitPrice + ", " + maxQuantity + ")");
    }
    Objects.requireNonNull(secret, "secret");
    sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** Builds the config from the effective configuration and the command line. */
  public static IngestConfig from(CxConfig config, String landing, TableCatalog catalog, AsOf asOf) {
    Map<String, SourceSettings> sources = new LinkedHashMap<>();
    for (SourceContract s : Sources.ALL) {
      sources.put(s.name(), SourceSettings.from(config, s));
    }
    String now = config.getString("ingest.now");
    Instant clock;
    try {
      clock = now.isBlank() ? Instant.now() : Instant.parse(now);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Cannot configure ingest.now: expected an ISO instant such as "
          + "2026-11-23T00:00:00Z (" + now + ")", e);
    }
    return new IngestConfig(landing, catalog, asOf, clock, config.getInt("ingest.session-gap-minutes"), sources,
        config.getDouble("ingest.max-quarantine-share"), config.getDouble("ingest.max-unit-price"),
        config.getDouble("ingest.max-quantity"), PrivacySecret.from(config), false);
  }

  /** The same settings, reading every source ({@code --full-refresh}) or not. */
  public IngestConfig withFullRefresh(boolean all) {
    return new IngestConfig(landing, catalog, asOf, now, sessionGapMinutes, sources, maxQuarantineShare, maxUnitPrice,
        maxQuantity, secret, all);
  }

  /** The plausible maximum of each bounded numeric column of a source. */
  public Map<String, Double> maxValues(SourceContract source) {
    if (source.name().equals(Transactions.CONTRACT.name())) {
      return Map.of(Transactions.UNIT_PRICE, maxUnitPrice, Transactions.DISCOUNT, maxUnitPrice,
          Transactions.QUANTITY, maxQuantity);
    }
    if (source.name().equals(Products.CONTRACT.name())) {
      return Map.of(Products.PRICE, maxUnitPrice);
    }
    return Map.of();
  }

}
