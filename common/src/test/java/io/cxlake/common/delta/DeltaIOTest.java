package io.cxlake.common.delta;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.schema.CampaignResults;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Upserts by key never duplicate a key, first loads included. */
@ExtendWith(SparkExtension.class)
class DeltaIOTest {
  @Test
  void twoConcurrentFirstLoadsNeverDuplicateAKey(SparkSession spark, @TempDir Path warehouse) throws Exception {
    TableSpec table = Sources.table(Customers.CONTRACT);
    String path = warehouse.resolve("customers").toString();
    Dataset<Row> rows = spark.range(200).select(functions.concat(functions.lit("C"), col("id").cast("string"))
        .as(Customers.CUSTOMER_ID));
    for (var f : table.schema().fields()) {
      if (!f.name().equals(Customers.CUSTOMER_ID)) {
        rows = rows.withColumn(f.name(), functions.lit(null).cast(f.dataType()));
      }
    }
    Dataset<Row> load = rows;
    DeltaIO.ensureTable(spark, table, path);
    // Both writers see the empty table, then commit: the loser must fail or merge, never append.
    CyclicBarrier start = new CyclicBarrier(2);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          DeltaIO.mergeVersions(spark, load, table, path, functions.current_timestamp());
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      writers.add(t);
      t.start();
    }
    for (Thread t : writers) {
      t.join();
    }
    assertThat(failures).as("a writer that lost the race fails with Delta's conflict, nothing else")
        .allSatisfy(e -> assertThat(e.getClass().getName()).contains("Concurrent"));
    Dataset<Row> loaded = DeltaIO.read(spark, path);
    assertThat(loaded.count()).as("every key once").isEqualTo(200);
    assertThat(loaded.select(Customers.CUSTOMER_ID).distinct().count()).isEqualTo(200);
  }

  @Test
  void aTableWhoseCreationWasKilledBeforeItsFirstCommitIsCreatedOnTheNextRun(SparkSession spark,
      @TempDir Path warehouse) throws Exception {
    TableSpec table = Customers.TABLE;
    Path path = warehouse.resolve("customers");
    // What a kill between the log directory's creation and the first commit leaves behind.
    Files.createDirectories(path.resolve("_delta_log"));
    assertThat(DeltaIO.exists(spark, path.toString())).as("no commit, no table").isFalse();
    DeltaIO.mergeVersions(spark, frame(table.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "a.csv")
        .build(spark), table, path.toString(), functions.lit(ts("2026-07-01T00:00:00")));
    assertThat(DeltaIO.read(spark, path.toString()).count()).isEqualTo(1);
    assertThat(spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first().<String>getAs("description"))
        .as("the comment, as a created table has it").isEqualTo(table.comment());

    Path partitioned = warehouse.resolve("campaign_results");
    Files.createDirectories(partitioned.resolve("_delta_log"));
    DeltaIO.ensureTable(spark, CampaignResults.TABLE, partitioned.toString());
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + partitioned + "`").first();
    assertThat(detail.getList(detail.fieldIndex("partitionColumns"))).isEqualTo(CampaignResults.TABLE.partitionColumns());

    // Other files are not a creation of ours: left alone, with an error naming them.
    Path foreign = warehouse.resolve("foreign");
    Files.createDirectories(foreign.resolve("_delta_log"));
    Files.writeString(foreign.resolve("part-0.parquet"), "not ours");
    assertThatThrownBy(() -> DeltaIO.ensureTable(spark, table, foreign.toString()))
        .hasMessageContaining("Cannot create table").hasMessageContaining("part-0.parquet");
    assertThat(DeltaIO.exists(spark, foreign.toString())).isFalse();
  }

  @Test
  void aChangedRowIsKeptAsANewVersionAndARerunAddsNone(SparkSession spark, @TempDir Path warehouse) {
    TableSpec table = Customers.TABLE;
    String path = warehouse.resolve("customers").toString();
    DeltaIO.mergeVersions(spark, frame(table.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "a.csv")
        .with(Customers.CUSTOMER_ID, "C2", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "a.csv")
        .build(spark), table, path, functions.lit(ts("2026-07-01T00:00:00")));
    // Day 2: C1 opted out, C2 arrives again unchanged in another file, C3 is new.
    Dataset<Row> day2 = frame(table.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.MARKETING_OPT_IN, false, SilverHistory.SOURCE_FILE, "b.csv")
        .with(Customers.CUSTOMER_ID, "C2", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "b.csv")
        .with(Customers.CUSTOMER_ID, "C3", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "b.csv")
        .build(spark);
    for (int run = 0; run < 2; run++) {
      DeltaIO.mergeVersions(spark, day2, table, path, functions.lit(ts("2026-07-02T00:00:00")));
    }
    List<String> versions = DeltaIO.read(spark, path).orderBy(Customers.CUSTOMER_ID, SilverHistory.VALID_TO)
        .collectAsList().stream().map(r -> r.getAs(Customers.CUSTOMER_ID) + " " + r.getAs(Customers.MARKETING_OPT_IN)
            + " " + r.getAs(SilverHistory.VALID_FROM) + " " + r.getAs(SilverHistory.VALID_TO) + " "
            + r.getAs(SilverHistory.SOURCE_FILE)).toList();
    assertThat(versions).as("the rerun of day 2 adds nothing").containsExactly(
        "C1 false 2026-07-02 00:00:00.0 null b.csv",
        "C1 true null 2026-07-02 00:00:00.0 a.csv",
        "C2 true null null a.csv",
        "C3 true null null b.csv");
  }

  @Test
  void aSilverTableOfAnEarlierReleaseGainsTheVersionColumnsOnItsNextMerge(SparkSession spark, @TempDir Path warehouse) {
    TableSpec table = Customers.TABLE;
    String path = warehouse.resolve("customers").toString();
    Dataset<Row> before = frame(table.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.MARKETING_OPT_IN, true, SilverHistory.SOURCE_FILE, "a.csv")
        .build(spark).drop(SilverHistory.OPTIONAL.toArray(String[]::new));
    before.write().format("delta").save(path);
    DeltaIO.mergeVersions(spark, frame(table.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.MARKETING_OPT_IN, false, SilverHistory.SOURCE_FILE, "b.csv")
        .build(spark), table, path, functions.lit(ts("2026-07-02T00:00:00")));
    assertThat(DeltaIO.read(spark, path).orderBy(SilverHistory.VALID_TO).collectAsList())
        .as("the old row became the closed first version").extracting(r -> r.getAs(Customers.MARKETING_OPT_IN) + " "
            + r.getAs(SilverHistory.VALID_TO)).containsExactly("false null", "true 2026-07-02 00:00:00.0");
  }

  @Test
  void vacuumBelowDeltasMinimumRetentionRunsAndRestoresTheCheck(SparkSession spark, @TempDir Path warehouse) {
    String path = warehouse.resolve("suppression").toString();
    TableSpec table = io.cxlake.common.schema.Suppression.TABLE;
    Row key = org.apache.spark.sql.RowFactory.create("customer_id", "h1", java.sql.Timestamp.valueOf("2026-11-22 10:00:00"),
        "r1");
    DeltaIO.append(spark, spark.createDataFrame(List.of(key), table.schema()), table, path);
    io.delta.tables.DeltaTable.forPath(spark, path).delete();
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String before = spark.conf().get(check, "true");

    // 1 hour is below Delta's 168: refused unless the call turns the check off for its own VACUUM.
    // The deleted row's file is younger than 1 hour, so it stays: VACUUM runs and deletes nothing.
    assertThat(DeltaIO.vacuum(spark, List.of(path), 1)).as("files deleted").containsExactly(0L);
    assertThat(spark.conf().get(check, "true")).as("the session's check as it was").isEqualTo(before);
    assertThat(DeltaIO.read(spark, path).count()).as("the current version reads").isZero();
    Row start = io.delta.tables.DeltaTable.forPath(spark, path).history()
        .filter(col("operation").equalTo("VACUUM START")).select("operationParameters").first();
    assertThat(start.<String, String>getJavaMap(0)).as("the retention given, not the table's default of 7 days")
        .containsEntry("specifiedRetentionMillis", "3600000");
  }
}
