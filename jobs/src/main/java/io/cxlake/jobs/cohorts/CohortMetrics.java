package io.cxlake.jobs.cohorts;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Durations;
import io.cxlake.common.time.Grain;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The pure transformations of the cohorts job. Order lines become one row per completed order
 * with the customer's cohort facts ({@link #customerOrders}); one aggregation of those rows per
 * cohort, period and dimension value ({@link #cohortActivity}) feeds both the retention matrix and
 * the repeat-purchase view; a per-customer, per-period revenue roll-up feeds revenue retention.
 *
 * <p>A purchase is a completed order: an order with at least one completed line (status
 * completed or empty) before the cut-off; its time is its earliest line's order_ts and its
 * revenue the net amount of its completed lines. A customer's cohort is the period of their first
 * purchase (ties between orders at the same instant broken by order_id).
 */
public final class CohortMetrics {
  static final String CUSTOMER = "_customer";
  static final String ORDER = "_order";
  static final String TS = "_ts";
  static final String REVENUE = "_revenue";
  static final String FIRST_TS = "_first_ts";
  static final String PERIOD_START = "_period_start";
  static final String PERIOD_FIRST = "_period_first";
  static final String PURCHASE_NO = "_purchase_no";
  static final String PURCHASE_START = "_purchase_start";
  static final String ACQUISITION_CHANNEL = "_acquisition_channel";
  static final String COUNTRY = "_country";
  static final String FIRST_CATEGORY = "_first_category";

  private static final String TOP_CATEGORY = "_top_category";
  private static final String DIM = "_dim";
  private static final String NEW = "_new";
  private static final String ACTIVE = "_active";
  private static final String ORDERS = "_orders";
  private static final String PERIOD_REVENUE = "_period_revenue";
  private static final String CUSTOMER_REVENUE = "_customer_revenue";

  private CohortMetrics() {}

  /**
   * One row per customer and completed order visible at the cut-off, with the order's time and
   * revenue, the customer's first purchase time, first-order category, acquisition channel and
   * country, the order's period start, whether it is the customer's first order in that period,
   * its purchase number and whether it starts that purchase (with same-day merging, the day's
   * first order).
   */
  public static Dataset<Row> customerOrders(Dataset<Row> transactions, Dataset<Row> customers, CohortsConfig config) {
    AsOf asOf = config.asOf();
    Grain grain = config.grain();
    Column category = col(Transactions.CATEGORY);
    Dataset<Row> orders = transactions
        .filter(asOf.visible(col(Transactions.ORDER_TS)).and(Transactions.completed()))
        .groupBy(col(Transactions.CUSTOMER_ID).as(CUSTOMER), col(Transactions.ORDER_ID).as(ORDER))
        .agg(
            min(col(Transactions.ORDER_TS)).as(TS),
            sum(Transactions.netAmount()).as(REVENUE),
            // The largest line decides the order's category; ties go to the alphabetically first.
            min(when(category.isNotNull(), struct(Transactions.netAmount().multiply(-1).as("k"), category.as("c"))))
                .getField("c").as(TOP_CATEGORY));

    WindowSpec byCustomer = Window.partitionBy(col(CUSTOMER)).orderBy(col(TS), col(ORDER));
    Column previous = lag(col(TS), 1).over(byCustomer);
    Column newPurchase = config.mergeSameDayOrders()
        ? previous.isNull().or(to_date(previous).notEqual(to_date(col(TS))))
        : lit(true);
    Column periodStart = grain.start(col(TS));
    Dataset<Row> ranked = orders
        .withColumn(FIRST_TS, min(col(TS)).over(byCustomer))
        .withColumn(FIRST_CATEGORY, first(col(TOP_CATEGORY), false).over(byCustomer))
        .withColumn(PERIOD_START, periodStart)
        .withColumn(PERIOD_FIRST, previous.isNull().or(grain.start(previous).notEqual(periodStart)))
        .withColumn(PURCHASE_START, newPurchase)
        .withColumn(PURCHASE_NO, sum(when(newPurchase, 1).otherwise(0))
            .over(byCustomer.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .drop(TOP_CATEGORY);
    Dataset<Row> profile = customers.select(
        col(Customers.CUSTOMER_ID).as("_profile_id"),
        col(Customers.ACQUISITION_CHANNEL).as(ACQUISITION_CHANNEL),
        col(Customers.COUNTRY).as(COUNTRY));
    return ranked.join(profile, col(CUSTOMER).equalTo(col("_profile_id")), "left").drop("_profile_id");
  }

  /**
   * One row per dimension value, cohort and period with activity: cohort customers acquired
   * ({@code _new}, only in period 0), active customers, orders, revenue, and per repeat purchase
   * number and window the customers who reached it. Every cohort has its period 0 row.
   */
  public static Dataset<Row> cohortActivity(Dataset<Row> customerOrders, CohortsConfig config) {
    Grain grain = config.grain();
    List<Column> dims = new ArrayList<>();
    dims.add(struct(lit(RetentionCohorts.ALL).as("d"), lit(RetentionCohorts.ALL).as("v")));
    for (String d : config.dimensions()) {
      Column value = switch (d) {
        case RetentionCohorts.DIM_ACQUISITION_CHANNEL -> col(ACQUISITION_CHANNEL);
        case RetentionCohorts.DIM_COUNTRY -> col(COUNTRY);
        case RetentionCohorts.DIM_FIRST_CATEGORY -> col(FIRST_CATEGORY);
        default -> throw new IllegalArgumentException("Cannot split cohorts: unknown dimension (" + d + ")");
      };
      dims.add(struct(lit(d).as("d"), coalesce(value, lit(RetentionCohorts.UNKNOWN)).as("v")));
    }
    Column cohortStart = grain.start(col(FIRST_TS));
    Column period = grain.periodsBetween(cohortStart, col(PERIOD_START));
    Column elapsedDays = Durations.days(col(FIRST_TS), col(TS));

    List<Column> aggs = new ArrayList<>(List.of(
        count(when(col(PERIOD_FIRST).and(col(RetentionCohorts.PERIOD).equalTo(0)), lit(1))).as(NEW),
        count(when(col(PERIOD_FIRST), lit(1))).as(ACTIVE),
        count(lit(1)).as(ORDERS),
        sum(col(REVENUE)).as(PERIOD_REVENUE)));
    for (int n : config.repeatPurchaseNumbers()) {
      for (int days : config.repeatWindowsDays()) {
        aggs.add(count(when(col(PURCHASE_NO).equalTo(n).and(col(PURCHASE_START)).and(elapsedDays.leq(days)), lit(1)))
            .as(reachedColumn(n, days)));
      }
    }
    return customerOrders
        .withColumn(DIM, explode(array(dims.toArray(Column[]::new))))
        .withColumn(RetentionCohorts.COHORT_START, cohortStart)
        .withColumn(RetentionCohorts.PERIOD, period)
        .groupBy(
            col(DIM).getField("d").as(RetentionCohorts.COHORT_DIMENSION),
            col(DIM).getField("v").as(RetentionCohorts.COHORT_VALUE),
            col(RetentionCohorts.COHORT_START),
            col(RetentionCohorts.PERIOD))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  private static String reachedColumn(int purchaseNumber, int days) {
    return "_reached_" + purchaseNumber + "_" + days;
  }

  /**
   * The retention_cohorts rows: every cohort gets a row for each period from 0 to the as-of
   * period, with zeros where nobody bought.
   */
  public static Dataset<Row> retentionMatrix(Dataset<Row> activity, CohortsConfig config) {
    Grain grain = config.grain();
    AsOf asOf = config.asOf();
    Column asOfPeriod = lit(Date.valueOf(grain.asOfPeriod(asOf)));
    Column[] cohortKey = {
        col(RetentionCohorts.COHORT_DIMENSION), col(RetentionCohorts.COHORT_VALUE), col(RetentionCohorts.COHORT_START)};
    Dataset<Row> grid = activity.filter(col(RetentionCohorts.PERIOD).equalTo(0))
        .select(cohortKey[0], cohortKey[1], cohortKey[2], col(NEW).as(RetentionCohorts.COHORT_SIZE),
            explode(sequence(lit(0), grain.periodsBetween(col(RetentionCohorts.COHORT_START), asOfPeriod)))
                .as(RetentionCohorts.PERIOD));
    List<String> keys = List.of(RetentionCohorts.COHORT_DIMENSION, RetentionCohorts.COHORT_VALUE,
        RetentionCohorts.COHORT_START, RetentionCohorts.PERIOD);
    WindowSpec byCohort = Window.partitionBy(cohortKey).orderBy(col(RetentionCohorts.PERIOD));
    Column size = col(RetentionCohorts.COHORT_SIZE);
    Column revenue = col(RetentionCohorts.REVENUE);
    Column periodZeroRevenue = first(revenue, false).over(byCohort);
    return grid
        .join(activity.drop(NEW), scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left")
        .withColumn(RetentionCohorts.ACTIVE_CUSTOMERS, coalesce(col(ACTIVE), lit(0L)))
        .withColumn(RetentionCohorts.ORDERS, coalesce(col(ORDERS), lit(0L)))
        .withColumn(RetentionCohorts.REVENUE, coalesce(col(PERIOD_REVENUE), lit(0.0)))
        .select(
            asOf.dateLit().as(RetentionCohorts.AS_OF_DATE),
            lit(grain.label()).as(RetentionCohorts.GRAIN),
            cohortKey[0], cohortKey[1], cohortKey[2],
            col(RetentionCohorts.PERIOD),
            grain.plus(col(RetentionCohorts.COHORT_START), col(RetentionCohorts.PERIOD)).as(RetentionCohorts.PERIOD_START),
            grain.complete(grain.plus(col(RetentionCohorts.COHORT_START), col(RetentionCohorts.PERIOD)), asOf)
                .as(RetentionCohorts.PERIOD_COMPLETE),
            size,
            col(RetentionCohorts.ACTIVE_CUSTOMERS),
            col(RetentionCohorts.ACTIVE_CUSTOMERS).cast(DataTypes.DoubleType).divide(size).as(RetentionCohorts.RETENTION_RATE),
            col(RetentionCohorts.ORDERS),
            revenue,
            revenue.divide(size).as(RetentionCohorts.REVENUE_PER_CUSTOMER),
            sum(revenue).over(byCohort.rowsBetween(Window.unboundedPreceding(), Window.currentRow())).divide(size)
                .as(RetentionCohorts.CUMULATIVE_REVENUE_PER_CUSTOMER),
            when(periodZeroRevenue.gt(0), revenue.divide(periodZeroRevenue)).as(RetentionCohorts.REVENUE_RETENTION));
  }

  /** The cohort_repeat_purchases rows: one per cohort, purchase number and window. */
  public static Dataset<Row> repeatPurchases(Dataset<Row> activity, CohortsConfig config) {
    Grain grain = config.grain();
    AsOf asOf = config.asOf();
    List<Column> sums = new ArrayList<>();
    List<Column> entries = new ArrayList<>();
    for (int n : config.repeatPurchaseNumbers()) {
      for (int days : config.repeatWindowsDays()) {
        sums.add(sum(col(reachedColumn(n, days))).as(reachedColumn(n, days)));
        entries.add(struct(lit(n).as("n"), lit(days).as("w"), col(reachedColumn(n, days)).as("c")));
      }
    }
    if (entries.isEmpty()) {
      entries.add(struct(lit(null).cast(DataTypes.IntegerType).as("n"), lit(null).cast(DataTypes.IntegerType).as("w"),
          lit(null).cast(DataTypes.LongType).as("c")));
    }
    Column cohortEnd = grain.plus(col(RetentionCohorts.COHORT_START), lit(1));
    Column size = col(CohortRepeatPurchases.COHORT_SIZE);
    Column reached = col("_e").getField("c");
    Column days = col("_e").getField("w");
    return activity
        .groupBy(col(RetentionCohorts.COHORT_DIMENSION), col(RetentionCohorts.COHORT_VALUE),
            col(RetentionCohorts.COHORT_START))
        .agg(sum(col(NEW)).as(CohortRepeatPurchases.COHORT_SIZE), sums.toArray(Column[]::new))
        .withColumn("_e", explode(array(entries.toArray(Column[]::new))))
        .filter(col("_e").getField("n").isNotNull())
        .select(
            asOf.dateLit().as(CohortRepeatPurchases.AS_OF_DATE),
            lit(grain.label()).as(CohortRepeatPurchases.GRAIN),
            col(RetentionCohorts.COHORT_DIMENSION), col(RetentionCohorts.COHORT_VALUE),
            col(RetentionCohorts.COHORT_START),
            size,
            col("_e").getField("n").as(CohortRepeatPurchases.PURCHASE_NUMBER),
            days.as(CohortRepeatPurchases.WITHIN_DAYS),
            reached.as(CohortRepeatPurchases.CUSTOMERS),
            reached.cast(DataTypes.DoubleType).divide(size).as(CohortRepeatPurchases.SHARE),
            date_add(cohortEnd, days).leq(lit(Date.valueOf(asOf.date().plusDays(1))))
                .as(CohortRepeatPurchases.WINDOW_COMPLETE));
  }

  /**
   * The revenue_retention rows: for every lookback k and measured period P up to the as-of period,
   * the customers with positive revenue in P - k and what they brought in P.
   */
  public static Dataset<Row> revenueRetention(Dataset<Row> customerOrders, CohortsConfig config) {
    Grain grain = config.grain();
    AsOf asOf = config.asOf();
    Column asOfPeriod = lit(Date.valueOf(grain.asOfPeriod(asOf)));
    Dataset<Row> perCustomer = customerOrders
        .groupBy(col(CUSTOMER), col(PERIOD_START))
        .agg(sum(col(REVENUE)).as(CUSTOMER_REVENUE));
    List<Column> lookbacks = config.revenueRetentionLookbacks().stream().map(k -> lit(k)).toList();
    Column lookbackArray = lookbacks.isEmpty()
        ? array().cast(DataTypes.createArrayType(DataTypes.IntegerType)) : array(lookbacks.toArray(Column[]::new));
    Dataset<Row> base = perCustomer
        .filter(col(CUSTOMER_REVENUE).gt(0))
        .withColumn(RevenueRetention.LOOKBACK_PERIODS, explode(lookbackArray))
        .select(
            col(CUSTOMER).as("_base_customer"),
            col(RevenueRetention.LOOKBACK_PERIODS),
            col(PERIOD_START).as(RevenueRetention.BASE_PERIOD_START),
            grain.plus(col(PERIOD_START), col(RevenueRetention.LOOKBACK_PERIODS)).as(RevenueRetention.PERIOD_START),
            col(CUSTOMER_REVENUE).as("_base"))
        .filter(col(RevenueRetention.PERIOD_START).leq(asOfPeriod));
    Dataset<Row> joined = base.join(perCustomer,
        col("_base_customer").equalTo(col(CUSTOMER)).and(col(RevenueRetention.PERIOD_START).equalTo(col(PERIOD_START))),
        "left");
    // A negative net revenue in the measured period (refund-like discounts) counts as none.
    Column current = greatest(coalesce(col(CUSTOMER_REVENUE), lit(0.0)), lit(0.0));
    Column baseRevenue = col("_base");
    Column retained = current.gt(0);
    return joined
        .groupBy(col(RevenueRetention.LOOKBACK_PERIODS), col(RevenueRetention.PERIOD_START),
            col(RevenueRetention.BASE_PERIOD_START))
        .agg(
            count(lit(1)).as(RevenueRetention.BASE_CUSTOMERS),
            count(when(retained, lit(1))).as(RevenueRetention.RETAINED_CUSTOMERS),
            sum(baseRevenue).as(RevenueRetention.BASE_REVENUE),
            sum(current).as(RevenueRetention.CURRENT_REVENUE),
            sum(greatest(current.minus(baseRevenue), lit(0.0))).as(RevenueRetention.EXPANSION_REVENUE),
            sum(when(retained, greatest(baseRevenue.minus(current), lit(0.0))).otherwise(0.0))
                .as(RevenueRetention.CONTRACTION_REVENUE),
            sum(when(retained, lit(0.0)).otherwise(baseRevenue)).as(RevenueRetention.CHURNED_REVENUE),
            sum(least(current, baseRevenue)).as("_kept"))
        .select(
            asOf.dateLit().as(RevenueRetention.AS_OF_DATE),
            lit(grain.label()).as(RevenueRetention.GRAIN),
            col(RevenueRetention.LOOKBACK_PERIODS),
            col(RevenueRetention.PERIOD_START),
            col(RevenueRetention.BASE_PERIOD_START),
            grain.complete(col(RevenueRetention.PERIOD_START), asOf).as(RevenueRetention.PERIOD_COMPLETE),
            col(RevenueRetention.BASE_CUSTOMERS),
            col(RevenueRetention.RETAINED_CUSTOMERS),
            col(RevenueRetention.BASE_REVENUE),
            col(RevenueRetention.CURRENT_REVENUE),
            col(RevenueRetention.EXPANSION_REVENUE),
            col(RevenueRetention.CONTRACTION_REVENUE),
            col(RevenueRetention.CHURNED_REVENUE),
            col(RevenueRetention.CURRENT_REVENUE).divide(col(RevenueRetention.BASE_REVENUE)).as(RevenueRetention.NRR),
            col("_kept").divide(col(RevenueRetention.BASE_REVENUE)).as(RevenueRetention.GRR));
  }
}
