package io.cxlake.jobs.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.ModelVersions;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults a scheduler causes, on real {@code bin/cxlake} processes: the driver killed with SIGKILL
 * in the middle of ingest's silver writes, of customer360's partition replace and of churn-train's
 * model save, and two runs of one job at once. After each, every table reads (at its previous or
 * its new version), the run's STARTED row is in run_log with nothing closing it, and a rerun
 * produces what an uninterrupted run produced. Small data (400 generated customers): the faults,
 * not the volume, are under test. The uninterrupted reference and the reruns run in the test's JVM.
 */
@ExtendWith(SparkExtension.class)
class FaultInjectionIT {
  private static final Path DIR = ItSupport.PROJECT.resolve("jobs/target/it-faults");
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  /** Yesterday, so no generated timestamp lies after the ingest's wall clock. */
  private static final String AS_OF = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
  private static final Path LANDING = DIR.resolve("landing");
  /** The reference: ingest and customer360, uninterrupted. */
  private static final Path REFERENCE = DIR.resolve("reference");
  /** A small churn training: the model save, not the model, is under test. */
  private static final String[] SMALL_CHURN_TRAINING = {"--conf", "churn.training-snapshots=2", "--conf",
      "churn.refit=false", "--conf", "churn.gbt.max-iter=5"};

  @BeforeAll
  static void landingZoneAndReference() throws Exception {
    ItSupport.deleteRecursively(DIR);
    Files.createDirectories(DIR);
    GenerateSampleJob.run(SparkExtension.session(), new GenerateSampleConfig(LANDING.toString(),
        DIR.resolve("truth").toString(), LocalDate.parse(AS_OF), 400, 5, 540, 100, 0.004));
    // The reference runs in this JVM: it is what a rerun must reproduce, not a fault.
    ItSupport.cxlakeInProcess(args("ingest", REFERENCE));
    ItSupport.cxlakeInProcess(args("customer360", REFERENCE));
  }

  /** A run that is not a fault (a rerun after one), in this JVM: the kills need the processes. */
  private static String cxlake(String job, Path warehouse, String... more) {
    return ItSupport.cxlakeInProcess(args(job, warehouse, more));
  }

