package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Evaluation of churn scores against 0/1 labels: AUC-ROC and AUC-PR (MLlib's evaluator), log
 * loss and Brier score, the calibration table and the lift/gain table. Each is one aggregation;
 * only bounded results (bins, deciles) reach the driver.
 */
public final class ChurnMetrics {
  /** Probabilities are clipped to [EPS, 1 - EPS] in the log loss, as scikit-learn does. */
  static final double EPS = 1e-15;
  /** Relative rank error of the decile boundaries; exact below 1 / this many rows. */
  static final double QUANTILE_ERROR = 1e-4;
  static final int DECILES = 10;

  private ChurnMetrics() {}

  /** Area under the ROC curve of a score (higher = more likely churn). */
  public static double aucRoc(Dataset<Row> scored, String scoreColumn) {
    return evaluator(scoreColumn, "areaUnderROC").evaluate(scored);
  }

  /** Area under the precision-recall curve of a score, churn being the positive class. */
  public static double aucPr(Dataset<Row> scored, String scoreColumn) {
    return evaluator(scoreColumn, "areaUnderPR").evaluate(scored);
  }

  private static BinaryClassificationEvaluator evaluator(String scoreColumn, String metric) {
    return new BinaryClassificationEvaluator().setRawPredictionCol(scoreColumn)
        .setLabelCol(ChurnFeatures.LABEL).setMetricName(metric);
  }

  /** Rows, positive rate, log loss and Brier score of a probability column. */
  public record Losses(long rows, double positiveRate, double logLoss, double brier) {}

  /**
   * How well a score ranks held-out rows, without probabilities (a baseline such as recency).
   *
   * @param lift the lift table ({@link #liftTable})
   */
  public record Ranking(long rows, double positiveRate, double aucRoc, double aucPr, List<Row> lift) {
    public Ranking {
      lift = List.copyOf(lift);
    }
  }

  /** The ranking metrics of a score on labelled rows whose counts are known. */
  public static Ranking ranking(Dataset<Row> scored, String scoreColumn, long rows, double positiveRate) {
    return new Ranking(rows, positiveRate, aucRoc(scored, scoreColumn), aucPr(scored, scoreColumn),
        liftTable(scored, scoreColumn));
  }

  /** {@link Losses} of a probability column, in one aggregation. */
  public static Losses losses(Dataset<Row> scored, String probabilityColumn) {
    Column y = col(ChurnFeatures.LABEL);
    Column p = least(greatest(col(probabilityColumn), lit(EPS)), lit(1 - EPS));
    Row r = scored.agg(
        count(lit(1)),
        avg(y),
        avg(y.multiply(log(p)).plus(lit(1).minus(y).multiply(log(lit(1).minus(p)))).multiply(-1)),
        avg(pow(col(probabilityColumn).minus(y), 2))).first();
    return new Losses(r.getLong(0), r.getDouble(1), r.getDouble(2), r.getDouble(3));
  }

  /**
   * The calibration table: probabilities in {@code bins} equal-width bins ([0, 1/bins), ...,
   * [(bins-1)/bins, 1]); per non-empty bin its bounds, customers, mean predicted probability and
   * observed churn rate. Rows of {@code ChurnModelMetrics.CALIBRATION_BIN_TYPE}, by bin.
   */
  public static List<Row> calibrationTable(Dataset<Row> scored, String probabilityColumn, int bins) {
    Column bin = least(floor(col(probabilityColumn).multiply(bins)), lit(bins - 1)).cast("int").plus(1);
    List<Row> grouped = scored.groupBy(bin.as("_bin"))
        .agg(count(lit(1)), avg(col(probabilityColumn)), avg(col(ChurnFeatures.LABEL)))
        .orderBy("_bin").collectAsList();
    List<Row> out = new ArrayList<>();
    for (Row g : grouped) {
      int b = g.getInt(0);
      out.add(RowFactory.create(b, (b - 1) / (double) bins, b / (double) bins, g.getLong(1), g.getDouble(2),
          g.getDouble(3)));
    }
    return out;
  }

  /**
   * The lift/gain table by decile of the score, decile 1 holding the highest scores. Decile
   * boundaries are the 90th, 80th, ... percentiles of the score; customers with equal scores
   * share a decile, so deciles can differ in size under ties (and an empty decile is omitted).
   * Per decile: customers, churners, churn rate, lift = churn rate / overall churn rate, the
   * cumulative share of all churners in deciles 1..k (the gain curve) and the cumulative lift.
   * Rows of {@code ChurnModelMetrics.LIFT_DECILE_TYPE}, by decile.
   */
  public static List<Row> liftTable(Dataset<Row> scored, String scoreColumn) {
    double[] probabilities = new double[DECILES - 1];
    for (int j = 1; j < DECILES; j++) {
      // (DECILES - j) / DECILES, not 1 - j / DECILES: 1 - 0.7 is 0.30000000000000004, whose rank
      // ceil(q n) would be one too high whenever q n is a whole number.
      probabilities[j - 1] = (DECILES - j) / (double) DECILES;
    }
    double[] thresholds = scored.stat().approxQuantile(scoreColumn, probabilities, QUANTILE_ERROR);
    // decile = 1 + number of boundaries at or above the score.
    Column decile = lit(1);
    for (double t : thresholds) {
      decile = decile.plus(when(col(scoreColumn).leq(t), 1).otherwise(0));
    }
    List<Row> grouped = scored.groupBy(decile.as("_decile"))
        .agg(count(lit(1)), sum(col(ChurnFeatures.LABEL)))
        .orderBy("_decile").collectAsList();
    long customers = 0;
    double churners = 0;
    for (Row g : grouped) {
      customers += g.getLong(1);
      churners += g.getDouble(2);
    }
    double overall = churners / customers;
    List<Row> out = new ArrayList<>();
    long cumulativeCustomers = 0;
    double cumulativeChurners = 0;
    for (Row g : grouped) {
      long n = g.getLong(1);
      double c = g.getDouble(2);
      cumulativeCustomers += n;
      cumulativeChurners += c;
      double rate = c / n;
      out.add(RowFactory.create(g.getInt(0), n, (long) c, rate, rate / overall,
          churners == 0 ? 0.0 : cumulativeChurners / churners,
          (cumulativeChurners / cumulativeCustomers) / overall));
    }
    return out;
  }
}
