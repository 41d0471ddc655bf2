package io.cxlake.jobs.maintain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.input_file_name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * maintain over a warehouse of two snapshot tables, each day in two files:
 * recommendations, which the policy prunes, and next_best_actions, whose history jobs read.
 */
@ExtendWith(SparkExtension.class)
class MaintainJobTest {
  private static final AsOf AS_OF = AsOf.parse("2026-12-06");
  /** September: an early day and the month's end; October: only an early day; then the window and a later day. */
  private static final List<String> DAYS = List.of("2026-09-15", "2026-09-30", "2026-10-01", "2026-10-10",
      "2026-11-20", "2026-12-06", "2026-12-07");

  private static MaintainConfig config(TableCatalog catalog, Map<String, String> overrides) {
    return MaintainConfig.from(CxConfig.load(Optional.empty(), overrides), catalog, AS_OF);
  }

  /** Two rows a day, one per customer, written by two tasks: two files a day in one commit. */
  private static void writeDays(SparkSession spark, TableSpec table, String path) {
    Fixtures.Builder rows = Fixtures.frame(table.schema());
    for (String day : DAYS) {
      for (String customer : List.of("C1", "C2")) {
        rows.with(TableSpec.AS_OF_DATE, Fixtures.date(day), Recommendations.CUSTOMER_ID, customer);
      }
    }
    DeltaIO.append(spark, rows.build(spark).repartitionByRange(2, col(Recommendations.CUSTOMER_ID)), table, path);
  }

  /** Rows and files per as-of date. */
  private static Map<String, List<Long>> layout(SparkSession spark, String path) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Row r : DeltaIO.read(spark, path).withColumn("_file", input_file_name()).groupBy(TableSpec.AS_OF_DATE)
        .agg(org.apache.spark.sql.functions.count("*"), countDistinct(col("_file"))).collectAsList()) {
      out.put(r.getDate(0).toString(), List.of(r.getLong(1), r.getLong(2)));
    }
    return out;
  }

  @Test
  void removesExpiredSnapshotsKeepsHistoryTablesAndCompactsUpToTheAsOfDay(SparkSession spark,
      @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    String recommendations = catalog.path(Recommendations.TABLE);
    String actions = catalog.path(NextBestActions.TABLE);
    writeDays(spark, Recommendations.TABLE, recommendations);
    writeDays(spark, NextBestActions.TABLE, actions);

    RunStats stats = MaintainJob.run(spark, config(catalog, Map.of()));

    Map<String, List<Long>> pruned = layout(spark, recommendations);
    assertThat(pruned.keySet()).as("September's end and October's latest stay; the window and the later day stay")
        .containsExactly("2026-09-30", "2026-10-10", "2026-11-20", "2026-12-06", "2026-12-07");
    assertThat(pruned).as("2 rows a day; one file up to the as-of day, the later day's two files untouched")
        .containsEntry("2026-09-30", List.of(2L, 1L)).containsEntry("2026-12-06", List.of(2L, 1L))
        .containsEntry("2026-12-07", List.of(2L, 2L));
    assertThat(layout(spark, actions).keySet()).as("next_best_actions keeps every day").hasSize(DAYS.size());
    assertThat(stats.details())
        .containsEntry("recommendations.snapshots_removed", "2")
        .containsEntry("recommendations.files_compacted", "8")
        .containsEntry("next_best_actions.files_compacted", "12")
        .doesNotContainKey("next_best_actions.snapshots_removed")
        .containsEntry("recommendations.files_vacuumed", "0");
    assertThat(stats.finding()).startsWith("maintained 2 tables: removed 2 expired snapshots, compacted 20 small files");

    RunStats again = MaintainJob.run(spark, config(catalog, Map.of()));
    assertThat(layout(spark, recommendations)).as("a rerun changes nothing").isEqualTo(pruned);
    assertThat(again.details()).doesNotContainKey("recommendations.snapshots_removed")
        .containsEntry("recommendations.files_compacted", "0");
  }

  @Test
  void keepTablesKeepsEverySnapshotOfTheNamedTable(SparkSession spark, @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    writeDays(spark, Recommendations.TABLE, catalog.path(Recommendations.TABLE));
    MaintainJob.run(spark, config(catalog, Map.of("retention.keep-tables", "[recommendations]")));
    assertThat(layout(spark, catalog.path(Recommendations.TABLE))).hasSize(DAYS.size());
  }

  @Test
  void rejectsAnUnknownTableAndAWindowShorterThanChurnScoresClvLookback(@TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    assertThatThrownBy(() -> config(catalog, Map.of("retention.keep-tables", "[customers]")))
        .hasMessageStartingWith("Cannot configure retention.keep-tables: not a snapshot table (customers);");
    assertThatThrownBy(() -> config(catalog, Map.of("retention.daily-snapshots-days", "7")))
        .hasMessage("Cannot configure retention.daily-snapshots-days: churn-score reads clv_predictions up to"
            + " churn.clv-max-age-days = 7 days old, so keep more days (7)");
    assertThatThrownBy(() -> config(catalog, Map.of("retention.vacuum-retention-hours", "0")))
        .hasMessage("Cannot configure retention.vacuum-retention-hours: must be at least 1 (0)");
  }
}
