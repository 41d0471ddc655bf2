package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake segment-train}. */
@Command(name = SegmentJob.TRAIN_NAME, mixinStandardHelpOptions = true,
    description = {
        "Fit the behavioural clusters (KMeans on standardized customer_360 features, k by silhouette, readable",
        "names) on the snapshot of the as-of date and save them under <warehouse>/models/segments/; the daily",
        "segment runs apply them while they are at most segment.model-max-age-days old. Writes no table."})
final class SegmentTrainCommand extends JobCommand {
  @Override
  String jobName() {
    return SegmentJob.TRAIN_NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return SegmentJob.train(spark, SegmentConfig.from(common.config(), catalog, asOf));
  }
}
