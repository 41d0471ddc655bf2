package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxlake.jobs.churn.ChurnMetrics.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits one candidate and evaluates it honestly, either on a later snapshot (time split) or by
 * stratified k-fold cross-validation, and calibrates it on predictions it did not train on.
 */
final class Trainer {
  /** The churn margin, as a double (ranking metrics, lift). */
  static final String SCORE = "score";
  /** The uncalibrated churn probability, as a double. */
  static final String RAW_P = "raw_p";
  /** Fold of a row (cross-validation, cross-fitted calibration). */
  static final String FOLD = "fold";

  /** Rows and churners of a labelled frame. */
  record ClassCounts(long rows, long positives) {
    double positiveRate() {
      return rows == 0 ? 0 : positives / (double) rows;
    }
  }

  /** A fitted candidate, its calibration and output stage in one saved model, and its evaluation. */
  record Evaluation(
      Candidate candidate,
      PipelineModel calibrated,
      double aucRoc,
      double aucPr,
      Double aucRocFoldStd,
      Losses calibratedLosses,
      Losses rawLosses,
      List<Row> calibration,
      List<Row> lift) {

    double metric(ModelSettings.SelectionMetric metric) {
      return metric == ModelSettings.SelectionMetric.AUC_PR ? aucPr : aucRoc;
    }
  }

  private Trainer() {}

  /** Rows and churners, in one aggregation. */
  static ClassCounts counts(Dataset<Row> labelled) {
    Row r = labelled.agg(count(lit(1)), sum(col(ChurnFeatures.LABEL))).first();
    return new ClassCounts(r.getLong(0), r.isNullAt(1) ? 0 : (long) r.getDouble(1));
  }

  /**
   * Adds {@link ChurnFeatures#WEIGHT}: with balancing, n / (2 n_churners) for churners and
   * n / (2 n_retained) for the others, so both classes weigh half of the training set; else 1.
   */
  static Dataset<Row> weighted(Dataset<Row> labelled, ClassCounts counts, boolean balanced) {
    if (!balanced) {
      return labelled.withColumn(ChurnFeatures.WEIGHT, lit(1.0));
    }
    double positive = counts.rows() / (2.0 * counts.positives());
    double negative = counts.rows() / (2.0 * (counts.rows() - counts.positives()));
    return labelled.withColumn(ChurnFeatures.WEIGHT,
        when(col(ChurnFeatures.LABEL).equalTo(1.0), lit(positive)).otherwise(lit(negative)));
  }

  /** A candidate's predictions with the columns the metrics and calibration read. */
  private static Dataset<Row> predict(PipelineModel model, Dataset<Row> rows) {
    return model.transform(rows)
        .withColumn(SCORE, ChurnPipelines.score())
        .withColumn(RAW_P, ChurnPipelines.rawProbability())
        .select(col(ChurnFeatures.CUSTOMER_ID), col(ChurnFeatures.LABEL), col(FOLD), col(ChurnPipelines.RAW_MARGIN),
            col(ChurnPipelines.RAW_PROBABILITY), col(SCORE), col(RAW_P));
  }

