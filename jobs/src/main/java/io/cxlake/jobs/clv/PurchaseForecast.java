package io.cxlake.jobs.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;

import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.PointInTime;
import io.cxlake.jobs.clv.ClvFitter.SegmentFit;
import io.cxlake.jobs.clv.ClvJob.FitRows;
import io.cxlake.jobs.clv.btyd.BgNbd;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * BG/NBD's view of every customer at a past cut-off, for models that need it at many cut-offs
 * (churn): fitted with the clv job's own summary and fitter on the purchases before the cut-off
 * only, one model for the whole base, and scored per customer. Nothing is read from
 * clv_predictions, so the quantities exist at every cut-off whether or not the clv job ran then.
 */
public final class PurchaseForecast {
  public static final String CUSTOMER_ID = ClvSummary.CUSTOMER_ID;
  /** P(alive) at the cut-off. */
  public static final String P_ALIVE = "p_alive";
  /** Conditional expected purchases in the horizon after the cut-off. */
  public static final String EXPECTED_PURCHASES = "expected_purchases";
  /** Probability of no purchase in the horizon after the cut-off. */
  public static final String P_NO_PURCHASE = "p_no_purchase";
  /** Columns of {@link #at}. */
  public static final StructType SCHEMA = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType)
      .add(P_ALIVE, DataTypes.DoubleType)
      .add(EXPECTED_PURCHASES, DataTypes.DoubleType)
      .add(P_NO_PURCHASE, DataTypes.DoubleType);

  private PurchaseForecast() {}

  /**
   * One row per customer with a purchase before the end of the cut-off day. The distinct summary
   * rows are materialised (one pass over the purchases, then the fit on the driver); the returned
   * frame joins the predictions to the per-customer summary lazily.
   *
   * @param transactions silver transactions with their versions (rows after the cut-off, and
   *     versions that took effect after it, are ignored)
   * @param clv the clv job's settings (occasions, time unit, fit grid); segments and Pareto/NBD are not used
   * @param cutoff the cut-off
   * @param horizonDays the horizon of the expected purchases
   */
  public static Dataset<Row> at(SparkSession spark, Dataset<Row> transactions, ClvConfig clv, AsOf cutoff,
      int horizonDays) {
    ClvConfig config = new ClvConfig(clv.catalog(), cutoff, Optional.of(cutoff.date().plusDays(horizonDays)),
        clv.timeUnit(), clv.mergeSameDayPurchases(), clv.countReturnedOrders(),
        // One month of CLV curve: only P(alive) and the horizon's expectation are read.
        ClvModel.MODEL_BGNBD, false, 1, clv.annualDiscountRate(),
        Optional.empty(), clv.minSegmentCustomers(), clv.spendDecimals(), clv.maxFitRows());
    // Customers' segment is ALL without a segment column, so the customers table is not read.
    Dataset<Row> calibration = ClvSummary.calibration(PointInTime.at(transactions, cutoff), spark.emptyDataFrame(),
        config);
    Dataset<Row> exact = ClvSummary.compress(calibration).localCheckpoint();
    FitRows rows = ClvJob.fitRows(exact, config.maxFitRows());
    if (rows.rows().isEmpty()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    List<SegmentFit> fits = ClvFitter.fit(rows.rows(), List.of(), config);
    BgNbd.Params p = fits.get(0).bgnbd().params();
    double unit = config.timeUnit().days();
    Column pAlive = col(ClvPredictor.P_ALIVE);
    // Alive at the cut-off, a customer can only drop out after a purchase, so no purchase in t means
    // no Poisson event: E[exp(-lambda t)] over the posterior Gamma(r + x, alpha + T).
    Column alphaT = lit(p.alpha()).plus(col(ClvSummary.T_DAYS).divide(unit));
    Column noEventIfAlive = pow(alphaT.divide(alphaT.plus(horizonDays / unit)), col(ClvSummary.X).plus(p.r()));
    return ClvJob.score(calibration, exact, fits, config).select(
        col(ClvSummary.CUSTOMER_ID).as(CUSTOMER_ID),
        pAlive.as(P_ALIVE),
        col(ClvPredictor.HOLDOUT_BGNBD).as(EXPECTED_PURCHASES),
        lit(1.0).minus(pAlive).plus(pAlive.multiply(noEventIfAlive)).as(P_NO_PURCHASE));
  }
}
