package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.customer360.Customer360Config;
import io.cxlake.jobs.customer360.Customer360Job;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake customer360}. */
@Command(name = Customer360Job.NAME, mixinStandardHelpOptions = true,
    description = {
        "Build the customer_360 snapshot of the as-of date: one row per known customer with RFM and value,",
        "support experience, surveys, web engagement and channel preference (rerun replaces the date)."})
final class Customer360Command extends JobCommand {
  @Override
  String jobName() {
    return Customer360Job.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return Customer360Job.run(spark, Customer360Config.from(common.config(), catalog, asOf));
  }
}
