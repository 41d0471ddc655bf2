package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.actions.ActionsConfig;
import io.cxlake.jobs.actions.ActionsJob;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.customer360.Customer360Config;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.recommend.RecommendConfig;
import io.cxlake.jobs.recommend.RecommendJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code cxlake demo}: generate a sample landing zone, ingest it, run every job, and say where the
 * tables are and how to query them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Generate a sample landing zone, ingest it and run every job for the as-of date (default today),",
        "then print the tables written, their row counts, where they are and how to query them."})
final class DemoCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--customers", description = "Customers to generate (default ${DEFAULT-VALUE}).")
  long customers = 20_000;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Folder for landing/, truth/ and warehouse/ (default ${DEFAULT-VALUE}); "
          + "--landing and --warehouse override its parts.")
  String dir = "cxlake-demo";

  @Override
  public Integer call() throws Exception {
    if (common.landing == null) {
      common.landing = dir + "/landing";
    }
    if (common.warehouse == null) {
      common.warehouse = dir + "/warehouse";
    }
    if (common.asOf == null) {
      common.asOf = LocalDate.now(ZoneOffset.UTC).toString();
    }
    AsOf asOf = AsOf.parse(common.asOf);
    GenerateSampleConfig sample = GenerateSampleCommand.config(common, customers, seed, dir + "/truth", null);
    TableCatalog catalog = common.catalog();
    SparkSession spark = common.spark("demo");
    PrintWriter out = spec.commandLine().getOut();

    long started = System.nanoTime();
    out.printf("demo: generating %d customers (seed %d) into %s%n", customers, seed, sample.landing());
    GenerateSampleJob.run(spark, sample);
    step(out, spark, catalog, asOf, IngestJob.NAME,
        runId -> IngestJob.run(spark, IngestConfig.from(common.config(), common.landing(), catalog, asOf), runId));
    step(out, spark, catalog, asOf, Customer360Job.NAME,
        runId -> Customer360Job.run(spark, Customer360Config.from(common.config(), catalog, asOf)));
    step(out, spark, catalog, asOf, ClvJob.NAME,
        runId -> ClvJob.run(spark, ClvConfig.from(common.config(), catalog, asOf, java.util.Optional.empty())));
    step(out, spark, catalog, asOf, SegmentJob.NAME,
        runId -> SegmentJob.run(spark, SegmentConfig.from(common.config(), catalog, asOf)));
    step(out, spark, catalog, asOf, RecommendJob.NAME,
        runId -> RecommendJob.run(spark, RecommendConfig.from(common.config(), catalog, asOf)));
    step(out, spark, catalog, asOf, ActionsJob.NAME,
        runId -> ActionsJob.run(spark, ActionsConfig.from(common.config(), catalog, asOf)));

    out.printf("%ndemo finished in %.0f s. Tables in %s:%n", (System.nanoTime() - started) / 1e9,
        Path.of(catalog.root()).toAbsolutePath());
    for (String view : catalog.registerViews(spark)) {
      TableSpec table = TableCatalog.byViewName(view).orElseThrow();
      out.printf("  %-26s %,12d rows  %s%n", view, spark.table(view).count(), catalog.path(table));
    }
    out.printf("%nQuery them, for example:%n"
            + "  bin/cxlake sql --warehouse %s \"SELECT nps_class, count(*) FROM customer_360 GROUP BY 1\"%n"
            + "  bin/cxlake sql --warehouse %s \"SELECT source, reason_code, count(*) FROM quarantine GROUP BY 1, 2\"%n"
            + "  bin/cxlake sql --warehouse %s \"SHOW TABLES\"%n",
        catalog.root(), catalog.root(), catalog.root());
    return 0;
  }

  private static void step(PrintWriter out, SparkSession spark, TableCatalog catalog, AsOf asOf, String job, RunTracker.Body body)
      throws Exception {
    long t0 = System.nanoTime();
    RunStats stats = RunTracker.track(spark, catalog, job, asOf, body);
    out.printf("%s (%.0f s)%n", Summary.line(job, asOf, stats), (System.nanoTime() - t0) / 1e9);
  }
}
