package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.report.ReportConfig;
import io.cxlake.jobs.report.ReportJob;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake report}. */
@Command(name = ReportJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Write one self-contained HTML report of the gold tables of the as-of date: KPI tiles and trends,",
        "retention cohorts and NRR/GRR, CLV and P(alive), churn model and value at risk, segments and their",
        "recommendations, next best actions, data quality and the day's runs. Charts are inline SVG: the file",
        "opens in any browser without network access."})
final class ReportCommand extends JobCommand {
  @Option(names = "--out", paramLabel = "FILE.html",
      description = "Where to write it (default: <warehouse>/reports/cxlake-report-<as-of>.html).")
  String out;

  @Override
  String jobName() {
    return ReportJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return ReportJob.run(spark, new ReportConfig(catalog, asOf, Optional.ofNullable(out))).stats();
  }
}
