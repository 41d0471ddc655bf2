package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.actions.ActionsConfig;
import io.cxlake.jobs.actions.ActionsJob;
import io.cxlake.jobs.campaigns.CampaignResultsConfig;
import io.cxlake.jobs.campaigns.CampaignResultsJob;
import io.cxlake.jobs.cohorts.CohortsConfig;
import io.cxlake.jobs.cohorts.CohortsJob;
import io.cxlake.jobs.customer360.Customer360Config;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.exports.ExportActionsJob;
import io.cxlake.jobs.kpis.KpisConfig;
import io.cxlake.jobs.kpis.KpisJob;
import io.cxlake.jobs.maintain.MaintainConfig;
import io.cxlake.jobs.maintain.MaintainJob;
import io.cxlake.jobs.recommend.RecommendConfig;
import io.cxlake.jobs.recommend.RecommendJob;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job commands that take only the common options, in one table: the command name, its help and
 * how it builds its job's config and runs it. Jobs with options of their own have their own class.
 */
final class PlainJobs {
  /** How a job runs from the command line's options. */
  @FunctionalInterface
  interface Body {
    RunStats run(CommonOptions common, SparkSession spark, TableCatalog catalog, AsOf asOf, String runId)
        throws Exception;
  }

  /** One command: its name, its help lines and its job. */
  record Job(String name, List<String> help, Body body) {}

  static final List<Job> ALL = List.of(
      new Job(Customer360Job.NAME, List.of(
          "Build the customer_360 snapshot of the as-of date: one row per known customer with RFM and value,",
          "support experience, surveys, web engagement and channel preference (rerun replaces the date)."),
          (c, spark, catalog, asOf, runId) ->
              Customer360Job.run(spark, Customer360Config.from(c.config(), catalog, asOf))),
      new Job(CohortsJob.NAME, List.of(
          "Build acquisition cohorts (month or week of the first completed order) from orders up to the as-of day:",
          "retention_cohorts (size, active customers, retention, orders and revenue per period since),",
          "cohort_repeat_purchases (2nd/3rd purchase within N days) and revenue_retention (NRR and GRR)."),
          (c, spark, catalog, asOf, runId) -> CohortsJob.run(spark, CohortsConfig.from(c.config(), catalog, asOf))),
      new Job(KpisJob.NAME, List.of(
          "Compute CX KPIs per day, week and month up to the as-of day into cx_kpis (long format): NPS, CSAT,",
          "first-contact resolution, response and resolution times, reopen rate, ticket volume and backlog,",
          "orders, revenue, repeat purchase and churn, web sessions and funnel; overall and by dimension."),
          (c, spark, catalog, asOf, runId) -> KpisJob.run(spark, KpisConfig.from(c.config(), catalog, asOf))),
      new Job(SegmentJob.NAME, List.of(
          "Segment the customer_360 snapshot of the as-of date: RFM quintile scores and named RFM segments, and",
          "behavioural KMeans clusters (k by silhouette, readable names), written to segments; their profiles",
          "(size, CLV, churn, NPS, CSAT, tickets, categories, channels) to segment_profiles."),
          (c, spark, catalog, asOf, runId) -> SegmentJob.run(spark, SegmentConfig.from(c.config(), catalog, asOf))),
      new Job(SegmentJob.TRAIN_NAME, List.of(
          "Fit the behavioural clusters (KMeans on standardized customer_360 features, k by silhouette, readable",
          "names) on the snapshot of the as-of date and save them under <warehouse>/models/segments/; the daily",
          "segment runs apply them while they are at most segment.model-max-age-days old. Writes no table."),
          (c, spark, catalog, asOf, runId) -> SegmentJob.train(spark, SegmentConfig.from(c.config(), catalog, asOf))),
      new Job(RecommendJob.NAME, List.of(
          "Recommend products per customer with implicit-feedback ALS (segment popularity for cold-start",
          "customers) into recommendations; evaluate ALS against popularity on a time split into",
          "recommendation_metrics; write segment lifts, actions and rationales to segment_recommendations.",
          "Needs the segments of the as-of date (run segment first)."),
          (c, spark, catalog, asOf, runId) ->
              RecommendJob.run(spark, RecommendConfig.from(c.config(), catalog, asOf))),
      new Job(ActionsJob.NAME, List.of(
          "Choose at most one next best action per customer for the as-of day from the trigger rules (win-back,",
          "browse abandonment, service recovery, VIP, onboarding) with consent, suppression, weekly contact caps",
          "and a deterministic control group; write them to next_best_actions. Run the days in order."),
          (c, spark, catalog, asOf, runId) -> ActionsJob.run(spark, ActionsConfig.from(c.config(), catalog, asOf))),
      new Job(ExportActionsJob.NAME, List.of(
          "Export the day's deliverable next best actions for the channel tools: one folder per channel and day",
          "under <warehouse>/exports/actions/channel=<c>/as_of_date=<d>/ with actions.csv and actions.jsonl",
          "(pseudonymous customer key, action, campaign, product, reason, priority, expected value)."),
          (c, spark, catalog, asOf, runId) -> ExportActionsJob.run(spark,
              new ExportActionsJob.Config(catalog, asOf, PrivacySecret.from(c.config())))),
      new Job(CampaignResultsJob.NAME, List.of(
          "Measure the campaigns: for every campaign and action day whose response window (actions.response-days)",
          "has closed, delivered against the control group: conversion and revenue per customer, uplift with",
          "95% confidence intervals and incremental revenue, overall and per RFM segment, into campaign_results."),
          (c, spark, catalog, asOf, runId) -> CampaignResultsJob.run(spark,
              CampaignResultsConfig.from(c.config(), catalog, asOf))),
      new Job(MaintainJob.NAME, List.of(
          "Keep the warehouse's size and a day's cost flat: remove the as-of snapshots older than the retention",
          "(retention.daily-snapshots-days, month-ends for retention.monthly-snapshots-months; tables whose past",
          "days jobs read keep them all), compact small files (Delta OPTIMIZE) and VACUUM every table."),
          (c, spark, catalog, asOf, runId) -> MaintainJob.run(spark, MaintainConfig.from(c.config(), catalog, asOf))));

  private PlainJobs() {}

  /** The command of one job, named and described from the table. */
  @Command(mixinStandardHelpOptions = true)
  static final class PlainJobCommand extends JobCommand {
    private final Job job;

    PlainJobCommand(Job job) {
      this.job = job;
    }

    @Override
    String jobName() {
      return job.name();
    }

    @Override
    RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) throws Exception {
      return job.body().run(common, spark, catalog, asOf, runId);
    }
  }

  /** The command line of a job. */
  static CommandLine commandLine(Job job) {
    CommandLine cli = new CommandLine(new PlainJobCommand(job));
    cli.getCommandSpec().name(job.name());
    cli.getCommandSpec().usageMessage().description(job.help().toArray(String[]::new));
    return cli;
  }
}
