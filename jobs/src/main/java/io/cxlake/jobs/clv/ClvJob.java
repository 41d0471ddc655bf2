package io.cxlake.jobs.clv;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.PointInTime;
import io.cxlake.common.spark.Joins;
import io.cxlake.jobs.clv.ClvFitter.SegmentFit;
import io.cxlake.jobs.clv.btyd.Fit;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code clv} job: BG/NBD and Pareto/NBD for the number of future purchases and Gamma-Gamma
 * for their value, fitted on the calibration window that ends at the as-of date, written as
 * {@code clv_predictions} (per customer) and {@code clv_model} (per fitted model, with holdout
 * evaluation when {@code --holdout-end} is given).
 *
 * <p>Scale: one Spark pass summarises the order lines per customer; customers are compressed to
 * distinct (x, t_x, t) rows with counts as weights, which the driver fits in time independent of
 * the number of customers; predictions are computed once per distinct row on the executors and
 * joined back, with per-customer value arithmetic in built-in column expressions.
 */
public final class ClvJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "clv";

  /** Run-log details: seconds of the summary pass, the driver fit, and prediction plus writes. */
  public static final String DETAIL_SUMMARY_SECONDS = "seconds.summary";
  public static final String DETAIL_FIT_SECONDS = "seconds.fit";
  public static final String DETAIL_PREDICT_SECONDS = "seconds.predict_write";
  /** Run-log details: distinct rows the customers compressed to, for the purchase and spend fits. */
  public static final String DETAIL_SUMMARY_ROWS = "distinct_summary_rows";
  public static final String DETAIL_SPEND_ROWS = "distinct_spend_rows";
  /** Run-log detail: days t_x and T were rounded to for the fit (1 = exact). */
  public static final String DETAIL_FIT_RESOLUTION_DAYS = "fit_resolution_days";

  private static final String BUCKET = "_bucket";
  private static final String ACTUAL = "_actual";
  private static final String CUSTOMERS = "_customers";
  private static final String PREDICTED = "_predicted_";
  private static final String CORRELATION = "_correlation_";
  private static final String MAE = "_mae_";
  private static final String GG_SEGMENT = "_gg_segment";

  private ClvJob() {}

  /** Reads silver transactions and customers, fits, predicts and writes both tables. */
  public static RunStats run(SparkSession spark, ClvConfig config) {
    TableCatalog catalog = config.catalog();
    JobInputs read = new JobInputs(spark, catalog, "fit CLV models");
    // Calibration sees each order and customer as they were at the as-of; the holdout what they are now.
    Dataset<Row> transactions = read.history(Transactions.TABLE);
    Dataset<Row> customers = PointInTime.at(read.historyOrEmpty(Customers.TABLE), config.asOf());
    Dataset<Row> calibration = ClvSummary.calibration(PointInTime.at(transactions, config.asOf()), customers, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> exact = ClvSummary.compress(calibration).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long started = System.nanoTime();
      FitRows fitRows = fitRows(exact, config.maxFitRows());
      List<Row> spend = ClvSummary.compressSpend(calibration, config.spendDecimals()).collectAsList();
      long summarised = System.nanoTime();
      Progress.of(NAME).phase(String.format(java.util.Locale.ROOT, "fitting on %,d distinct purchase rows",
          fitRows.rows().size()));
      List<SegmentFit> fits = ClvFitter.fit(fitRows.rows(), spend, config);
      long fitted = System.nanoTime();

      Dataset<Row> scored = score(calibration, exact, fits, config);
      String predictionsPath = catalog.path(ClvPredictions.TABLE);
      DeltaIO.replacePartition(spark, predictions(scored, gammaGammaParams(spark, fits), config),
          ClvPredictions.TABLE, predictionsPath, ClvPredictions.AS_OF_DATE, config.asOf().date());
      long written = DeltaIO.lastCommitMetric(spark, predictionsPath, "numOutputRows");

      Map<ModelSegment, Holdout> holdout = config.holdoutEnd().isPresent()
          ? evaluateHoldout(scored, ClvSummary.holdoutActuals(PointInTime.current(transactions), config), config.fitParetoNbd()) : Map.of();
      DeltaIO.replacePartition(spark,
          spark.createDataFrame(modelRows(fits, fitRows.resolutionDays(), holdout, config), ClvModel.TABLE.schema()),
          ClvModel.TABLE, catalog.path(ClvModel.TABLE), ClvModel.AS_OF_DATE, config.asOf().date());

      long predicted = System.nanoTime();
      Map<String, String> details = new LinkedHashMap<>();
      details.put(DETAIL_SUMMARY_SECONDS, seconds(started, summarised));
      details.put(DETAIL_FIT_SECONDS, seconds(summarised, fitted));
      details.put(DETAIL_PREDICT_SECONDS, seconds(fitted, predicted));
      details.put(DETAIL_SUMMARY_ROWS, String.valueOf(fitRows.rows().size()));
      details.put(DETAIL_FIT_RESOLUTION_DAYS, String.valueOf(fitRows.resolutionDays()));
      details.put(DETAIL_SPEND_ROWS, String.valueOf(spend.size()));
      for (SegmentFit f : fits) {
        details.put("fit_seconds." + f.segment(), String.format(java.util.Locale.ROOT, "%.3f",
            f.bgnbd().seconds() + f.pareto().map(Fit::seconds).orElse(0.0) + f.gammaGamma().map(g -> g.seconds()).orElse(0.0)));
      }
      return new RunStats(written, written, 0, details).withFinding(finding(fits, holdout, written));
    } finally {
      exact.unpersist();
      calibration.unpersist();
    }
  }

  /** The fitted BG/NBD of the largest model segment and, with a holdout, its error there. */
  private static String finding(List<SegmentFit> fits, Map<ModelSegment, Holdout> holdout, long customers) {
    SegmentFit main = fits.stream().max(java.util.Comparator.comparingLong(SegmentFit::customers)).orElseThrow();
    var p = main.bgnbd().params();
    String text = String.format(java.util.Locale.ROOT, "%,d customers valued; BG/NBD r=%.3f alpha=%.3f a=%.3f b=%.3f%s",
        customers, p.r(), p.alpha(), p.a(), p.b(), main.bgnbd().converged() ? "" : " (NOT converged)");
    Holdout h = holdout.get(new ModelSegment(ClvModel.MODEL_BGNBD, main.segment()));
    return h == null ? text : text + String.format(java.util.Locale.ROOT,
        "; holdout purchases actual %.0f vs predicted %.0f, MAE %.3f per customer", h.actual(), h.predicted(), h.mae());
  }

  /** The rows the fit iterates over and the days t_x and T were rounded to. */
  record FitRows(List<Row> rows, int resolutionDays) {}

  /**
   * The exact compressed rows when there are at most {@code maxRows}; otherwise the same rows on a
   * grid of 7, 14, 28, ... days, the first that fits (or the last that still shrank the rows). Only
   * the chosen grid reaches the driver.
   */
  static FitRows fitRows(Dataset<Row> exact, long maxRows) {
    int days = 1;
    Dataset<Row> rows = exact;
    long count = rows.count();
    while (count > maxRows) {
      int coarser = days == 1 ? 7 : days * 2;
      Dataset<Row> candidate = ClvSummary.coarsen(exact, coarser).persist(StorageLevel.MEMORY_AND_DISK());
      long candidateCount = candidate.count();
      if (candidateCount >= count) {
        candidate.unpersist();
        break;
      }
      if (rows != exact) {
        rows.unpersist();
      }
      days = coarser;
      rows = candidate;
      count = candidateCount;
    }
    List<Row> collected = rows.collectAsList();
    if (rows != exact) {
      rows.unpersist();
    }
    return new FitRows(collected, days);
  }

  private static String seconds(long fromNanos, long toNanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", (toNanos - fromNanos) / 1e9);
  }

  /** Per-customer summary with the predictions of its distinct row. */
  static Dataset<Row> score(Dataset<Row> calibration, Dataset<Row> compressed, List<SegmentFit> fits,
      ClvConfig config) {
    Map<String, double[]> bg = new HashMap<>();
    Map<String, double[]> pareto = new HashMap<>();
    for (SegmentFit f : fits) {
      var b = f.bgnbd().params();
      bg.put(f.segment(), new double[] {b.r(), b.alpha(), b.a(), b.b()});
      f.pareto().map(Fit::params).ifPresent(p ->
          pareto.put(f.segment(), new double[] {p.r(), p.alpha(), p.s(), p.beta()}));
    }
    Dataset<Row> keys = compressed.drop(ClvSummary.WEIGHT);
    Dataset<Row> predicted = keys.mapPartitions(new ClvPredictor(bg, pareto, config), Encoders.row(ClvPredictor.OUTPUT));
    return calibration.join(predicted,
        Joins.on(ClvSummary.SEGMENT, ClvSummary.X, ClvSummary.T_X_DAYS, ClvSummary.T_DAYS), "inner");
  }

  /** The clv_predictions rows: Gamma-Gamma value and the discounted monthly curve as column arithmetic. */
  static Dataset<Row> predictions(Dataset<Row> scored, Dataset<Row> gammaGamma, ClvConfig config) {
    double unit = config.timeUnit().days();
    Column x = col(ClvSummary.X);
    Column p = col(ClvModel.P);
    Column q = col(ClvModel.Q);
    // E[M | x, m] = p (gamma + x m) / (p x + q - 1): the population mean p gamma / (q - 1) at x = 0.
    Column expectedValue = when(q.gt(1), p.multiply(col(ClvModel.GAMMA)
            .plus(x.multiply(coalesce(col(ClvSummary.MEAN_REPEAT_VALUE), lit(0.0)))))
        .divide(p.multiply(x).plus(q).minus(1)));
    double monthlyBase = 1 + config.annualDiscountRate();
    Column curve = transform(col(ClvPredictor.MONTHLY),
        (v, i) -> v.multiply(expectedValue).divide(pow(lit(monthlyBase), i.plus(1).divide(12.0))));
    return scored
        .join(broadcast(gammaGamma), col(ClvPredictor.MODEL_SEGMENT).equalTo(col(GG_SEGMENT)), "left")
        .withColumn(ClvPredictions.CLV_CURVE, curve)
        .select(
            config.asOf().dateLit().as(ClvPredictions.AS_OF_DATE),
            col(ClvSummary.CUSTOMER_ID).as(ClvPredictions.CUSTOMER_ID),
            col(ClvPredictor.MODEL_SEGMENT).as(ClvPredictions.SEGMENT),
            lit(config.timeUnit().label()).as(ClvPredictions.TIME_UNIT),
            x.as(ClvPredictions.X),
            col(ClvSummary.T_X_DAYS).divide(unit).as(ClvPredictions.T_X),
            col(ClvSummary.T_DAYS).divide(unit).as(ClvPredictions.T),
            col(ClvSummary.MEAN_REPEAT_VALUE).as(ClvPredictions.MEAN_REPEAT_VALUE),
            col(ClvPredictor.P_ALIVE).as(ClvPredictions.P_ALIVE),
            col(ClvPredictor.E30).as(ClvPredictions.EXPECTED_TRANSACTIONS_30D),
            col(ClvPredictor.E90).as(ClvPredictions.EXPECTED_TRANSACTIONS_90D),
            col(ClvPredictor.E365).as(ClvPredictions.EXPECTED_TRANSACTIONS_365D),
            expectedValue.as(ClvPredictions.EXPECTED_AVG_ORDER_VALUE),
            aggregate(col(ClvPredictions.CLV_CURVE), lit(0.0), Column::plus).as(ClvPredictions.CLV),
            col(ClvPredictions.CLV_CURVE),
            lit(config.predictionModel()).as(ClvPredictions.PREDICTION_MODEL));
  }

  /** Gamma-Gamma parameters per model segment, as a small frame to join. */
  private static Dataset<Row> gammaGammaParams(SparkSession spark, List<SegmentFit> fits) {
    StructType schema = new StructType()
        .add(GG_SEGMENT, DataTypes.StringType)
        .add(ClvModel.P, DataTypes.DoubleType)
        .add(ClvModel.Q, DataTypes.DoubleType)
        .add(ClvModel.GAMMA, DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (SegmentFit f : fits) {
      f.gammaGamma().ifPresent(g -> rows.add(RowFactory.create(f.segment(), g.params().p(), g.params().q(),
          g.params().gamma())));
    }
    return spark.createDataFrame(rows, schema);
  }

  /**
   * Holdout actual vs predicted purchases of one transaction model in one model segment.
   *
   * @param actual total holdout purchases of the segment's customers
   * @param predicted total predicted purchases
   * @param correlation per-customer correlation of actual and predicted (null when undefined)
   * @param mae per-customer mean absolute error
   * @param buckets means per calibration-frequency bucket
   */
  record Holdout(double actual, double predicted, Double correlation, double mae, List<Bucket> buckets) {
    /** Means of one calibration-frequency bucket (0..6, 7+). */
    record Bucket(String bucket, long customers, double actualMean, double predictedMean) {
      Row row() {
        return RowFactory.create(bucket, customers, actualMean, predictedMean);
      }
    }
  }

  /** A model and a model segment: the key of the holdout evaluations. */
  record ModelSegment(String model, String segment) {}

  /**
   * Holdout evaluation per model segment and transaction model: actual vs predicted mean purchases
   * per calibration-frequency bucket (0..6, 7+), totals, correlation and mean absolute error.
   */
  static Map<ModelSegment, Holdout> evaluateHoldout(Dataset<Row> scored, Dataset<Row> actuals,
      boolean withParetoNbd) {
    Map<String, String> predictedColumn = new LinkedHashMap<>();
    predictedColumn.put(ClvModel.MODEL_BGNBD, ClvPredictor.HOLDOUT_BGNBD);
    if (withParetoNbd) {
      predictedColumn.put(ClvModel.MODEL_PARETO_NBD, ClvPredictor.HOLDOUT_PARETO);
    }
    // Both models are evaluated in the same two aggregations over one cached join.
    List<Column> totals = new ArrayList<>();
    List<Column> bucketMeans = new ArrayList<>(List.of(count(lit(1)).as(CUSTOMERS)));
    predictedColumn.forEach((model, column) -> {
      Column predicted = col(column);
      totals.addAll(List.of(sum(predicted).as(PREDICTED + model), corr(col(ACTUAL), predicted).as(CORRELATION + model),
          avg(abs(col(ACTUAL).minus(predicted))).as(MAE + model)));
      bucketMeans.add(avg(predicted).as(PREDICTED + model));
    });
    Dataset<Row> perCustomer = scored.join(actuals, ClvSummary.CUSTOMER_ID, "left")
        .withColumn(ACTUAL, coalesce(col(ClvSummary.HOLDOUT_X), lit(0L)).cast(DataTypes.DoubleType))
        .withColumn(BUCKET, when(col(ClvSummary.X).geq(7), lit("7+")).otherwise(col(ClvSummary.X).cast("string")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> totalRows = perCustomer.groupBy(ClvPredictor.MODEL_SEGMENT)
          .agg(sum(ACTUAL).as(ACTUAL), totals.toArray(Column[]::new)).collectAsList();
      List<Row> bucketRows = perCustomer.groupBy(ClvPredictor.MODEL_SEGMENT, BUCKET)
          .agg(avg(ACTUAL).as(ACTUAL), bucketMeans.toArray(Column[]::new))
          .orderBy(col(ClvPredictor.MODEL_SEGMENT), col(BUCKET)).collectAsList();
      Map<ModelSegment, Holdout> out = new HashMap<>();
      for (String model : predictedColumn.keySet()) {
        for (Row r : totalRows) {
          String segment = r.getAs(ClvPredictor.MODEL_SEGMENT);
          List<Holdout.Bucket> buckets = bucketRows.stream()
              .filter(b -> b.<String>getAs(ClvPredictor.MODEL_SEGMENT).equals(segment))
              .map(b -> new Holdout.Bucket(b.getAs(BUCKET), b.<Long>getAs(CUSTOMERS), b.<Double>getAs(ACTUAL),
                  b.<Double>getAs(PREDICTED + model)))
              .toList();
          out.put(new ModelSegment(model, segment), new Holdout(r.<Double>getAs(ACTUAL),
              r.<Double>getAs(PREDICTED + model), r.getAs(CORRELATION + model), r.<Double>getAs(MAE + model),
              buckets));
        }
      }
      return out;
    } finally {
      perCustomer.unpersist();
    }
  }

  /** One clv_model row per fitted model. */
  static List<Row> modelRows(List<SegmentFit> fits, int resolutionDays, Map<ModelSegment, Holdout> holdout,
      ClvConfig config) {
    List<Row> rows = new ArrayList<>();
    for (SegmentFit f : fits) {
      var bg = f.bgnbd();
      rows.add(withHoldout(common(config, ClvModel.MODEL_BGNBD, f.segment(), f.customers(), f.distinctRows(),
              bg.logLikelihood(), bg.converged(), bg.iterations(), bg.seconds())
          .set(ClvModel.FIT_RESOLUTION_DAYS, resolutionDays)
          .set(ClvModel.R, bg.params().r())
          .set(ClvModel.ALPHA, bg.params().alpha())
          .set(ClvModel.A, bg.params().a())
          .set(ClvModel.B, bg.params().b())
          .setNull(ClvModel.S, ClvModel.BETA, ClvModel.P, ClvModel.Q, ClvModel.GAMMA),
          holdout.get(new ModelSegment(ClvModel.MODEL_BGNBD, f.segment()))));

      if (f.pareto().isPresent()) {
        var pn = f.pareto().get();
        rows.add(withHoldout(common(config, ClvModel.MODEL_PARETO_NBD, f.segment(), f.customers(), f.distinctRows(),
                pn.logLikelihood(), pn.converged(), pn.iterations(), pn.seconds())
            .set(ClvModel.FIT_RESOLUTION_DAYS, resolutionDays)
            .set(ClvModel.R, pn.params().r())
            .set(ClvModel.ALPHA, pn.params().alpha())
            .set(ClvModel.S, pn.params().s())
            .set(ClvModel.BETA, pn.params().beta())
            .setNull(ClvModel.A, ClvModel.B, ClvModel.P, ClvModel.Q, ClvModel.GAMMA),
            holdout.get(new ModelSegment(ClvModel.MODEL_PARETO_NBD, f.segment()))));
      }

      if (f.gammaGamma().isPresent()) {
        var gg = f.gammaGamma().get();
        // Spend has no purchase-count holdout and is fitted on exact spend rows.
        rows.add(withHoldout(common(config, ClvModel.MODEL_GAMMA_GAMMA, f.segment(), f.spendCustomers(), f.spendRows(),
                gg.logLikelihood(), gg.converged(), gg.iterations(), gg.seconds())
            .set(ClvModel.P, gg.params().p())
            .set(ClvModel.Q, gg.params().q())
            .set(ClvModel.GAMMA, gg.params().gamma())
            .setNull(ClvModel.FIT_RESOLUTION_DAYS, ClvModel.R, ClvModel.ALPHA, ClvModel.A, ClvModel.B, ClvModel.S,
                ClvModel.BETA), null));
      }
    }
    return rows;
  }

  private static TableSpec.RowBuilder common(ClvConfig config, String model, String segment, long customers,
      int distinctRows, double logLikelihood, boolean converged, int iterations, double seconds) {
    return ClvModel.TABLE.row()
        .set(ClvModel.AS_OF_DATE, Date.valueOf(config.asOf().date()))
        .set(ClvModel.MODEL, model)
        .set(ClvModel.SEGMENT, segment)
        .set(ClvModel.TIME_UNIT, config.timeUnit().label())
        .set(ClvModel.LOG_LIKELIHOOD, logLikelihood)
        .set(ClvModel.CUSTOMERS, customers)
        .set(ClvModel.DISTINCT_ROWS, (long) distinctRows)
        .set(ClvModel.CONVERGED, converged)
        .set(ClvModel.ITERATIONS, iterations)
        .set(ClvModel.FIT_SECONDS, seconds)
        .set(ClvModel.HOLDOUT_END, config.holdoutEnd().map(Date::valueOf).orElse(null));
  }

  /** The holdout columns: the evaluation where there is one, else null. */
  private static Row withHoldout(TableSpec.RowBuilder row, Holdout h) {
    if (h == null) {
      return row.setNull(ClvModel.HOLDOUT_ACTUAL, ClvModel.HOLDOUT_PREDICTED, ClvModel.HOLDOUT_CORRELATION,
          ClvModel.HOLDOUT_MAE, ClvModel.HOLDOUT_BUCKETS).build();
    }
    return row.set(ClvModel.HOLDOUT_ACTUAL, h.actual())
        .set(ClvModel.HOLDOUT_PREDICTED, h.predicted())
        .set(ClvModel.HOLDOUT_CORRELATION, h.correlation())
        .set(ClvModel.HOLDOUT_MAE, h.mae())
        .set(ClvModel.HOLDOUT_BUCKETS, h.buckets().stream().map(Holdout.Bucket::row).toList())
        .build();
  }
}