  private static String[] args(String job, Path warehouse, String... more) {
    List<String> args = new ArrayList<>(List.of(job, "--as-of", AS_OF, "--landing", LANDING.toString(),
        "--warehouse", warehouse.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static ChildProcess start(String job, Path warehouse, String name, String... more) {
    List<String> command = new ArrayList<>(List.of(ItSupport.PROJECT.resolve("bin/cxlake").toString()));
    command.addAll(List.of(args(job, warehouse, more)));
    return ChildProcess.start(name, command, Map.of("CXLAKE_NO_REBUILD", "1"), DIR, DIR.resolve(name + ".log"));
  }

  /** Starts the job, waits for the progress line of the phase to interrupt, and kills it there. */
  private static void killDuring(String job, Path warehouse, String phase, Duration into, String... more)
      throws Exception {
    try (ChildProcess p = start(job, warehouse, "killed-" + job, more)) {
      p.awaitReady("phase '" + phase + "'", JOB_TIMEOUT, () -> p.log().contains(phase));
      Thread.sleep(into.toMillis());
      assertThat(p.isAlive()).as(job + " still running when killed; output:\n" + p.log()).isTrue();
      p.kill();
    }
  }

  private static Dataset<Row> table(SparkSession spark, Path warehouse, TableSpec table) {
    return DeltaIO.read(spark, new TableCatalog(warehouse.toString()).path(table));
  }

  /** Every table of the warehouse reads, whatever version a kill left it at. */
  private static void everyTableReads(SparkSession spark, Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    for (TableSpec t : TableCatalog.all()) {
      if (DeltaIO.exists(spark, catalog.path(t))) {
        assertThat(DeltaIO.read(spark, catalog.path(t)).count()).as(t.name() + " reads").isNotNegative();
      }
    }
  }

  /** The job's runs in run_log: STARTED rows and their closing rows, oldest first. */
  private static List<String> runs(SparkSession spark, Path warehouse, String job) {
    return table(spark, warehouse, RunLog.TABLE).filter(col(RunLog.JOB).equalTo(job))
        .orderBy(RunLog.STARTED_AT, RunLog.ENDED_AT).collectAsList().stream()
        .map(r -> r.<String>getAs(RunLog.STATUS)).toList();
  }

  /**
   * Two runs that overlapped: at least one succeeds, and one that failed names Delta's conflict
   * (both succeed when their commits did not overlap). Returns whether both succeeded.
   */
  private static boolean bothEndWithOneWinner(ChildProcess a, ChildProcess b) throws InterruptedException {
    int exitA = a.awaitExit(JOB_TIMEOUT);
    int exitB = b.awaitExit(JOB_TIMEOUT);
    assertThat(exitA == 0 || exitB == 0).as("one of them wins\n" + a.log() + "\n" + b.log()).isTrue();
    if (exitA != 0 || exitB != 0) {
      assertThat((exitA != 0 ? a : b).log()).as("the loser names Delta's conflict").containsIgnoringCase("concurrent");
    }
    return exitA == 0 && exitB == 0;
  }

  @Test
  void aKilledIngestLeavesReadableTablesAndARerunLoadsWhatAnUninterruptedRunLoads(SparkSession spark)
      throws Exception {
    Path warehouse = DIR.resolve("killed-ingest");
    killDuring("ingest", warehouse, "ingest: transactions: loading", Duration.ofMillis(500));
    everyTableReads(spark, warehouse);
    assertThat(runs(spark, warehouse, "ingest")).as("the killed run: STARTED, never closed").containsExactly("STARTED");

    // The rerun is a process, as an Airflow retry is. A kill can land while a table is being
    // created (its log directory without a commit): the rerun must create it, not fail on it.
    ItSupport.cxlake(DIR, Map.of(), JOB_TIMEOUT, args("ingest", warehouse));
    assertThat(runs(spark, warehouse, "ingest")).as("the rerun opened and closed")
        .containsExactly("STARTED", "STARTED", "SUCCEEDED");
    for (TableSpec silver : TableCatalog.SILVER) {
      DataFrameAssertions.assertSameRows(table(spark, REFERENCE, silver), table(spark, warehouse, silver));
    }
    // The run id differs, and so does a FUTURE_TIMESTAMP reason, which names the ingest's wall clock.
    DataFrameAssertions.assertSameRows(table(spark, REFERENCE, Quarantine.TABLE).drop(Quarantine.RUN_ID, Quarantine.REASON),
        table(spark, warehouse, Quarantine.TABLE).drop(Quarantine.RUN_ID, Quarantine.REASON));
  }

  @Test
  void aKilledPartitionReplaceKeepsAWholeVersionAndARerunWritesTheSame(SparkSession spark) throws Exception {
    Path warehouse = DIR.resolve("killed-customer360");
    ItSupport.copy(REFERENCE, warehouse);
    killDuring("customer360", warehouse, "customer360: computing and writing", Duration.ofSeconds(2));
    everyTableReads(spark, warehouse);
    Dataset<Row> expected = table(spark, REFERENCE, Customer360.TABLE);
    DataFrameAssertions.assertSameRows(expected, table(spark, warehouse, Customer360.TABLE));

    cxlake("customer360", warehouse);
    DataFrameAssertions.assertSameRows(expected, table(spark, warehouse, Customer360.TABLE));
    assertThat(runs(spark, warehouse, "customer360")).as("reference run, killed run, rerun")
        .containsExactly("STARTED", "SUCCEEDED", "STARTED", "STARTED", "SUCCEEDED");

    // Two runs of the date at once (an Airflow retry beside a manual run): never two copies of a row.
    try (ChildProcess a = start("customer360", warehouse, "concurrent-a");
        ChildProcess b = start("customer360", warehouse, "concurrent-b")) {
      if (!bothEndWithOneWinner(a, b)) {
        assertThat(table(spark, warehouse, RunLog.TABLE).filter(col(RunLog.JOB).equalTo("customer360")
                .and(col(RunLog.STATUS).equalTo(RunLog.STATUS_FAILED))).collectAsList())
            .as("the loser's FAILED row names Delta's conflict").singleElement()
            .satisfies(r -> assertThat((String) r.getAs(RunLog.MESSAGE)).containsIgnoringCase("concurrent"));
      }
    }
    DataFrameAssertions.assertSameRows(expected, table(spark, warehouse, Customer360.TABLE));
  }

  @Test
  void aKilledModelSaveLeavesNoMixedModelAndARerunSavesAWholeOne(SparkSession spark) throws Exception {
    Path warehouse = DIR.resolve("killed-churn-train");
    ItSupport.copy(REFERENCE, warehouse);
    killDuring("churn-train", warehouse, "churn-train: saving model version", Duration.ZERO, SMALL_CHURN_TRAINING);
    Path models = warehouse.resolve("models/churn");
    Path version = models.resolve(AS_OF);
    assertThat(!Files.exists(version) || Files.exists(version.resolve("metadata/_SUCCESS")))
        .as("the version folder is absent or whole, never a half-saved one").isTrue();
    assertThat(runs(spark, warehouse, "churn-train")).containsExactly("STARTED");

    cxlake("churn-train", warehouse, SMALL_CHURN_TRAINING);
    assertThat(ModelVersions.latest(spark, models.toString(), "", "metadata/_SUCCESS", LocalDate.parse(AS_OF),
        "churn models")).as("the rerun's version is complete").contains(LocalDate.parse(AS_OF));
    try (var left = Files.list(models)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no staging folder left").containsExactly(AS_OF);
    }
    assertThat(cxlake("churn-score", warehouse)).as("the saved model serves")
        .contains("churn-score --as-of " + AS_OF + ": rows_in=");
  }

  @Test
  void twoConcurrentFirstIngestsNeverDuplicateAKey(SparkSession spark) throws Exception {
    Path warehouse = DIR.resolve("concurrent-ingest");
    try (ChildProcess a = start("ingest", warehouse, "ingest-a"); ChildProcess b = start("ingest", warehouse, "ingest-b")) {
      bothEndWithOneWinner(a, b);
    }
    for (TableSpec silver : TableCatalog.SILVER) {
      Dataset<Row> loaded = table(spark, warehouse, silver);
      String[] key = silver.keyColumns().toArray(String[]::new);
      assertThat(loaded.count()).as(silver.name() + ": every key once")
          .isEqualTo(loaded.select(key[0], java.util.Arrays.copyOfRange(key, 1, key.length)).distinct().count());
    }
  }
}
