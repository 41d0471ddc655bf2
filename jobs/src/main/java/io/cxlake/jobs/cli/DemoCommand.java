package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineRunner;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code cxlake demo}: generate a sample landing zone, run the pipeline on it (what
 * {@code cxlake run} runs), and say where the tables are and how to query them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Generate a sample landing zone, then run the pipeline of conf/pipeline.json on it for the as-of date",
        "(default today): every enabled job, daily and weekly, in dependency order, as 'cxlake run' does.",
        "Then print the tables written, their row counts, where they are and how to query them."})
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
    // Every schedule: the daily scoring jobs need the models that the weekly jobs train.
    PipelineDefinition pipeline = PipelineDefinition.loadDefault();
    List<String> jobArgs = CliJobLauncher.commonArgs(common, asOf);
    PipelineRunner.run(pipeline.plan(Optional.empty(), Optional.empty(), List.of()),
        new CliJobLauncher(jobArgs, out, spec.commandLine().getErr(), pipeline.origin()), out,
        job -> CliJobLauncher.resumeCommand(jobArgs, job));

    out.printf("%ndemo finished in %.0f s. Tables in %s:%n", (System.nanoTime() - started) / 1e9,
        catalog.root());
    for (String view : catalog.registerViews(spark)) {
      TableSpec table = TableCatalog.byViewName(view).orElseThrow();
      out.printf("  %-26s %,12d rows  %s%n", view, spark.table(view).count(), catalog.path(table));
    }
    out.printf("%nQuery them, for example:%n"
            + "  bin/cxlake sql --warehouse %s \"SELECT nps_class, count(*) FROM customer_360 GROUP BY 1\"%n"
            + "  bin/cxlake sql --warehouse %s \"SELECT source, reason_code, count(*) FROM quarantine GROUP BY 1, 2\"%n"
            + "  bin/cxlake sql --warehouse %s \"SELECT period_start, value FROM cx_kpis WHERE metric = 'nps' "
            + "AND period_grain = 'month' AND dimension = 'all' ORDER BY 1\"%n"
            + "  bin/cxlake sql --warehouse %s \"SHOW TABLES\"%n",
        catalog.root(), catalog.root(), catalog.root(), catalog.root());
    return 0;
  }
}
