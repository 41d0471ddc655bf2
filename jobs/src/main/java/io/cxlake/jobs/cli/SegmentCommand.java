package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake segment}. */
@Command(name = SegmentJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Segment the customer_360 snapshot of the as-of date: RFM quintile scores and named RFM segments, and",
        "behavioural KMeans clusters (k by silhouette, readable names), written to segments; their profiles",
        "(size, CLV, churn, NPS, CSAT, tickets, categories, channels) to segment_profiles."})
final class SegmentCommand extends JobCommand {
  @Override
  String jobName() {
    return SegmentJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return SegmentJob.run(spark, SegmentConfig.from(common.config(), catalog, asOf));
  }
}
