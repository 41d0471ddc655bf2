package io.cxlake.jobs.maintain;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of one maintain run.
 *
 * @param catalog the warehouse
 * @param asOf the day the retention windows end on; snapshots after it are left alone
 * @param retention which snapshots to remove ({@code retention.daily-snapshots-days},
 *     {@code retention.monthly-snapshots-months})
 * @param vacuumRetentionHours VACUUM keeps the files a version of the last this many hours reads
 *     ({@code retention.vacuum-retention-hours}, at least 1)
 * @param keepTables snapshot tables whose every snapshot is kept besides the ones jobs read back
 *     ({@code retention.keep-tables})
 */
public record MaintainConfig(TableCatalog catalog, AsOf asOf, SnapshotRetention retention, int vacuumRetentionHours,
    Set<String> keepTables) {
  public MaintainConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(retention, "retention");
    if (vacuumRetentionHours < 1) {
      throw new IllegalArgumentException(
          "Cannot configure retention.vacuum-retention-hours: must be at least 1 (" + vacuumRetentionHours + ")");
    }
    Set<String> snapshots = new TreeSet<>(TableCatalog.all().stream().filter(TableSpec::isSnapshot)
        .map(TableSpec::name).toList());
    for (String name : keepTables) {
      if (!snapshots.contains(name)) {
        throw new IllegalArgumentException("Cannot configure retention.keep-tables: not a snapshot table (" + name
            + "); snapshot tables: " + String.join(", ", snapshots));
      }
    }
    keepTables = Set.copyOf(keepTables);
  }

  /**
   * Reads the {@code retention.*} keys. The daily window must cover {@code churn.clv-max-age-days},
   * the oldest clv_predictions snapshot churn-score reads.
   */
  public static MaintainConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    int dailyDays = config.getInt("retention.daily-snapshots-days");
    int clvMaxAge = config.getInt("churn.clv-max-age-days");
    if (dailyDays <= clvMaxAge) {
      throw new IllegalArgumentException("Cannot configure retention.daily-snapshots-days: churn-score reads"
          + " clv_predictions up to churn.clv-max-age-days = " + clvMaxAge + " days old, so keep more days ("
          + dailyDays + ")");
    }
    List<String> keep = config.getStringList("retention.keep-tables");
    return new MaintainConfig(catalog, asOf,
        new SnapshotRetention(dailyDays, config.getInt("retention.monthly-snapshots-months")),
        config.getInt("retention.vacuum-retention-hours"), Set.copyOf(keep));
  }
}
