package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.churn.ChurnConfig;
import io.cxlake.jobs.churn.ChurnTrainJob;
import io.cxlake.jobs.churn.FeaturesCsvConfig;
import io.cxlake.jobs.churn.FeaturesCsvTrainJob;
import io.cxlake.jobs.churn.ModelSettings;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake churn-train}. */
@Command(name = ChurnTrainJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Train the churn models on point-in-time snapshots of the warehouse's events before the as-of day:",
        "logistic regression and gradient-boosted trees, evaluated on the latest cut-off, calibrated, the better",
        "one chosen and refitted on the newest labelled snapshots; saves them as version <as-of> under",
        "<warehouse>/models/churn, promoted to champion unless worse than the current champion, and writes",
        "churn_model_metrics.",
        "With --features-csv FILE --label COLUMN, train on an already-featurized labelled file instead",
        "(stratified cross-validation; --as-of defaults to today)."})
final class ChurnTrainCommand extends JobCommand {
  @Option(names = "--features-csv", paramLabel = "FILE",
      description = "Train on this labelled CSV (one row per customer) instead of the warehouse's events.")
  String featuresCsv;

  @Option(names = "--label", paramLabel = "COLUMN",
      description = "Label column of --features-csv (yes/no, true/false or 1/0).")
  String label;

  @Option(names = "--id-column", paramLabel = "COLUMN",
      description = "Identifier column of --features-csv to leave out (default: detected).")
  String idColumn;

  @Option(names = "--force-promote",
      description = "Make this version the champion churn-score serves even if it is worse than the current one "
          + "by more than churn.promotion-tolerance.")
  boolean forcePromote;

  @Override
  String jobName() {
    return ChurnTrainJob.NAME;
  }

  @Override
  public Integer call() throws Exception {
    if (featuresCsv == null && (label != null || idColumn != null)) {
      throw new IllegalArgumentException("Cannot run churn-train: --label and --id-column need --features-csv ("
          + (label != null ? "--label " + label : "--id-column " + idColumn) + ")");
    }
    if (featuresCsv != null && forcePromote) {
      throw new IllegalArgumentException("Cannot run churn-train: --force-promote applies to the event models churn-score "
          + "serves, not to --features-csv (" + featuresCsv + ")");
    }
    if (featuresCsv != null && label == null) {
      throw new IllegalArgumentException("Cannot run churn-train: --features-csv needs --label COLUMN (" + featuresCsv + ")");
    }
    if (featuresCsv != null && common.asOf == null) {
      common.asOf = LocalDate.now(ZoneOffset.UTC).toString();
    }
    return super.call();
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    if (featuresCsv != null) {
      return FeaturesCsvTrainJob.run(spark, new FeaturesCsvConfig(catalog, asOf, featuresCsv, label,
          Optional.ofNullable(idColumn), ModelSettings.from(common.config())));
    }
    return ChurnTrainJob.run(spark, ChurnConfig.from(common.config(), catalog, asOf), forcePromote);
  }
}