  /**
   * Time split: fits on the (weighted) training snapshots, evaluates on the validation snapshot
   * and fits the calibration there. The calibration metrics use two-fold cross-fitting inside the
   * validation snapshot ({@code validation} must carry {@link #FOLD} in {0, 1}).
   */
  static Evaluation timeSplit(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, Dataset<Row> weightedTrain, Dataset<Row> validation) {
    PipelineModel base = ChurnPipelines.pipeline(candidate, settings, numeric, categorical, List.of())
        .fit(weightedTrain);
    Dataset<Row> predicted = predict(base, validation).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Transformer[] calibration = Calibrators.fit(settings.calibration(), predicted);
      Evaluation e = evaluate(candidate, settings, predicted, 2, null, null);
      PipelineModel calibrated = ChurnPipelines.assemble(validation, base, calibration,
          ChurnProbability.of(settings.calibration(), inputs(numeric, categorical)));
      return new Evaluation(candidate, calibrated, e.aucRoc(), e.aucPr(), null, e.calibratedLosses(), e.rawLosses(),
          e.calibration(), e.lift());
    } finally {
      predicted.unpersist();
    }
  }

  /**
   * Stratified k-fold cross-validation ({@code data} carries {@link #FOLD} in 0..k-1): out-of-fold
   * predictions from k fits; AUCs are the mean (and standard deviation) over folds, the other
   * metrics pool the out-of-fold rows with cross-fitted calibration. The saved model is fitted on
   * all rows and calibrated on the out-of-fold predictions.
   */
  static Evaluation crossValidated(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, List<String> impute, Dataset<Row> data, int folds) {
    Dataset<Row> outOfFold = outOfFold(candidate, settings, numeric, categorical, impute, data, folds);
    try {
      double[] roc = new double[folds];
      double[] pr = new double[folds];
      for (int k = 0; k < folds; k++) {
        Dataset<Row> fold = outOfFold.filter(col(FOLD).equalTo(k));
        roc[k] = ChurnMetrics.aucRoc(fold, SCORE);
        pr[k] = ChurnMetrics.aucPr(fold, SCORE);
      }
      Evaluation e = evaluate(candidate, settings, outOfFold, folds, mean(roc), mean(pr));
      return new Evaluation(candidate, fitAll(candidate, settings, numeric, categorical, impute, data, outOfFold),
          e.aucRoc(), e.aucPr(), std(roc), e.calibratedLosses(), e.rawLosses(), e.calibration(), e.lift());
    } finally {
      outOfFold.unpersist();
    }
  }

  /**
   * The chosen candidate refitted on newer labelled rows ({@code rows} carries {@link #FOLD} in
   * {0, 1}, by customer): fitted on every row and calibrated on two-fold out-of-fold predictions,
   * because the rows the model is fitted on cannot calibrate it honestly. Nothing is evaluated:
   * the choice was made, and is reported, on the validation snapshot.
   */
  static PipelineModel refit(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, Dataset<Row> rows) {
    Dataset<Row> outOfFold = outOfFold(candidate, settings, numeric, categorical, List.of(), rows, 2);
    try {
      return fitAll(candidate, settings, numeric, categorical, List.of(), rows, outOfFold);
    } finally {
      outOfFold.unpersist();
    }
  }

  /**
   * Out-of-fold predictions of {@code data} ({@link #FOLD} in 0..folds-1): each fold predicted by
   * a model fitted on the other folds. Persisted; the caller unpersists.
   */
  private static Dataset<Row> outOfFold(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, List<String> impute, Dataset<Row> data, int folds) {
    Dataset<Row> outOfFold = null;
    for (int k = 0; k < folds; k++) {
      Dataset<Row> train = data.filter(col(FOLD).notEqual(k));
      PipelineModel model = ChurnPipelines.pipeline(candidate, settings, numeric, categorical, impute)
          .fit(weighted(train, counts(train), settings.balancedWeights()));
      Dataset<Row> predicted = predict(model, data.filter(col(FOLD).equalTo(k)));
      outOfFold = outOfFold == null ? predicted : outOfFold.unionByName(predicted);
    }
    return outOfFold.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The candidate fitted on every row of {@code data}, calibrated on its out-of-fold predictions. */
  private static PipelineModel fitAll(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, List<String> impute, Dataset<Row> data, Dataset<Row> outOfFold) {
    PipelineModel base = ChurnPipelines.pipeline(candidate, settings, numeric, categorical, impute)
        .fit(weighted(data, counts(data), settings.balancedWeights()));
    Transformer[] calibration = Calibrators.fit(settings.calibration(), outOfFold);
    return ChurnPipelines.assemble(data, base, calibration,
        ChurnProbability.of(settings.calibration(), inputs(numeric, categorical)));
  }

  /** Metrics of held-out predictions; AUCs are computed here unless given (fold means). */
  private static Evaluation evaluate(Candidate candidate, ModelSettings settings, Dataset<Row> predicted, int folds,
      Double aucRoc, Double aucPr) {
    Dataset<Row> crossFitted = Calibrators.crossFit(settings.calibration(), predicted, FOLD, folds)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return new Evaluation(candidate, null,
          aucRoc != null ? aucRoc : ChurnMetrics.aucRoc(predicted, SCORE),
          aucPr != null ? aucPr : ChurnMetrics.aucPr(predicted, SCORE),
          null,
          ChurnMetrics.losses(crossFitted, Calibrators.PROBABILITY),
          ChurnMetrics.losses(predicted, RAW_P),
          ChurnMetrics.calibrationTable(crossFitted, Calibrators.PROBABILITY, settings.calibrationBins()),
          ChurnMetrics.liftTable(predicted, SCORE));
    } finally {
      crossFitted.unpersist();
    }
  }

  /**
   * Chooses between the candidates: logistic regression unless gbt beats it on the selection
   * metric by more than the tolerance, because a linear model's drivers are exact and it is
   * cheaper to explain. Returns the chosen candidate and the reason in words.
   */
  static Map.Entry<Candidate, String> choose(ModelSettings settings, Map<Candidate, Evaluation> evaluations,
      String evaluatedOn) {
    ModelSettings.SelectionMetric metric = settings.selectionMetric();
    double lr = evaluations.get(Candidate.LOGISTIC_REGRESSION).metric(metric);
    double gbt = evaluations.get(Candidate.GBT).metric(metric);
    String numbers = String.format(java.util.Locale.ROOT, "%s %s: gbt %.4f, logistic_regression %.4f",
        evaluatedOn, metric.label(), gbt, lr);
    if (gbt - lr > settings.selectionTolerance()) {
      return Map.entry(Candidate.GBT, String.format(java.util.Locale.ROOT,
          "gbt chosen: %s; gbt is better by %.4f, more than the tolerance %.4f", numbers, gbt - lr,
          settings.selectionTolerance()));
    }
    return Map.entry(Candidate.LOGISTIC_REGRESSION, String.format(java.util.Locale.ROOT,
        "logistic_regression chosen: %s; gbt is not better by more than the tolerance %.4f, and the linear "
            + "model's drivers are exact", numbers, settings.selectionTolerance()));
  }

  private static List<String> inputs(List<String> numeric, List<String> categorical) {
    List<String> all = new ArrayList<>(numeric);
    all.addAll(categorical);
    return all;
  }

  private static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  private static double std(double[] values) {
    double m = mean(values);
    double s = 0;
    for (double v : values) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (values.length - 1));
  }
}
