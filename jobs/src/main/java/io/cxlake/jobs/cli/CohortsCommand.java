package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.cohorts.CohortsConfig;
import io.cxlake.jobs.cohorts.CohortsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake cohorts}. */
@Command(name = CohortsJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Build acquisition cohorts (month or week of the first completed order) from orders up to the as-of day:",
        "retention_cohorts (size, active customers, retention, orders and revenue per period since),",
        "cohort_repeat_purchases (2nd/3rd purchase within N days) and revenue_retention (NRR and GRR)."})
final class CohortsCommand extends JobCommand {
  @Override
  String jobName() {
    return CohortsJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return CohortsJob.run(spark, CohortsConfig.from(common.config(), catalog, asOf));
  }
}
