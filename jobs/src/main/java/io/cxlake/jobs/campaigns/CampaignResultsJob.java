package io.cxlake.jobs.campaigns;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CampaignResults;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code campaign-results} job: whether the next best actions worked. The control group of a
 * campaign is a deterministic random share of the customers its rule chose, so delivered and
 * control differ only by the action. For every campaign and action day whose response window has
 * closed, it compares the customers' completed purchases in the window: conversion (difference of
 * proportions with Newcombe's 95% score interval) and revenue per customer (Welch's standard error), overall
 * and per RFM segment of the action day, into the {@code campaign_results} partition of the as-of
 * date.
 */
public final class CampaignResultsJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "campaign-results";
  /** The 97.5% quantile of the standard normal: a two-sided 95% interval. */
  static final double Z = 1.959963984540054;
  static final String UNKNOWN = "unknown";

  private static final String DELIVERED = "_delivered";
  private static final String CONVERTED = "_converted";
  private static final String REVENUE = "_revenue";

  private CampaignResultsJob() {}

  /** Reads the actions, purchases and segments, evaluates every closed window and writes. */
  public static RunStats run(SparkSession spark, CampaignResultsConfig config) {
    TableCatalog catalog = config.catalog();
    JobInputs read = new JobInputs(spark, catalog, "measure campaign results");
    Dataset<Row> actions = read.required(NextBestActions.TABLE);
    // Segments of every day: a customer's segment is the one of the action day, where segment ran.
    Dataset<Row> rfm = DeltaIO.readOrEmpty(spark, Segments.TABLE, catalog.path(Segments.TABLE))
        .select(Segments.CUSTOMER_ID, Segments.AS_OF_DATE, Segments.RFM_SEGMENT);
    Dataset<Row> rows = results(actions, read.required(Transactions.TABLE), rfm, config)
        .withColumn(CampaignResults.AS_OF_DATE, config.asOf().dateLit());
    String path = catalog.path(CampaignResults.TABLE);
    DeltaIO.replacePartition(spark, rows, CampaignResults.TABLE, path, CampaignResults.AS_OF_DATE,
        config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    return new RunStats(written, written, 0, Map.of("response_days", String.valueOf(config.responseDays())))
        .withFinding(finding(DeltaIO.read(spark, path).filter(col(CampaignResults.AS_OF_DATE)
            .equalTo(config.asOf().dateLit()).and(col(CampaignResults.SEGMENT_TYPE).equalTo(CampaignResults.TYPE_ALL))),
            config));
  }

  /**
   * The campaign_results rows (without as_of_date).
   *
   * @param actions next_best_actions (every day)
   * @param transactions silver transactions
   * @param rfm customer_id, as_of_date and rfm_segment of the segments table (may be empty)
   */
  public static Dataset<Row> results(Dataset<Row> actions, Dataset<Row> transactions, Dataset<Row> rfm,
      CampaignResultsConfig config) {
    AsOf asOf = config.asOf();
    // Windows that have closed: the action day's cut-off plus the response days is at most the run's.
    Dataset<Row> tested = actions
        .filter(col(NextBestActions.STATUS).isin(NextBestActions.STATUS_DELIVER, NextBestActions.STATUS_CONTROL)
            .and(date_add(col(NextBestActions.AS_OF_DATE), config.responseDays()).leq(asOf.dateLit())))
        .select(col(NextBestActions.CUSTOMER_ID), col(NextBestActions.CAMPAIGN), col(NextBestActions.ACTION),
            col(NextBestActions.AS_OF_DATE).as(CampaignResults.ACTION_DATE),
            col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER).as(DELIVERED),
            // The window starts with the day after the action day (the action used data before it).
            to_timestamp(date_add(col(NextBestActions.AS_OF_DATE), 1)).as("_from"));
    Dataset<Row> purchases = transactions.filter(Transactions.completed().and(asOf.visible(col(Transactions.ORDER_TS))))
        .select(col(Transactions.CUSTOMER_ID).as("_buyer"), col(Transactions.ORDER_TS).as("_ts"),
            Transactions.netAmount().as("_amount"));
    Column inWindow = col(NextBestActions.CUSTOMER_ID).equalTo(col("_buyer")).and(col("_ts").geq(col("_from")))
        .and(col("_ts").lt(col("_from").plus(make_dt_interval(lit(config.responseDays())))));
    Dataset<Row> perCustomer = tested.join(purchases, inWindow, "left")
        .groupBy(col(NextBestActions.CUSTOMER_ID), col(NextBestActions.CAMPAIGN), col(NextBestActions.ACTION),
            col(CampaignResults.ACTION_DATE), col(DELIVERED))
        .agg(max(col("_buyer").isNotNull()).as(CONVERTED), coalesce(sum("_amount"), lit(0.0)).as(REVENUE))
        .join(rfm.select(col(Segments.CUSTOMER_ID).as(NextBestActions.CUSTOMER_ID),
                col(Segments.AS_OF_DATE).as(CampaignResults.ACTION_DATE), col(Segments.RFM_SEGMENT)),
            Joins.on(NextBestActions.CUSTOMER_ID, CampaignResults.ACTION_DATE), "left");
    // Each customer counts once in the whole campaign and once in their segment.
    Dataset<Row> tagged = perCustomer.withColumn("_group", explode(array(
            struct(lit(CampaignResults.TYPE_ALL).as("t"), lit(CampaignResults.TYPE_ALL).as("s")),
            struct(lit(CampaignResults.TYPE_RFM).as("t"), coalesce(col(Segments.RFM_SEGMENT), lit(UNKNOWN)).as("s")))))
        .withColumn(CampaignResults.SEGMENT_TYPE, col("_group.t"))
        .withColumn(CampaignResults.SEGMENT, col("_group.s"));
    Column d = col(DELIVERED);
    Column converted = col(CONVERTED).cast(DataTypes.LongType);
    Column revenue = col(REVENUE);
    Dataset<Row> groups = tagged.groupBy(col(CampaignResults.CAMPAIGN), col(CampaignResults.ACTION),
            col(CampaignResults.ACTION_DATE), col(CampaignResults.SEGMENT_TYPE), col(CampaignResults.SEGMENT))
        .agg(count(when(d, lit(1))).as("_nd"), count(when(d.unary_$bang(), lit(1))).as("_nc"),
            sum(when(d, converted).otherwise(0L)).as("_cd"), sum(when(d.unary_$bang(), converted).otherwise(0L)).as("_cc"),
            sum(when(d, revenue).otherwise(0.0)).as("_rd"), sum(when(d.unary_$bang(), revenue).otherwise(0.0)).as("_rc"),
            sum(when(d, revenue.multiply(revenue)).otherwise(0.0)).as("_qd"),
            sum(when(d.unary_$bang(), revenue.multiply(revenue)).otherwise(0.0)).as("_qc"));
    return statistics(groups, config);
  }

  /** Rates, differences and their intervals from the per-group sums (built-in column arithmetic). */
  static Dataset<Row> statistics(Dataset<Row> groups, CampaignResultsConfig config) {
    Column nd = col("_nd").cast(DataTypes.DoubleType);
    Column nc = col("_nc").cast(DataTypes.DoubleType);
    Column pd = when(nd.gt(0), col("_cd").divide(nd));
    Column pc = when(nc.gt(0), col("_cc").divide(nc));
    Column uplift = pd.minus(pc);
    // Newcombe's hybrid score interval (his method 10) from the two Wilson intervals: unlike the
    // textbook normal interval it stays honest with few converters in a small control group
    // (0 of 5 against 0 of 1 is not "exactly 0").
    Column[] wd = wilson(pd, nd);
    Column[] wc = wilson(pc, nc);
    Column low = uplift.minus(sqrt(square(pd.minus(wd[0])).plus(square(wc[1].minus(pc)))));
    Column high = uplift.plus(sqrt(square(wd[1].minus(pd)).plus(square(pc.minus(wc[0])))));
    Column md = when(nd.gt(0), col("_rd").divide(nd));
    Column mc = when(nc.gt(0), col("_rc").divide(nc));
    // Sample variances of revenue per customer; Welch's standard error of the difference of means.
    Column vd = when(nd.gt(1), col("_qd").minus(nd.multiply(md).multiply(md)).divide(nd.minus(1)));
    Column vc = when(nc.gt(1), col("_qc").minus(nc.multiply(mc).multiply(mc)).divide(nc.minus(1)));
    Column revenueSe = sqrt(vd.divide(nd).plus(vc.divide(nc)));
    Column revenueUplift = md.minus(mc);
    Column tooSmall = col("_nd").lt(config.minGroupCustomers()).or(col("_nc").lt(config.minGroupCustomers()));
    return groups.select(
        col(CampaignResults.CAMPAIGN), col(CampaignResults.ACTION), col(CampaignResults.ACTION_DATE),
        lit(config.responseDays()).as(CampaignResults.RESPONSE_DAYS),
        col(CampaignResults.SEGMENT_TYPE), col(CampaignResults.SEGMENT),
        col("_nd").as(CampaignResults.DELIVERED_CUSTOMERS), col("_nc").as(CampaignResults.CONTROL_CUSTOMERS),
        col("_cd").as(CampaignResults.DELIVERED_CONVERTERS), col("_cc").as(CampaignResults.CONTROL_CONVERTERS),
        pd.as(CampaignResults.DELIVERED_CONVERSION_RATE), pc.as(CampaignResults.CONTROL_CONVERSION_RATE),
        uplift.as(CampaignResults.UPLIFT), low.as(CampaignResults.UPLIFT_CI_LOW), high.as(CampaignResults.UPLIFT_CI_HIGH),
        when(pc.gt(0), uplift.divide(pc)).as(CampaignResults.RELATIVE_UPLIFT),
        md.as(CampaignResults.DELIVERED_REVENUE_PER_CUSTOMER), mc.as(CampaignResults.CONTROL_REVENUE_PER_CUSTOMER),
        revenueUplift.as(CampaignResults.REVENUE_UPLIFT),
        revenueUplift.minus(revenueSe.multiply(Z)).as(CampaignResults.REVENUE_UPLIFT_CI_LOW),
        revenueUplift.plus(revenueSe.multiply(Z)).as(CampaignResults.REVENUE_UPLIFT_CI_HIGH),
        uplift.multiply(nd).as(CampaignResults.INCREMENTAL_CONVERSIONS),
        revenueUplift.multiply(nd).as(CampaignResults.INCREMENTAL_REVENUE),
        tooSmall.as(CampaignResults.CONTROL_TOO_SMALL),
        coalesce(tooSmall.unary_$bang().and(low.gt(0).or(high.lt(0))), lit(false)).as(CampaignResults.SIGNIFICANT));
  }

  /** The 95% Wilson score interval {low, high} of a proportion p of n; null for an empty group. */
  static Column[] wilson(Column p, Column customers) {
    Column n = when(customers.gt(0), customers);
    Column z2n = lit(Z * Z).divide(n);
    Column centre = p.plus(z2n.divide(2));
    Column halfWidth = lit(Z).multiply(sqrt(p.multiply(lit(1).minus(p)).divide(n).plus(z2n.divide(n.multiply(4)))));
    Column scale = lit(1).plus(z2n);
    return new Column[] {centre.minus(halfWidth).divide(scale), centre.plus(halfWidth).divide(scale)};
  }

  private static Column square(Column x) {
    return x.multiply(x);
  }

  /** Per campaign, its newest closed window in one phrase. */
  private static String finding(Dataset<Row> overall, CampaignResultsConfig config) {
    List<Row> rows = overall.orderBy(col(CampaignResults.CAMPAIGN), col(CampaignResults.ACTION_DATE).desc())
        .collectAsList();
    if (rows.isEmpty()) {
      return "no campaign window has closed yet (actions.response-days " + config.responseDays() + ")";
    }
    StringBuilder s = new StringBuilder();
    String last = null;
    for (Row r : rows) {
      String campaign = r.getAs(CampaignResults.CAMPAIGN);
      if (campaign.equals(last)) {
        continue;
      }
      last = campaign;
      s.append(s.length() == 0 ? "" : "; ").append(campaign).append(" of ")
          .append(r.<Object>getAs(CampaignResults.ACTION_DATE));
      if (r.isNullAt(r.fieldIndex(CampaignResults.UPLIFT))) {
        s.append(": no control group");
        continue;
      }
      s.append(String.format(Locale.ROOT, ": uplift %+.1f points [%+.1f, %+.1f]%s",
          100 * r.<Double>getAs(CampaignResults.UPLIFT), 100 * r.<Double>getAs(CampaignResults.UPLIFT_CI_LOW),
          100 * r.<Double>getAs(CampaignResults.UPLIFT_CI_HIGH),
          r.<Boolean>getAs(CampaignResults.CONTROL_TOO_SMALL) ? " (groups too small)"
              : r.<Boolean>getAs(CampaignResults.SIGNIFICANT) ? " (significant)" : ""));
    }
    return s.toString();
  }
}
