package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.recommend.RecommendConfig;
import io.cxlake.jobs.recommend.RecommendJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake recommend}. */
@Command(name = RecommendJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Recommend products per customer with implicit-feedback ALS (segment popularity for cold-start",
        "customers) into recommendations; evaluate ALS against popularity on a time split into",
        "recommendation_metrics; write segment lifts, actions and rationales to segment_recommendations.",
        "Needs the segments of the as-of date (run segment first)."})
final class RecommendCommand extends JobCommand {
  @Override
  String jobName() {
    return RecommendJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return RecommendJob.run(spark, RecommendConfig.from(common.config(), catalog, asOf));
  }
}
