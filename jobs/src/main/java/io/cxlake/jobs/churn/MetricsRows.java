package io.cxlake.jobs.churn;

import io.cxlake.common.schema.ChurnModelMetrics;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;

/** Builds churn_model_metrics rows from named values. */
final class MetricsRows {
  private MetricsRows() {}

  /** Values shared by every row of one training run. */
  static Map<String, Object> common(LocalDate asOf, String dataset, String version, String evaluation,
      ModelSettings settings, Instant trainedAt) {
    Map<String, Object> v = new HashMap<>();
    v.put(ChurnModelMetrics.AS_OF_DATE, Date.valueOf(asOf));
    v.put(ChurnModelMetrics.DATASET, dataset);
    v.put(ChurnModelMetrics.MODEL_VERSION, version);
    v.put(ChurnModelMetrics.EVALUATION, evaluation);
    v.put(ChurnModelMetrics.SELECTION_METRIC, settings.selectionMetric().label());
    v.put(ChurnModelMetrics.TRAINED_AT, Timestamp.from(trainedAt));
    return v;
  }

  /** The row of a candidate. */
  static Row candidate(Map<String, Object> common, Trainer.Evaluation e, boolean chosen, String reason,
      ModelSettings settings, List<String> inputs, String modelPath) {
    Map<String, Object> v = new HashMap<>(common);
    v.put(ChurnModelMetrics.MODEL, e.candidate().label());
    v.put(ChurnModelMetrics.CHOSEN, chosen);
    v.put(ChurnModelMetrics.SELECTION_REASON, reason);
    v.put(ChurnModelMetrics.CALIBRATION_METHOD, settings.calibration().label());
    v.put(ChurnModelMetrics.VALIDATION_ROWS, e.rawLosses().rows());
    v.put(ChurnModelMetrics.POSITIVE_RATE, e.rawLosses().positiveRate());
    v.put(ChurnModelMetrics.AUC_ROC, e.aucRoc());
    v.put(ChurnModelMetrics.AUC_PR, e.aucPr());
    v.put(ChurnModelMetrics.AUC_ROC_FOLD_STD, e.aucRocFoldStd());
    v.put(ChurnModelMetrics.LOG_LOSS, e.calibratedLosses().logLoss());
    v.put(ChurnModelMetrics.BRIER, e.calibratedLosses().brier());
    v.put(ChurnModelMetrics.LOG_LOSS_UNCALIBRATED, e.rawLosses().logLoss());
    v.put(ChurnModelMetrics.BRIER_UNCALIBRATED, e.rawLosses().brier());
    v.put(ChurnModelMetrics.CALIBRATION, e.calibration());
    v.put(ChurnModelMetrics.LIFT, e.lift());
    v.put(ChurnModelMetrics.FEATURES, inputs);
    v.put(ChurnModelMetrics.PARAMS, settings.params(e.candidate()));
    v.put(ChurnModelMetrics.MODEL_PATH, modelPath);
    return row(v);
  }

  /** Values by column name to a row in the table's column order (absent columns are null). */
  static Row row(Map<String, Object> values) {
    StructField[] fields = ChurnModelMetrics.TABLE.schema().fields();
    Object[] out = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      out[i] = values.get(fields[i].name());
    }
    return RowFactory.create(out);
  }
}
