package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.churn.ChurnConfig;
import io.cxlake.jobs.churn.ChurnScoreJob;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake churn-score}. */
@Command(name = ChurnScoreJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Score every customer's churn risk at the as-of date with the champion (the latest promoted churn model",
        "trained on or before it), and write the churn_scores partition of that date: calibrated probability, risk tier, value at",
        "risk (CLV x probability) and the top 3 drivers, or the reason a customer is not scored."})
final class ChurnScoreCommand extends JobCommand {
  @Option(names = "--model-version", paramLabel = "VERSION",
      description = "Score with this model version (a training as-of date, champion or challenger) instead of the "
          + "champion: the manual rollback or trial.")
  String modelVersion;

  @Override
  String jobName() {
    return ChurnScoreJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return ChurnScoreJob.run(spark, ChurnConfig.from(common.config(), catalog, asOf), Optional.ofNullable(modelVersion));
  }
}
