package io.cxlake.jobs.churn;

import static io.cxlake.common.time.Durations.days;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.jobs.clv.PurchaseForecast;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Turns the shared point-in-time customer features ({@code CustomerFeatures.compute}, the columns
 * of customer_360) at a cut-off, or at several in one plan, into the churn model's inputs: numeric
 * columns without nulls (an absent value becomes 0 next to a {@code has_*} indicator, so the model
 * can tell "none" from "zero"), heavy-tailed amounts and durations on a log1p scale,
 * recent-versus-earlier trends, BG/NBD P(alive) and expected purchases fitted at the cut-off,
 * categorical columns with "none" for null, and the reason a customer is not scored. Pure column
 * expressions: no reads, writes or actions.
 */
public final class ChurnFeatures {
  public static final String CUSTOMER_ID = Customer360.CUSTOMER_ID;
  /** Why the customer is outside the model's population; null when scored. */
  public static final String REASON = ChurnScores.REASON;
  /** 1.0 churned in the horizon, 0.0 retained. */
  public static final String LABEL = "label";
  /** Training weight (class balancing). */
  public static final String WEIGHT = "weight";
  /** As-of date of the snapshot a row comes from. */
  public static final String CUTOFF_DATE = Cutoffs.DATE;
  /** Passed through for value at risk; not a model input. */
  public static final String CLV = ClvPredictions.CLV;
  public static final String CLV_AS_OF_DATE = "clv_as_of_date";

  /** BG/NBD P(alive) at the cut-off, fitted on the purchases before it ({@link PurchaseForecast}). */
  public static final String BTYD_P_ALIVE = "btyd_p_alive";
  /** BG/NBD's expected purchases in the horizon after the cut-off, on a log1p scale. */
  public static final String BTYD_EXPECTED_PURCHASES = "btyd_expected_purchases";
  /** BG/NBD's probability of no purchase in the horizon (the churn label's event), as log-odds. */
  public static final String BTYD_NO_PURCHASE_LOGIT = "btyd_no_purchase_logit";
  public static final String DAYS_SINCE_FIRST_ORDER = "days_since_first_order";
  public static final String RECENCY_OVER_INTERPURCHASE = "recency_over_interpurchase";
  public static final String HAS_REPEAT = "has_repeat_purchase";
  public static final String ORDER_TREND = "order_trend";
  public static final String SESSION_TREND = "session_trend";
  public static final String HAS_WEB_VISIT = "has_web_visit";
  public static final String HAS_RESOLVED_TICKET = "has_resolved_ticket";
  public static final String HAS_TICKET_CSAT = "has_ticket_csat";
  public static final String HAS_CSAT = "has_csat";
  public static final String HAS_NPS = "has_nps";
  public static final String DAYS_SINCE_LAST_NPS = "days_since_last_nps";
  public static final String BROWSE_WITHOUT_BUY_COUNT = "browse_without_buy_count";

  /** Value of a categorical input without a value. */
  public static final String NONE = "none";

  /** Numeric model inputs, in vector order. */
  public static final List<String> NUMERIC;
  /** Categorical model inputs (one-hot encoded by the pipeline). */
  public static final List<String> CATEGORICAL = List.of(
      Customer360.ACQUISITION_CHANNEL, Customer360.COUNTRY, Customer360.PREFERRED_CHANNEL, Customer360.NPS_CLASS,
      Customer360.FAVOURITE_CATEGORY, Customer360.TOP_TICKET_TOPIC);

  /** Inputs on the log1p scale; filled while {@link #NUMERIC_EXPRESSIONS} is built. */
  private static final java.util.Set<String> LOG1P_SCALED = new java.util.HashSet<>();
  private static final Map<String, Column> NUMERIC_EXPRESSIONS = numericExpressions();

  static {
    NUMERIC = List.copyOf(NUMERIC_EXPRESSIONS.keySet());
  }

  private ChurnFeatures() {}

  /**
   * The model inputs of every customer in the features, with the reason for those outside the
   * population (null for the others).
   *
   * @param customerFeatures {@code CustomerFeatures.compute} at the cut-off
   * @param btyd {@link PurchaseForecast#at} the same cut-off and the horizon
   * @param closures account closures ({@link ChurnLabels#closures}), all times
   * @param cutoff the cut-off the features were computed at
   * @param config population rules
   */
  public static Dataset<Row> modelInputs(Dataset<Row> customerFeatures, Dataset<Row> btyd, Dataset<Row> closures,
      AsOf cutoff, ChurnConfig config) {
    return modelInputs(customerFeatures.withColumn(Cutoffs.TS, cutoff.cutoffLit()), btyd,
        closures.filter(cutoff.visible(col(ChurnLabels.CLOSED_TS))), List.of(), config);
  }

