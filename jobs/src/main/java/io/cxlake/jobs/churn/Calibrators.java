package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.jobs.churn.ModelSettings.Calibration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Probability calibration of a fitted candidate, fitted on predictions the candidate did not
 * train on (the validation snapshot, or out-of-fold predictions): class weighting and boosting
 * both distort the raw probability, and a churn probability must mean what it says.
 *
 * <ul>
 *   <li>platt: a one-feature logistic regression on the churn margin (Platt 1999), two
 *       parameters, smooth and strictly monotone, so the ranking is unchanged;
 *   <li>isotonic: MLlib isotonic regression on the raw probability, a monotone step function
 *       that can fix any monotone distortion but needs more data and ties customers in a step.
 * </ul>
 */
public final class Calibrators {
  /** The calibrated churn probability (a double) added by {@link #apply}. */
  public static final String PROBABILITY = "churn_probability";

  private static final String PLATT_INPUT = "platt_input";
  private static final String PLATT_PROBABILITY = "platt_probability";
  private static final String ISOTONIC_PROBABILITY = "isotonic_probability";

  private Calibrators() {}

  /** Fits the calibration stages on predictions carrying raw_margin, raw_probability and the label. */
  public static Transformer[] fit(Calibration method, Dataset<Row> predictions) {
    if (method == Calibration.ISOTONIC) {
      return new Transformer[] {new IsotonicRegression()
          .setFeaturesCol(ChurnPipelines.RAW_PROBABILITY)
          .setFeatureIndex(1)
          .setLabelCol(ChurnFeatures.LABEL)
          .setPredictionCol(ISOTONIC_PROBABILITY)
          .fit(predictions)};
    }
    VectorSlicer slicer = new VectorSlicer().setInputCol(ChurnPipelines.RAW_MARGIN).setOutputCol(PLATT_INPUT)
        .setIndices(new int[] {1});
    LogisticRegression platt = new LogisticRegression()
        .setFeaturesCol(PLATT_INPUT)
        .setLabelCol(ChurnFeatures.LABEL)
        .setRegParam(0.0)
        .setMaxIter(100)
        .setRawPredictionCol("platt_raw")
        .setProbabilityCol(PLATT_PROBABILITY)
        .setPredictionCol("platt_prediction");
    return new Transformer[] {slicer, platt.fit(slicer.transform(predictions))};
  }

  /** The calibrated probability column of a frame the calibration stages have transformed. */
  public static Column probability(Calibration method) {
    return method == Calibration.ISOTONIC ? col(ISOTONIC_PROBABILITY)
        : org.apache.spark.ml.functions.vector_to_array(col(PLATT_PROBABILITY), "float64").getItem(1);
  }

  /** Applies fitted calibration stages and adds {@link #PROBABILITY}. */
  public static Dataset<Row> apply(Calibration method, Transformer[] stages, Dataset<Row> predictions) {
    Dataset<Row> out = predictions;
    for (Transformer t : stages) {
      out = t.transform(out);
    }
    return out.withColumn(PROBABILITY, probability(method));
  }

  /**
   * Cross-fitted calibration, for honest calibration metrics: the rows of each fold get the
   * calibrator fitted on the other folds, so no row's calibrated probability saw its own label.
   */
  public static Dataset<Row> crossFit(Calibration method, Dataset<Row> predictions, String foldColumn, int folds) {
    List<Column> keep = new ArrayList<>();
    for (String c : predictions.columns()) {
      keep.add(col(c));
    }
    keep.add(col(PROBABILITY));
    List<Dataset<Row>> parts = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      Transformer[] stages = fit(method, predictions.filter(col(foldColumn).notEqual(k)));
      parts.add(apply(method, stages, predictions.filter(col(foldColumn).equalTo(k)))
          .select(keep.toArray(Column[]::new)));
    }
    Dataset<Row> all = parts.get(0);
    for (int k = 1; k < parts.size(); k++) {
      all = all.unionByName(parts.get(k));
    }
    return all;
  }
}
