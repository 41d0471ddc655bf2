package io.cxlake.jobs.maintain;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.spark.Concurrently;
import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code maintain} job of the weekly pipeline, which keeps a day's cost and the warehouse's size
 * from growing with its history. For every table of the warehouse, in turn:
 *
 * <ol>
 *   <li>removes the as-of snapshots the retention policy no longer keeps ({@link SnapshotRetention}),
 *       except in the tables whose past snapshots jobs read back ({@link #HISTORY_TABLES}) and the
 *       ones {@code retention.keep-tables} names;
 *   <li>compacts small files (Delta OPTIMIZE): the daily merges and partition writes leave a few
 *       small files each, and readers pay per file; a snapshot table only up to the as-of day, so a
 *       later day being written meanwhile does not conflict;
 *   <li>VACUUMs the files no version of the last {@code retention.vacuum-retention-hours} reads,
 *       which is what actually frees the space of removed snapshots and rewritten files.
 * </ol>
 *
 * <p>Idempotent: a rerun finds nothing more to remove, nothing to compact and nothing to vacuum.
 * Point-in-time: snapshots after the as-of day are neither removed nor compacted.
 */
public final class MaintainJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "maintain";

  /** Snapshot tables whose every snapshot is kept, and the reason: a job reads their past days. */
  public static final Map<TableSpec, String> HISTORY_TABLES = Map.of(
      NextBestActions.TABLE, "contact caps, cooldowns and campaign_results read past actions",
      Segments.TABLE, "campaign_results reads the RFM segment of every action day",
      ChurnModelMetrics.TABLE, "the champion churn model's metrics may be older than any window",
      ChurnBacktest.TABLE, "the backtest history of the churn models",
      ClvModel.TABLE, "the report reads the newest BG/NBD holdout evaluation, often older than any window");

  private MaintainJob() {}

  /** What retention and compaction did to one table. */
  private record Done(TableSpec table, List<LocalDate> removed, long compacted) {}

  /** Maintains every table of the warehouse and returns the run-log stats. */
  public static RunStats run(SparkSession spark, MaintainConfig config) {
    TableCatalog catalog = config.catalog();
    List<TableSpec> tables = TableCatalog.all().stream().filter(t -> DeltaIO.exists(spark, catalog.path(t))).toList();
    Progress progress = Progress.of(NAME);
    progress.phase("maintaining " + tables.size() + " tables as of " + config.asOf().date());
    // Driver-bound metadata work on most tables: two at a time overlap their planning.
    List<Done> done = Concurrently.map(tables, t -> removeAndCompact(spark, config, t), t -> "maintain " + t.name());
    progress.phase("vacuuming " + tables.size() + " tables (retention " + config.vacuumRetentionHours() + " h)");
    List<Long> vacuumed = DeltaIO.vacuum(spark, tables.stream().map(catalog::path).toList(),
        config.vacuumRetentionHours());

    Map<String, String> details = new LinkedHashMap<>();
    details.put("retention.daily_snapshots_days", String.valueOf(config.retention().dailyDays()));
    details.put("retention.monthly_snapshots_months", String.valueOf(config.retention().monthlyMonths()));
    details.put("retention.vacuum_retention_hours", String.valueOf(config.vacuumRetentionHours()));
    long snapshots = 0;
    long compacted = 0;
    for (Done d : done) {
      if (!d.removed().isEmpty()) {
        details.put(d.table().name() + ".snapshots_removed", String.valueOf(d.removed().size()));
      }
      details.put(d.table().name() + ".files_compacted", String.valueOf(d.compacted()));
      snapshots += d.removed().size();
      compacted += d.compacted();
    }
    for (int i = 0; i < tables.size(); i++) {
      // Unknown where Delta does not log VACUUM (s3a).
      details.put(tables.get(i).name() + ".files_vacuumed", vacuumed.get(i) < 0 ? "unknown"
          : String.valueOf(vacuumed.get(i)));
    }
    return new RunStats(tables.size(), tables.size(), 0, details).withFinding(String.format(Locale.ROOT,
        "maintained %d tables: removed %,d expired snapshots, compacted %,d small files, vacuumed %,d files"
            + " (older than %d h)", tables.size(), snapshots, compacted,
        vacuumed.stream().mapToLong(n -> Math.max(n, 0)).sum(), config.vacuumRetentionHours()));
  }

  private static Done removeAndCompact(SparkSession spark, MaintainConfig config, TableSpec table) {
    String path = config.catalog().path(table);
    List<LocalDate> removed = List.of();
    if (table.isSnapshot() && !HISTORY_TABLES.containsKey(table) && !config.keepTables().contains(table.name())) {
      removed = config.retention().expired(snapshotDates(spark, path), config.asOf().date());
      if (!removed.isEmpty()) {
        // A predicate on the partition column only: Delta removes the files without reading them.
        DeltaTable.forPath(spark, path)
            .delete(col(TableSpec.AS_OF_DATE).isin(removed.stream().map(Date::valueOf).toArray()));
      }
    }
    DeltaOptimizeBuilder optimize = DeltaTable.forPath(spark, path).optimize();
    if (table.isSnapshot()) {
      optimize = optimize.where(TableSpec.AS_OF_DATE + " <= DATE'" + config.asOf().date() + "'");
    }
    Row metrics = optimize.executeCompaction().select("metrics.numFilesRemoved").first();
    return new Done(table, removed, metrics.getLong(0));
  }

  /** The table's as-of dates: one row per day of history, never customer-level data. */
  private static List<LocalDate> snapshotDates(SparkSession spark, String path) {
    return DeltaIO.read(spark, path).select(TableSpec.AS_OF_DATE).distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).toList();
  }
}
