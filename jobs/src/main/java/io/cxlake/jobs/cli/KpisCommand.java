package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.kpis.KpisConfig;
import io.cxlake.jobs.kpis.KpisJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake kpis}. */
@Command(name = KpisJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Compute CX KPIs per day, week and month up to the as-of day into cx_kpis (long format): NPS, CSAT,",
        "first-contact resolution, response and resolution times, reopen rate, ticket volume and backlog,",
        "orders, revenue, repeat purchase and churn, web sessions and funnel; overall and by dimension."})
final class KpisCommand extends JobCommand {
  @Override
  String jobName() {
    return KpisJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return KpisJob.run(spark, KpisConfig.from(common.config(), catalog, asOf));
  }
}
