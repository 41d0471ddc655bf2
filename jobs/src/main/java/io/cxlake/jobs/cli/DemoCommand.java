package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.maintain.MaintainJob;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelinePlan;
import io.cxlake.jobs.pipeline.PipelineRunner;
import io.cxlake.jobs.report.ReportConfig;
import io.cxlake.jobs.report.ReportData;
import io.cxlake.jobs.report.ReportJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import io.cxlake.jobs.sample.SimulateResponseJob;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Option(names = "--campaign", paramLabel = "CAMPAIGN",
      description = "The campaign whose actions of an earlier day are given a planted effect, so campaign_results "
          + "has one to find (default ${DEFAULT-VALUE}).")
  String campaign = "win_back";

  @Option(names = "--campaign-effect", paramLabel = "P",
      description = "Probability that a customer delivered that campaign buys in the response window (default "
          + "${DEFAULT-VALUE}; 0 plants nothing and skips the earlier day).")
  double campaignEffect = 0.25;

  @Override
  public Integer call() throws Exception {
    // Generated customers only: the public demo secret keys their pseudonyms unless the user set one.
    common.conf.putIfAbsent(PrivacySecret.DEMO_KEY, "true");
    if (common.landing == null) {
      common.landing = dir + "/landing";
    }
    if (common.warehouse == null) {
      common.warehouse = dir + "/warehouse";
    }
    if (common.asOf == null) {
      common.asOf = LocalDate.now(ZoneOffset.UTC).toString();
    }
    AsOf asOf = common.requiredAsOf("demo");
    GenerateSampleConfig sample = GenerateSampleCommand.config(common, customers, seed, dir + "/truth", null);
    TableCatalog catalog = common.catalog();
    SparkSession spark = common.spark("demo");
    PrintWriter out = spec.commandLine().getOut();

    long started = System.nanoTime();
    out.printf("demo: generating %d customers (seed %d) into %s%n", customers, seed, sample.landing());
    GenerateSampleJob.run(spark, sample);
    PipelineDefinition pipeline = PipelineDefinition.loadDefault();
    if (campaignEffect > 0) {
      campaignDay(spark, pipeline, catalog, asOf, out);
    }
    // Every schedule: the daily scoring jobs need the models that the weekly jobs train. But not
    // maintain: a warehouse minutes old has no history to expire, and its compaction and VACUUM of
    // every table would cost the demo a minute for nothing to see.
    PipelinePlan every = pipeline.plan(Optional.empty(), Optional.empty(), List.of());
    PipelinePlan plan = new PipelinePlan(
        every.jobs().stream().filter(j -> !j.command().equals(MaintainJob.NAME)).toList(), every.skipped());
    out.printf("demo: every job but %s (weekly upkeep of a warehouse with history: bin/cxlake %s)%n",
        MaintainJob.NAME, MaintainJob.NAME);
    List<String> jobArgs = CliJobLauncher.commonArgs(common, asOf);
    PipelineRunner.run(plan,
        new CliJobLauncher(jobArgs, out, spec.commandLine().getErr(), pipeline.origin()), out,
        job -> CliJobLauncher.resumeCommand(jobArgs, job));

    out.printf("%ndemo finished in %.0f s.%n%nHeadline, as of %s:%n", (System.nanoTime() - started) / 1e9, asOf);
    for (ReportData.Headline h : ReportJob.headlines(spark, catalog, asOf)) {
      out.printf("  %-24s %14s  %s%n", h.label(), h.value(), h.unit());
    }
    out.printf("%nreport: %s  (open it in a browser)%n", new ReportConfig(catalog, asOf, Optional.empty()).path());
    out.printf("SQL endpoint for BI tools: bin/cxlake serve --warehouse %s%n", catalog.root());
    out.printf("%nTables in %s:%n", catalog.root());
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

  /**
   * An earlier day with closed response windows, so campaign_results has something to measure: the
   * actions of that day (from its customer_360 and segments), then the planted response of the
   * delivered customers of one campaign, loaded by the main run's ingest.
   */
  private void campaignDay(SparkSession spark, PipelineDefinition pipeline, TableCatalog catalog, AsOf asOf,
      PrintWriter out) throws Exception {
    int responseDays = common.config().getInt("actions.response-days");
    AsOf earlier = new AsOf(asOf.date().minusDays(responseDays + 15L));
    out.printf("demo: the next best actions of %s, whose %d-day response window has closed by %s%n", earlier,
        responseDays, asOf);
    List<String> args = CliJobLauncher.commonArgs(common, earlier);
    PipelineRunner.run(pipeline.plan(Optional.empty(), Optional.empty(),
            List.of("ingest", "customer360", "segment", "actions")),
        new CliJobLauncher(args, out, spec.commandLine().getErr(), pipeline.origin()), out,
        job -> CliJobLauncher.resumeCommand(args, job));
    RunTracker.RunStats planted = RunTracker.track(spark, catalog, SimulateResponseJob.NAME, earlier,
        runId -> SimulateResponseJob.run(spark, new SimulateResponseJob.Config(catalog, common.landing(), earlier,
            campaign, campaignEffect, 50.0, responseDays, seed)));
    out.printf("demo: planted effect: %s%n", planted.finding());
  }
}
