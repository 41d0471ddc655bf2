package io.cxlake.jobs.churn;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.TableSpec.RowBuilder;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Builds churn_model_metrics rows by column name. */
final class MetricsRows {
  /** Columns a candidate's evaluation fills and the recency baseline leaves empty. */
  private static final String[] CANDIDATE_ONLY = {ChurnModelMetrics.CALIBRATION_METHOD,
      ChurnModelMetrics.AUC_ROC_FOLD_STD, ChurnModelMetrics.LOG_LOSS, ChurnModelMetrics.BRIER,
      ChurnModelMetrics.LOG_LOSS_UNCALIBRATED, ChurnModelMetrics.BRIER_UNCALIBRATED, ChurnModelMetrics.CALIBRATION,
      ChurnModelMetrics.PARAMS, ChurnModelMetrics.MODEL_PATH};

  private MetricsRows() {}

  /**
   * Values shared by every row of one training run, the training window included (null columns
   * for a featurized file, which has no cut-offs).
   */
  static RowBuilder common(LocalDate asOf, String dataset, Optional<ModelStore.EventSnapshots> events, String version,
      String evaluation,
      ModelSettings settings, Instant trainedAt, String selectionReason, long trainRows, double trainPositiveRate) {
    RowBuilder row = ChurnModelMetrics.TABLE.row()
        .set(ChurnModelMetrics.AS_OF_DATE, Date.valueOf(asOf))
        .set(ChurnModelMetrics.DATASET, dataset)
        .set(ChurnModelMetrics.MODEL_VERSION, version)
        .set(ChurnModelMetrics.EVALUATION, evaluation)
        .set(ChurnModelMetrics.SELECTION_METRIC, settings.selectionMetric().label())
        .set(ChurnModelMetrics.SELECTION_REASON, selectionReason)
        .set(ChurnModelMetrics.TRAINED_AT, Timestamp.from(trainedAt))
        .set(ChurnModelMetrics.TRAIN_ROWS, trainRows)
        .set(ChurnModelMetrics.TRAIN_POSITIVE_RATE, trainPositiveRate);
    if (events.isPresent()) {
      ModelStore.EventSnapshots e = events.get();
      return row.set(ChurnModelMetrics.HORIZON_DAYS, e.horizonDays())
          .set(ChurnModelMetrics.TRAIN_CUTOFFS, e.trainCutoffs().stream().map(Date::valueOf).toList())
          .set(ChurnModelMetrics.VALIDATION_CUTOFF, Date.valueOf(e.validationCutoff()));
    }
    return row.setNull(ChurnModelMetrics.HORIZON_DAYS, ChurnModelMetrics.TRAIN_CUTOFFS,
        ChurnModelMetrics.VALIDATION_CUTOFF);
  }

  /** Sets the refit and promotion columns shared by every row of the run. */
  static void finishing(RowBuilder common, List<LocalDate> refitCutoffs, Promotion.Decision decision) {
    common.set(ChurnModelMetrics.REFIT_CUTOFFS,
            refitCutoffs.isEmpty() ? null : refitCutoffs.stream().map(Date::valueOf).toList())
        .set(ChurnModelMetrics.PROMOTED, decision.promoted())
        .set(ChurnModelMetrics.PROMOTION_REASON, decision.reason())
        .set(ChurnModelMetrics.CHAMPION_VERSION, decision.championVersion().orElse(null))
        .set(ChurnModelMetrics.CHAMPION_AUC_PR, decision.championAucPr())
        .set(ChurnModelMetrics.CHAMPION_BRIER, decision.championBrier());
  }

  /** The row of a candidate. */
  static Row candidate(RowBuilder common, Trainer.Evaluation e, boolean chosen, ModelSettings settings,
      List<String> inputs, String modelPath) {
    return common.copy()
        .set(ChurnModelMetrics.MODEL, e.candidate().label())
        .set(ChurnModelMetrics.CHOSEN, chosen)
        .set(ChurnModelMetrics.CALIBRATION_METHOD, settings.calibration().label())
        .set(ChurnModelMetrics.VALIDATION_ROWS, e.rawLosses().rows())
        .set(ChurnModelMetrics.POSITIVE_RATE, e.rawLosses().positiveRate())
        .set(ChurnModelMetrics.AUC_ROC, e.aucRoc())
        .set(ChurnModelMetrics.AUC_PR, e.aucPr())
        .set(ChurnModelMetrics.AUC_ROC_FOLD_STD, e.aucRocFoldStd())
        .set(ChurnModelMetrics.LOG_LOSS, e.calibratedLosses().logLoss())
        .set(ChurnModelMetrics.BRIER, e.calibratedLosses().brier())
        .set(ChurnModelMetrics.LOG_LOSS_UNCALIBRATED, e.rawLosses().logLoss())
        .set(ChurnModelMetrics.BRIER_UNCALIBRATED, e.rawLosses().brier())
        .set(ChurnModelMetrics.CALIBRATION, e.calibration())
        .set(ChurnModelMetrics.LIFT, e.lift())
        .set(ChurnModelMetrics.FEATURES, inputs)
        .set(ChurnModelMetrics.PARAMS, settings.params(e.candidate()))
        .set(ChurnModelMetrics.MODEL_PATH, modelPath)
        .build();
  }

  /** Replaces the rows of one training as-of date and dataset (a rerun replaces its own rows only). */
  static void write(SparkSession spark, TableCatalog catalog, LocalDate asOf, String dataset, List<Row> rows) {
    DeltaIO.replaceWhere(spark, spark.createDataFrame(rows, ChurnModelMetrics.TABLE.schema()), ChurnModelMetrics.TABLE,
        catalog.path(ChurnModelMetrics.TABLE), ChurnModelMetrics.AS_OF_DATE + " = DATE'" + asOf + "' AND "
            + ChurnModelMetrics.DATASET + " = '" + dataset.replace("'", "''") + "'");
  }

  /** The row of a ranking baseline evaluated on the same held-out rows (e.g. recency). */
  static Row baseline(RowBuilder common, String model, ChurnMetrics.Ranking ranking, List<String> features) {
    return common.copy()
        .set(ChurnModelMetrics.MODEL, model)
        .set(ChurnModelMetrics.CHOSEN, false)
        .set(ChurnModelMetrics.VALIDATION_ROWS, ranking.rows())
        .set(ChurnModelMetrics.POSITIVE_RATE, ranking.positiveRate())
        .set(ChurnModelMetrics.AUC_ROC, ranking.aucRoc())
        .set(ChurnModelMetrics.AUC_PR, ranking.aucPr())
        .set(ChurnModelMetrics.LIFT, ranking.lift())
        .set(ChurnModelMetrics.FEATURES, features)
        .setNull(CANDIDATE_ONLY)
        .build();
  }
}
