package io.cxlake.jobs.actions;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Durations;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The five trigger rules, each a pure function from the as-of data to candidate actions:
 * {@code customer_id, action, product_id, reason, trigger_data, _value} where {@code _value} is the
 * value at stake (before the rule's uplift), null when CLV is unknown.
 */
public final class Triggers {
  public static final String CUSTOMER_ID = NextBestActions.CUSTOMER_ID;
  public static final String ACTION = NextBestActions.ACTION;
  public static final String PRODUCT_ID = NextBestActions.PRODUCT_ID;
  public static final String REASON = NextBestActions.REASON;
  public static final String TRIGGER_DATA = NextBestActions.TRIGGER_DATA;
  public static final String VALUE = "_value";

  /** Columns of the per-customer scores frame (null where the clv or churn job has not run). */
  public static final String P_ALIVE = "p_alive";
  public static final String CLV = "clv";
  public static final String CHURN_PROBABILITY = "churn_probability";

  /** Columns of the product frame ({@link ProductDimension}). */
  public static final String NAME = ProductDimension.PRODUCT_NAME;
  public static final String CATEGORY = ProductDimension.CATEGORY;
  public static final String PRICE = ProductDimension.PRICE;

  private Triggers() {}

  private static Column text(Column c) {
    return c.cast(DataTypes.StringType);
  }

  /** What is at stake when a customer may leave: CLV x churn risk (churn probability, else 1 - P(alive)). */
  private static Column valueAtRisk() {
    return col(CLV).multiply(coalesce(col(CHURN_PROBABILITY), lit(1.0).minus(col(P_ALIVE))));
  }

  private static Dataset<Row> candidates(Dataset<Row> rows, String action, Column product, Column reason,
      Column data, Column value) {
    return rows.select(col(CUSTOMER_ID), lit(action).as(ACTION), product.cast(DataTypes.StringType).as(PRODUCT_ID),
        reason.as(REASON), data.as(TRIGGER_DATA), value.cast(DataTypes.DoubleType).as(VALUE));
  }

  /**
   * Win-back, two rules: the flat one (no purchase for inactive-days days, whatever the purchase
   * count) and, before it, the cadence one for repeat buyers (longer than gap-multiplier x their
   * mean days between purchases, at least min-days). P(alive) and the churn probability only value
   * the action; the reason names the rule that fired.
   *
   * @param scores customer_id, p_alive, clv, churn_probability
   */
  public static Dataset<Row> winBack(Dataset<Row> customer360, Dataset<Row> scores, ActionsConfig.WinBack cfg) {
    Column occasions = col(Customer360.PURCHASE_OCCASIONS);
    // Null for one-time buyers: ANSI mode makes a division by zero an error, not a null.
    Column gap = when(occasions.geq(2),
        Durations.days(col(Customer360.FIRST_ORDER_TS), col(Customer360.LAST_ORDER_TS)).divide(occasions.minus(1)));
    Column repeat = occasions.geq(2).and(gap.gt(0));
    Column cadence = greatest(lit((double) cfg.minDays()), gap.multiply(cfg.gapMultiplier()));
    Column recency = col(Customer360.RECENCY_DAYS);
    Column inactive = recency.geq(cfg.inactiveDays());
    Column late = repeat.and(recency.gt(cadence));
    Column pAlive = col(P_ALIVE);
    Dataset<Row> lapsed = customer360.select(col(Customer360.CUSTOMER_ID), col(Customer360.LAST_ORDER_TS), recency,
            occasions, col(Customer360.FIRST_ORDER_TS))
        .join(scores, Joins.on(CUSTOMER_ID), "left")
        .filter(col(Customer360.LAST_ORDER_TS).isNotNull().and(inactive.or(late)));
    Column days = floor(recency).cast(DataTypes.IntegerType);
    Column reason = concat(
        when(inactive, format_string("Inactivity rule: no purchase for %d days (%d or more)", days,
                lit(cfg.inactiveDays())))
            .otherwise(format_string("Cadence rule: no purchase for %d days, %.1fx the usual %d days between purchases",
                days, when(gap.gt(0), recency.divide(gap)), round(gap).cast(DataTypes.IntegerType))),
        when(occasions.equalTo(1), lit(", after a single purchase")).otherwise(lit("")),
        when(pAlive.isNotNull(), format_string("; P(alive) %.2f", pAlive)).otherwise(lit("")));
    Column data = map(
        lit("rule"), when(inactive, lit("inactivity")).otherwise(lit("cadence")),
        lit("recency_days"), text(round(recency, 1)),
        lit("threshold_days"), text(when(inactive, lit((double) cfg.inactiveDays())).otherwise(round(cadence, 1))),
        lit("mean_gap_days"), text(when(repeat, round(gap, 1))),
        lit("purchases"), text(occasions),
        lit("p_alive"), text(round(pAlive, 4)),
        lit("churn_probability"), text(round(col(CHURN_PROBABILITY), 4)));
    return candidates(lapsed, NextBestActions.WIN_BACK, lit(null), reason, data, valueAtRisk());
  }

  /**
   * Browse abandonment: per customer and product, the latest view or add-to-cart; a product whose
   * latest one was at least wait-days and at most window-days ago, not bought by the customer since,
   * and not offered to them within the rule's cooldown, is offered. Of several, the one with the most
   * views in the window, then the latest, then the product id.
   *
   * @param products the product dimension ({@link ProductDimension})
   * @param history next_best_actions rows of the days before (the cooldown per product)
   */
  public static Dataset<Row> browseAbandon(Dataset<Row> webEvents, Dataset<Row> transactions, Dataset<Row> products,
      Dataset<Row> history, AsOf asOf, ActionsConfig.Browse cfg) {
    Column interest = col(WebEvents.EVENT_TYPE).isin(WebEvents.PRODUCT_VIEW, WebEvents.ADD_TO_CART)
        .and(col(WebEvents.PRODUCT_ID).isNotNull());
    Dataset<Row> viewed = CustomerFeatures.attributedEvents(webEvents, asOf)
        .filter(interest.and(asOf.within(col(WebEvents.EVENT_TS), cfg.windowDays())))
        .groupBy(col(CUSTOMER_ID), col(WebEvents.PRODUCT_ID).as(PRODUCT_ID))
        .agg(count(lit(1)).as("_views"), max(col(WebEvents.EVENT_TS)).as("_last_view"))
        .filter(col("_last_view").leq(asOf.daysBeforeLit(cfg.waitDays())));
    Dataset<Row> bought = transactions.filter(Transactions.completed().and(asOf.visible(col(Transactions.ORDER_TS))))
        .select(col(Transactions.CUSTOMER_ID).as("_buyer"), col(Transactions.PRODUCT_ID).as("_bought"),
            col(Transactions.ORDER_TS).as("_bought_ts"));
    Dataset<Row> offered = history.filter(col(NextBestActions.ACTION).equalTo(NextBestActions.BROWSE_ABANDON)
            .and(col(NextBestActions.STATUS).isin(NextBestActions.STATUS_DELIVER, NextBestActions.STATUS_CONTROL))
            .and(col(NextBestActions.AS_OF_DATE).geq(date_sub(asOf.dateLit(), cfg.rule().cooldownDays()))))
        .select(col(NextBestActions.CUSTOMER_ID).as(CUSTOMER_ID), col(NextBestActions.PRODUCT_ID).as(PRODUCT_ID));
    Dataset<Row> top = viewed
        .join(bought, col(CUSTOMER_ID).equalTo(col("_buyer")).and(col(PRODUCT_ID).equalTo(col("_bought")))
            .and(col("_bought_ts").geq(col("_last_view"))), "left_anti")
        .join(offered, Joins.on(CUSTOMER_ID, PRODUCT_ID), "left_anti")
        .withColumn("_rank", row_number().over(Window.partitionBy(CUSTOMER_ID)
            .orderBy(col("_views").desc(), col("_last_view").desc(), col(PRODUCT_ID))))
        .filter(col("_rank").equalTo(1))
        .join(products.select(PRODUCT_ID, NAME, PRICE), Joins.on(PRODUCT_ID), "left");
    Column daysAgo = floor(asOf.daysSince(col("_last_view"))).cast(DataTypes.IntegerType);
    Column reason = format_string("Viewed %s %d times in the last %d days, last %d days ago, and not bought since",
        coalesce(col(NAME), col(PRODUCT_ID)), col("_views"), lit(cfg.windowDays()), daysAgo);
    Column data = map(lit("product_id"), col(PRODUCT_ID), lit("views"), text(col("_views")),
        lit("last_view"), text(col("_last_view")), lit("days_since_last_view"), text(daysAgo),
        lit("price"), text(col(PRICE)));
    return candidates(top, NextBestActions.BROWSE_ABANDON, col(PRODUCT_ID), reason, data, col(PRICE));
  }

  /**
   * Service recovery: the latest NPS in the last recent-days days is a detractor's, or the latest
   * CSAT in them is low, or a ticket has been open for open-ticket-days days or more.
   */
  public static Dataset<Row> serviceRecovery(Dataset<Row> customer360, Dataset<Row> surveys, Dataset<Row> scores,
      AsOf asOf, ActionsConfig.Recovery cfg) {
    Column type = col(Surveys.SURVEY_TYPE);
    Column order = struct(col(Surveys.RESPONSE_TS), col(Surveys.RESPONSE_ID));
    Dataset<Row> answers = surveys
        .filter(asOf.within(col(Surveys.RESPONSE_TS), cfg.recentDays()))
        .groupBy(col(Surveys.CUSTOMER_ID).as(CUSTOMER_ID))
        .agg(
            max_by(col(Surveys.SCORE), when(type.equalTo(Surveys.TYPE_NPS), order)).as("_nps"),
            max(when(type.equalTo(Surveys.TYPE_NPS), col(Surveys.RESPONSE_TS))).as("_nps_ts"),
            max_by(col(Surveys.SCORE), when(type.equalTo(Surveys.TYPE_CSAT), order)).as("_csat"),
            max(when(type.equalTo(Surveys.TYPE_CSAT), col(Surveys.RESPONSE_TS))).as("_csat_ts"));
    Column detractor = coalesce(col("_nps").leq(cfg.detractorMaxScore()), lit(false));
    Column lowCsat = coalesce(col("_csat").leq(cfg.lowCsatMaxScore()), lit(false));
    Column openDays = col(Customer360.OLDEST_OPEN_TICKET_DAYS);
    Column openTooLong = coalesce(openDays.geq(cfg.openTicketDays()), lit(false));
    Dataset<Row> triggered = customer360.select(col(Customer360.CUSTOMER_ID), openDays)
        .join(answers, Joins.on(CUSTOMER_ID), "left")
        .join(scores, Joins.on(CUSTOMER_ID), "left")
        .filter(detractor.or(lowCsat).or(openTooLong));
    Column reason = concat(lit("Service recovery: "), concat_ws("; ",
        when(detractor, format_string("NPS %d (detractor) on %s", col("_nps"), date_format(col("_nps_ts"), "yyyy-MM-dd"))),
        when(lowCsat, format_string("CSAT %d on %s", col("_csat"), date_format(col("_csat_ts"), "yyyy-MM-dd"))),
        when(openTooLong, format_string("a ticket open for %d days", floor(openDays).cast(DataTypes.IntegerType)))));
    Column data = map(lit("nps"), text(when(detractor, col("_nps"))), lit("csat"), text(when(lowCsat, col("_csat"))),
        lit("oldest_open_ticket_days"), text(when(openTooLong, round(openDays, 1))),
        lit("churn_probability"), text(round(col(CHURN_PROBABILITY), 4)), lit("p_alive"), text(round(col(P_ALIVE), 4)));
    return candidates(triggered, NextBestActions.SERVICE_RECOVERY, lit(null), reason, data, valueAtRisk());
  }

  /**
   * VIP: the customer's first-ever purchase of a premium product (list price at or above the
   * premium-quantile of its category) falls in the last recent-days days, or their CLV is at or
   * above the clv-quantile of the base.
   */
  public static Dataset<Row> vip(Dataset<Row> customer360, Dataset<Row> transactions, Dataset<Row> products,
      Dataset<Row> scores, AsOf asOf, ActionsConfig.Vip cfg) {
    Column group = coalesce(col(CATEGORY), lit(""));
    Dataset<Row> thresholds = products.filter(col(PRICE).isNotNull())
        .groupBy(group.as("_group"))
        .agg(percentile_approx(col(PRICE), lit(cfg.premiumQuantile()), lit(10000)).as("_premium_price"));
    Dataset<Row> premium = products.join(thresholds, group.equalTo(col("_group")))
        .filter(col(PRICE).geq(col("_premium_price")))
        .select(col(PRODUCT_ID), col(NAME), col(CATEGORY), col(PRICE));
    Column lineOrder = struct(col(Transactions.ORDER_TS), col(PRODUCT_ID));
    Dataset<Row> firstPremium = transactions.filter(Transactions.completed().and(asOf.visible(col(Transactions.ORDER_TS))))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.PRODUCT_ID).as(PRODUCT_ID),
            col(Transactions.ORDER_TS))
        .join(premium, Joins.on(PRODUCT_ID))
        .groupBy(CUSTOMER_ID)
        .agg(min(col(Transactions.ORDER_TS)).as("_first_premium_ts"),
            min_by(col(PRODUCT_ID), lineOrder).as("_premium_product"),
            min_by(col(NAME), lineOrder).as("_premium_name"),
            min_by(col(CATEGORY), lineOrder).as("_premium_category"),
            min_by(col(PRICE), lineOrder).as("_premium_price"));
    Dataset<Row> clvThreshold = scores.agg(percentile_approx(col(CLV), lit(cfg.clvQuantile()), lit(10000))
        .as("_clv_threshold"));
    Column recentPremium = coalesce(col("_first_premium_ts").geq(asOf.daysBeforeLit(cfg.recentDays())), lit(false));
    Column topClv = coalesce(col(CLV).geq(col("_clv_threshold")), lit(false));
    Dataset<Row> triggered = customer360.select(Customer360.CUSTOMER_ID)
        .join(firstPremium, Joins.on(CUSTOMER_ID), "left")
        .join(scores, Joins.on(CUSTOMER_ID), "left")
        .crossJoin(clvThreshold)
        .filter(recentPremium.or(topClv));
    long topShare = Math.round((1 - cfg.premiumQuantile()) * 100);
    long topClvShare = Math.round((1 - cfg.clvQuantile()) * 100);
    Column reason = concat_ws("; ",
        when(recentPremium, format_string("First premium purchase: %s at %.2f (top " + topShare + "%% of %s prices) on %s",
            coalesce(col("_premium_name"), col("_premium_product")), col("_premium_price"),
            coalesce(col("_premium_category"), lit("all")), date_format(col("_first_premium_ts"), "yyyy-MM-dd"))),
        when(topClv, format_string("CLV %.0f in the top " + topClvShare + "%% of customers", col(CLV))));
    Column data = map(lit("premium_product"), when(recentPremium, col("_premium_product")),
        lit("premium_price"), text(when(recentPremium, col("_premium_price"))),
        lit("clv"), text(round(col(CLV), 2)), lit("clv_threshold"), text(round(col("_clv_threshold"), 2)));
    return candidates(triggered, NextBestActions.VIP, when(recentPremium, col("_premium_product")), reason, data,
        col(CLV));
  }

  /**
   * Onboarding: the first completed order was days-after to days-after + grace-days days before the
   * as-of day; the follow-up is about the order's largest line.
   */
  public static Dataset<Row> onboarding(Dataset<Row> transactions, Dataset<Row> products, Dataset<Row> scores,
      AsOf asOf, ActionsConfig.Onboarding cfg) {
    Dataset<Row> lines = transactions.filter(Transactions.completed().and(asOf.visible(col(Transactions.ORDER_TS))))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.ORDER_ID), col(Transactions.ORDER_TS),
            col(Transactions.PRODUCT_ID).as(PRODUCT_ID), col(Transactions.NET_AMOUNT));
    // Renamed keys: the first-order frame derives from the lines, and a self-join needs distinct columns.
    Dataset<Row> first = lines.groupBy(col(CUSTOMER_ID).as("_first_customer"))
        .agg(min_by(col(Transactions.ORDER_ID), struct(col(Transactions.ORDER_TS), col(Transactions.ORDER_ID)))
            .as("_first_order"), min(col(Transactions.ORDER_TS)).as("_first_ts"))
        .withColumn("_days", datediff(asOf.dateLit(), to_date(col("_first_ts"))))
        .filter(col("_days").between(cfg.daysAfter(), cfg.daysAfter() + cfg.graceDays()));
    Dataset<Row> mainProduct = lines.join(first, col(CUSTOMER_ID).equalTo(col("_first_customer"))
            .and(col(Transactions.ORDER_ID).equalTo(col("_first_order"))))
        .groupBy(col(CUSTOMER_ID), col("_days"))
        .agg(max_by(col(PRODUCT_ID), struct(coalesce(col(Transactions.NET_AMOUNT), lit(0.0)), col(PRODUCT_ID)))
            .as(PRODUCT_ID))
        .join(products.select(PRODUCT_ID, NAME), Joins.on(PRODUCT_ID), "left")
        .join(scores, Joins.on(CUSTOMER_ID), "left");
    Column reason = format_string("First purchase %d days ago (%s): ask how it is working", col("_days"),
        coalesce(col(NAME), col(PRODUCT_ID), lit("their order")));
    Column data = map(lit("days_since_first_purchase"), text(col("_days")), lit("product_id"), col(PRODUCT_ID));
    return candidates(mainProduct, NextBestActions.ONBOARDING, col(PRODUCT_ID), reason, data, col(CLV));
  }
}
