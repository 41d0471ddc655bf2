package io.cxlake.jobs.ingest;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.time.AsOf;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
public record IngestConfig(
    String landing,
    TableCatalog catalog,
    AsOf asOf,
    Instant now,
    int sessionGapMinutes,
    Map<String, SourceSettings> sources) {

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
    return new IngestConfig(landing, catalog, asOf, clock, config.getInt("ingest.session-gap-minutes"), sources);
  }

}