  /**
   * The model inputs at several cut-offs in one plan: one row per customer and cut-off, each
   * what {@link #modelInputs(Dataset, Dataset, Dataset, AsOf, ChurnConfig)} gives at that
   * cut-off, with {@link #CUTOFF_DATE} last.
   *
   * @param customerFeatures {@code CustomerFeatures.compute} at the cut-offs (with {@link #CUTOFF_DATE})
   * @param btyd {@link PurchaseForecast#at} each cut-off, with {@link #CUTOFF_DATE}
   * @param cutoffs {@link Cutoffs#frame} of the cut-offs
   */
  static Dataset<Row> modelInputs(Dataset<Row> customerFeatures, Dataset<Row> btyd, Dataset<Row> closures,
      Dataset<Row> cutoffs, ChurnConfig config) {
    return modelInputs(customerFeatures.join(broadcast(cutoffs), CUTOFF_DATE), btyd,
        Cutoffs.each(closures, cutoffs, Cutoffs.COLUMN.visible(col(ChurnLabels.CLOSED_TS))), List.of(CUTOFF_DATE),
        config);
  }

  /**
   * The model inputs of customer features keyed by customer and {@code keys}.
   *
   * @param features customer features with their cut-off in {@link Cutoffs#TS}
   * @param closedBefore the closures before each row's cut-off
   * @param keys what keys a row besides the customer (and is passed through last)
   */
  private static Dataset<Row> modelInputs(Dataset<Row> features, Dataset<Row> btyd, Dataset<Row> closedBefore,
      List<String> keys, ChurnConfig config) {
    List<String> on = new ArrayList<>(List.of(CUSTOMER_ID));
    on.addAll(keys);
    String[] joinOn = on.toArray(String[]::new);
    List<Column> btydColumns = new ArrayList<>(List.of(col(PurchaseForecast.CUSTOMER_ID).as(CUSTOMER_ID)));
    keys.forEach(k -> btydColumns.add(col(k)));
    btydColumns.addAll(List.of(col(PurchaseForecast.P_ALIVE).as("_p_alive"),
        col(PurchaseForecast.EXPECTED_PURCHASES).as("_expected"), col(PurchaseForecast.P_NO_PURCHASE).as("_p0")));
    Dataset<Row> closed = closedBefore.groupBy(on.stream().map(functions::col).toArray(Column[]::new))
        .agg(min(ChurnLabels.CLOSED_TS).as("_closed_ts"));
    Dataset<Row> joined = features
        .join(btyd.select(btydColumns.toArray(Column[]::new)), joinOn, "left")
        .join(closed, joinOn, "left")
        .withColumn("_first_order_days", days(col(Customer360.FIRST_ORDER_TS), col(Cutoffs.TS)))
        .withColumn("_span_days", days(col(Customer360.FIRST_ORDER_TS), col(Customer360.LAST_ORDER_TS)));

    List<Column> out = new ArrayList<>();
    out.add(col(CUSTOMER_ID));
    out.add(reason(config).as(REASON));
    NUMERIC_EXPRESSIONS.forEach((name, expr) -> out.add(expr.cast("double").as(name)));
    for (String c : CATEGORICAL) {
      out.add(coalesce(col(c).cast("string"), lit(NONE)).as(c));
    }
    keys.forEach(k -> out.add(col(k)));
    return joined.select(out.toArray(Column[]::new));
  }

  /** The first rule a customer breaks, in the order closure, no purchase, lapsed, too new. */
  private static Column reason(ChurnConfig config) {
    return when(col("_closed_ts").isNotNull(), lit(ChurnScores.REASON_ACCOUNT_CLOSED))
        .when(col(Customer360.FIRST_ORDER_TS).isNull(), lit(ChurnScores.REASON_NO_PURCHASE))
        .when(col(Customer360.RECENCY_DAYS).gt(config.activeWindowDays()), lit(ChurnScores.REASON_LAPSED))
        .when(col("_first_order_days").lt(config.minHistoryDays()), lit(ChurnScores.REASON_TOO_LITTLE_HISTORY));
  }

