package io.cxlake.jobs.cohorts;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one cohorts run.
 *
 * @param catalog the warehouse
 * @param asOf the as-of date: orders before the end of this day
 * @param grain month or week ({@code cohorts.grain})
 * @param dimensions what cohorts are split by besides the whole base ({@code cohorts.dimensions})
 * @param repeatPurchaseNumbers purchases of the repeat view, 2 = second ({@code cohorts.repeat-purchase-numbers})
 * @param repeatWindowsDays windows after the first purchase ({@code cohorts.repeat-windows-days})
 * @param mergeSameDayOrders one purchase per customer-day in the repeat view ({@code cohorts.merge-same-day-orders})
 * @param revenueRetentionLookbacks periods between base and measured period of NRR/GRR
 *     ({@code cohorts.revenue-retention-lookbacks})
 */
public record CohortsConfig(
    TableCatalog catalog,
    AsOf asOf,
    Grain grain,
    List<String> dimensions,
    List<Integer> repeatPurchaseNumbers,
    List<Integer> repeatWindowsDays,
    boolean mergeSameDayOrders,
    List<Integer> revenueRetentionLookbacks) {

  /** Largest purchase number of the repeat view. */
  public static final int MAX_PURCHASE_NUMBER = 20;
  /** Longest repeat window, in days (ten years). */
  public static final int MAX_WINDOW_DAYS = 3650;
  /** Longest revenue-retention lookback, in periods. */
  public static final int MAX_LOOKBACK = 120;

  public CohortsConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(grain, "grain");
    if (grain == Grain.DAY) {
      throw new IllegalArgumentException("Cannot configure cohorts.grain: expected month or week (day)");
    }
    dimensions = List.copyOf(dimensions);
    repeatPurchaseNumbers = List.copyOf(repeatPurchaseNumbers);
    repeatWindowsDays = List.copyOf(repeatWindowsDays);
    revenueRetentionLookbacks = List.copyOf(revenueRetentionLookbacks);
    for (String d : dimensions) {
      if (!RetentionCohorts.DIMENSIONS.contains(d)) {
        throw new IllegalArgumentException("Cannot configure cohorts.dimensions: expected any of "
            + RetentionCohorts.DIMENSIONS + " (" + d + ")");
      }
    }
    unique("cohorts.dimensions", dimensions);
    check("cohorts.repeat-purchase-numbers", repeatPurchaseNumbers, 2, MAX_PURCHASE_NUMBER);
    check("cohorts.repeat-windows-days", repeatWindowsDays, 1, MAX_WINDOW_DAYS);
    check("cohorts.revenue-retention-lookbacks", revenueRetentionLookbacks, 1, MAX_LOOKBACK);
  }

  private static void check(String key, List<Integer> values, int min, int max) {
    for (int v : values) {
      if (v < min || v > max) {
        throw new IllegalArgumentException("Cannot configure " + key + ": each value must be " + min + "-" + max
            + " (" + v + ")");
      }
    }
    unique(key, values);
  }

  private static void unique(String key, List<?> values) {
    if (new HashSet<>(values).size() != values.size()) {
      throw new IllegalArgumentException("Cannot configure " + key + ": a value is listed twice (" + values + ")");
    }
  }

  /** Builds the config from the effective configuration. */
  public static CohortsConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new CohortsConfig(catalog, asOf,
        Grain.parse("cohorts.grain", config.getString("cohorts.grain")),
        config.getStringList("cohorts.dimensions"),
        config.getIntList("cohorts.repeat-purchase-numbers"),
        config.getIntList("cohorts.repeat-windows-days"),
        config.getBoolean("cohorts.merge-same-day-orders"),
        config.getIntList("cohorts.revenue-retention-lookbacks"));
  }
}
