package io.cxlake.jobs.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The BTYD calibration summary in Spark: one pass over the order lines gives each customer's
 * repeat purchases x, recency t_x and age T (whole days between purchase days; T runs to the
 * as-of day, as in Fader, Hardie and Lee's CDNOW summaries) and mean repeat spend; a second
 * aggregation compresses customers to distinct (x, t_x, T) rows with their count as weight, which
 * is all a BG/NBD or Pareto/NBD fit needs. Pure transformations, no actions.
 */
public final class ClvSummary {
  public static final String CUSTOMER_ID = "customer_id";
  public static final String SEGMENT = "segment";
  public static final String X = "x";
  public static final String T_X_DAYS = "t_x_days";
  public static final String T_DAYS = "t_days";
  public static final String MEAN_REPEAT_VALUE = "mean_repeat_value";
  public static final String MEAN_SPEND_KEY = "mean_spend";
  public static final String WEIGHT = "weight";
  public static final String HOLDOUT_X = "holdout_x";
  /** Segment of every customer when no segment column is configured. */
  public static final String ALL = "all";
  /** Segment of customers whose segment column is empty. */
  public static final String UNKNOWN = "unknown";

  private static final String DAY = "_day";
  private static final String TS = "_ts";
  private static final String VALUE = "_value";

  private ClvSummary() {}

  /**
   * Purchase occasions: completed orders (and fully returned ones if so configured), merged per
   * customer-day when configured; the value is the net amount of the completed lines.
   */
  static Dataset<Row> occasions(Dataset<Row> transactions, ClvConfig config) {
    Column status = coalesce(col(Transactions.STATUS), lit(Transactions.STATUS_COMPLETED));
    Column completed = Transactions.completed();
    Column eligible = config.countReturnedOrders()
        ? completed.or(status.equalTo(Transactions.STATUS_RETURNED)) : completed;
    Column key = config.mergeSameDayPurchases()
        ? to_date(col(Transactions.ORDER_TS)).cast("string") : col(Transactions.ORDER_ID);
    return transactions.filter(eligible)
        .groupBy(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), key.as("_occasion"))
        .agg(min(col(Transactions.ORDER_TS)).as(TS),
            sum(when(completed, Transactions.netAmount()).otherwise(0.0)).as(VALUE))
        .withColumn(DAY, to_date(col(TS)));
  }

  /**
   * One row per customer with a purchase before the cut-off: segment, x, t_x_days, t_days and
   * mean_repeat_value (null when x = 0).
   */
  public static Dataset<Row> calibration(Dataset<Row> transactions, Dataset<Row> customers, ClvConfig config) {
    AsOf asOf = config.asOf();
    Dataset<Row> perCustomer = occasions(transactions.filter(asOf.visible(col(Transactions.ORDER_TS))), config)
        .groupBy(CUSTOMER_ID)
        .agg(min(DAY).as("_first"), max(DAY).as("_last"), count(lit(1)).as("_n"), sum(VALUE).as("_total"),
            min_by(col(VALUE), struct(col(TS), col(DAY))).as("_first_value"))
        .select(
            col(CUSTOMER_ID),
            col("_n").minus(1).as(X),
            datediff(col("_last"), col("_first")).as(T_X_DAYS),
            datediff(asOf.dateLit(), col("_first")).as(T_DAYS),
            when(col("_n").gt(1), col("_total").minus(col("_first_value")).divide(col("_n").minus(1)))
                .as(MEAN_REPEAT_VALUE));
    if (config.segmentColumn().isEmpty()) {
      return perCustomer.withColumn(SEGMENT, lit(ALL));
    }
    Dataset<Row> segments = customers.select(col(Customers.CUSTOMER_ID).as("_c"),
        col(config.segmentColumn().get()).as("_segment"));
    return perCustomer.join(segments, col(CUSTOMER_ID).equalTo(col("_c")), "left")
        .withColumn(SEGMENT, coalesce(col("_segment"), lit(UNKNOWN)))
        .drop("_c", "_segment");
  }

  /** Customers compressed to distinct (segment, x, t_x_days, t_days) with their count as weight. */
  public static Dataset<Row> compress(Dataset<Row> calibration) {
    return calibration.groupBy(SEGMENT, X, T_X_DAYS, T_DAYS).agg(count(lit(1)).as(WEIGHT));
  }

  /**
   * Compressed rows regrouped with t_x_days and t_days rounded (half up) to multiples of
   * {@code days}, weights summed: a coarser grid for the fit when the exact one is too large.
   * Rounding both the same way keeps t_x &le; T.
   */
  public static Dataset<Row> coarsen(Dataset<Row> compressed, int days) {
    return compressed.groupBy(col(SEGMENT), col(X),
            round(col(T_X_DAYS).divide(days)).multiply(days).cast("int").as(T_X_DAYS),
            round(col(T_DAYS).divide(days)).multiply(days).cast("int").as(T_DAYS))
        .agg(sum(WEIGHT).as(WEIGHT));
  }

  /**
   * Repeat customers with positive mean spend compressed to distinct (segment, x, rounded mean
   * spend) with weights: the Gamma-Gamma fit's input. Non-positive spend cannot come from a gamma
   * distribution, so those customers are left out of the fit (and counted by the job).
   */
  public static Dataset<Row> compressSpend(Dataset<Row> calibration, int decimals) {
    return calibration.filter(col(X).gt(0).and(col(MEAN_REPEAT_VALUE).gt(0)))
        .groupBy(col(SEGMENT), col(X), round(col(MEAN_REPEAT_VALUE), decimals).as(MEAN_SPEND_KEY))
        .agg(count(lit(1)).as(WEIGHT));
  }

  /** Repeat purchases per customer between the as-of cut-off and the end of the holdout day. */
  public static Dataset<Row> holdoutActuals(Dataset<Row> transactions, ClvConfig config) {
    Timestamp end = Timestamp.from(config.holdoutEnd().orElseThrow().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Column ts = col(Transactions.ORDER_TS);
    return occasions(transactions.filter(ts.geq(config.asOf().cutoffLit()).and(ts.lt(lit(end)))), config)
        .groupBy(CUSTOMER_ID).agg(count(lit(1)).as(HOLDOUT_X));
  }
}