  private static Map<String, Column> numericExpressions() {
    Map<String, Column> m = new LinkedHashMap<>();
    // Purchases (RFM and value). Durations and amounts are heavy-tailed: log1p keeps a few extreme
    // customers from dominating the standardized logistic inputs (trees are unaffected).
    putLog1p(m, Customer360.RECENCY_DAYS, nonNegative(Customer360.RECENCY_DAYS));
    putLog1p(m, DAYS_SINCE_FIRST_ORDER, greatest(coalesce(col("_first_order_days"), lit(0.0)), lit(0.0)));
    putLog1p(m, Customer360.TENURE_DAYS, nonNegative(Customer360.TENURE_DAYS));
    putLog1p(m, Customer360.PURCHASE_OCCASIONS, nonNegative(Customer360.PURCHASE_OCCASIONS));
    m.put(HAS_REPEAT, indicator(col(Customer360.REPEAT_PURCHASES).gt(0)));
    // Days since the last purchase in units of the customer's own mean inter-purchase time.
    Column interpurchase = col("_span_days").divide(col(Customer360.REPEAT_PURCHASES));
    putLog1p(m, RECENCY_OVER_INTERPURCHASE, coalesce(
        when(col(Customer360.REPEAT_PURCHASES).gt(0).and(interpurchase.gt(0)),
            col(Customer360.RECENCY_DAYS).divide(interpurchase)), lit(0.0)));
    m.put(Customer360.ORDERS_30D, zeroIfNull(Customer360.ORDERS_30D));
    m.put(Customer360.ORDERS_90D, zeroIfNull(Customer360.ORDERS_90D));
    // Recent quarter against the mean of the three quarters before it. It replaces orders_365d
    // (a linear combination of the two would make the logistic drivers arbitrary).
    m.put(ORDER_TREND, zeroIfNull(Customer360.ORDERS_90D)
        .minus(zeroIfNull(Customer360.ORDERS_365D).minus(zeroIfNull(Customer360.ORDERS_90D)).divide(3)));
    putLog1p(m, Customer360.MONETARY_TOTAL, nonNegative(Customer360.MONETARY_TOTAL));
    putLog1p(m, Customer360.AVG_ORDER_VALUE, nonNegative(Customer360.AVG_ORDER_VALUE));
    putLog1p(m, Customer360.REVENUE_365D, nonNegative(Customer360.REVENUE_365D));
    m.put(Customer360.RETURN_RATE, zeroIfNull(Customer360.RETURN_RATE));
    m.put(Customer360.CANCELLED_ORDERS, zeroIfNull(Customer360.CANCELLED_ORDERS));
    m.put(Customer360.DISCOUNT_SHARE, zeroIfNull(Customer360.DISCOUNT_SHARE));
    m.put(Customer360.MARKETING_OPT_IN, indicator(coalesce(col(Customer360.MARKETING_OPT_IN), lit(false))));
    // Support experience.
    m.put(Customer360.TICKETS_90D, zeroIfNull(Customer360.TICKETS_90D));
    m.put(Customer360.TICKETS_365D, zeroIfNull(Customer360.TICKETS_365D));
    m.put(Customer360.TICKETS_TOTAL, zeroIfNull(Customer360.TICKETS_TOTAL));
    m.put(Customer360.OPEN_TICKETS, zeroIfNull(Customer360.OPEN_TICKETS));
    putLog1p(m, Customer360.OLDEST_OPEN_TICKET_DAYS, nonNegative(Customer360.OLDEST_OPEN_TICKET_DAYS));
    m.put(HAS_RESOLVED_TICKET, indicator(col(Customer360.MEAN_RESOLUTION_HOURS).isNotNull()));
    putLog1p(m, Customer360.MEAN_FIRST_RESPONSE_HOURS, nonNegative(Customer360.MEAN_FIRST_RESPONSE_HOURS));
    putLog1p(m, Customer360.P90_FIRST_RESPONSE_HOURS, nonNegative(Customer360.P90_FIRST_RESPONSE_HOURS));
    putLog1p(m, Customer360.MEAN_RESOLUTION_HOURS, nonNegative(Customer360.MEAN_RESOLUTION_HOURS));
    putLog1p(m, Customer360.P90_RESOLUTION_HOURS, nonNegative(Customer360.P90_RESOLUTION_HOURS));
    m.put(Customer360.FCR_RATE, zeroIfNull(Customer360.FCR_RATE));
    m.put(Customer360.REOPEN_RATE, zeroIfNull(Customer360.REOPEN_RATE));
    m.put(HAS_TICKET_CSAT, indicator(col(Customer360.MEAN_TICKET_CSAT).isNotNull()));
    m.put(Customer360.MEAN_TICKET_CSAT, zeroIfNull(Customer360.MEAN_TICKET_CSAT));
    // Surveys.
    m.put(HAS_CSAT, indicator(col(Customer360.LAST_CSAT).isNotNull()));
    m.put(Customer360.LAST_CSAT, zeroIfNull(Customer360.LAST_CSAT));
    m.put(Customer360.MEAN_CSAT, zeroIfNull(Customer360.MEAN_CSAT));
    m.put(HAS_NPS, indicator(col(Customer360.LAST_NPS_SCORE).isNotNull()));
    m.put(Customer360.LAST_NPS_SCORE, zeroIfNull(Customer360.LAST_NPS_SCORE));
    m.put(Customer360.NPS_RESPONSES, zeroIfNull(Customer360.NPS_RESPONSES));
    putLog1p(m, DAYS_SINCE_LAST_NPS, coalesce(days(col(Customer360.LAST_NPS_TS), col(Cutoffs.TS)), lit(0.0)));
    // Web engagement.
    m.put(HAS_WEB_VISIT, indicator(col(Customer360.LAST_VISIT_TS).isNotNull()));
    putLog1p(m, Customer360.DAYS_SINCE_LAST_VISIT, nonNegative(Customer360.DAYS_SINCE_LAST_VISIT));
    m.put(Customer360.SESSIONS_30D, zeroIfNull(Customer360.SESSIONS_30D));
    // Sessions of the last 30 days against the mean of the two months before; replaces sessions_90d.
    m.put(SESSION_TREND, zeroIfNull(Customer360.SESSIONS_30D)
        .minus(zeroIfNull(Customer360.SESSIONS_90D).minus(zeroIfNull(Customer360.SESSIONS_30D)).divide(2)));
    putLog1p(m, Customer360.PRODUCT_VIEWS_30D, nonNegative(Customer360.PRODUCT_VIEWS_30D));
    m.put(Customer360.CART_ABANDONMENTS_90D, zeroIfNull(Customer360.CART_ABANDONMENTS_90D));
    m.put(Customer360.HELP_VIEWS_30D, zeroIfNull(Customer360.HELP_VIEWS_30D));
    m.put(Customer360.EMAIL_CLICKS_90D, zeroIfNull(Customer360.EMAIL_CLICKS_90D));
    m.put(Customer360.PUSH_OPENS_90D, zeroIfNull(Customer360.PUSH_OPENS_90D));
    m.put(BROWSE_WITHOUT_BUY_COUNT, coalesce(size(col(Customer360.BROWSE_WITHOUT_BUY_PRODUCTS)), lit(0)));
    // BG/NBD fitted at the cut-off: every customer in the population has a purchase, so both exist
    // (0 only where the fit did not converge for the customer's summary row).
    m.put(BTYD_P_ALIVE, coalesce(col("_p_alive"), lit(0.0)));
    putLog1p(m, BTYD_EXPECTED_PURCHASES, greatest(coalesce(col("_expected"), lit(0.0)), lit(0.0)));
    // Log-odds, so that a logistic model can use BG/NBD's own answer to the label's question linearly.
    Column p0 = least(greatest(coalesce(col("_p0"), lit(0.5)), lit(1e-6)), lit(1 - 1e-6));
    m.put(BTYD_NO_PURCHASE_LOGIT, log(p0.divide(lit(1.0).minus(p0))));
    return m;
  }

  private static Column zeroIfNull(String column) {
    return coalesce(col(column).cast("double"), lit(0.0));
  }

  private static Column nonNegative(String column) {
    return greatest(zeroIfNull(column), lit(0.0));
  }

  /** Puts a heavy-tailed input on the log1p scale and records it for {@link #naturalScale}. */
  private static void putLog1p(Map<String, Column> m, String name, Column value) {
    m.put(name, log1p(value));
    LOG1P_SCALED.add(name);
  }

  /**
   * A model input's value back on its own scale, for people reading drivers: log1p inputs are
   * expm1'd (days, amounts, counts), the BG/NBD log-odds become the probability; others are as is.
   */
  static Column naturalScale(String feature, Column modelValue) {
    if (LOG1P_SCALED.contains(feature)) {
      return expm1(modelValue);
    }
    if (feature.equals(BTYD_NO_PURCHASE_LOGIT)) {
      return lit(1.0).divide(lit(1.0).plus(exp(modelValue.multiply(-1))));
    }
    return modelValue;
  }

  private static Column indicator(Column condition) {
    return when(condition, lit(1.0)).otherwise(lit(0.0));
  }
}
