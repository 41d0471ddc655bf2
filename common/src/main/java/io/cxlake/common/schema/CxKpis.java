package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The cx_kpis gold table, in long format so BI tools pivot it: one row per period, metric and
 * dimension value. A rate has its numerator and denominator beside it, so it rolls up across
 * periods or dimension values as sum(numerator) / sum(denominator). Every metric's definition is
 * in docs/cohorts-kpis.md.
 */
public final class CxKpis {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String PERIOD_GRAIN = "period_grain";
  public static final String PERIOD_START = "period_start";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String METRIC = "metric";
  public static final String DIMENSION = "dimension";
  public static final String DIMENSION_VALUE = "dimension_value";
  public static final String VALUE = "value";
  public static final String NUMERATOR = "numerator";
  public static final String DENOMINATOR = "denominator";

  /** dimension and dimension_value of the overall figure. */
  public static final String ALL = "all";
  /** dimension_value of rows whose dimension value is missing. */
  public static final String UNKNOWN = "unknown";

  /** Metric names, the values of the metric column (docs/cohorts-kpis.md defines each). */
  public static final String NPS = "nps";
  public static final String NPS_RESPONSES = "nps_responses";
  public static final String NPS_PROMOTER_SHARE = "nps_promoter_share";
  public static final String NPS_PASSIVE_SHARE = "nps_passive_share";
  public static final String NPS_DETRACTOR_SHARE = "nps_detractor_share";
  public static final String CSAT_RESPONSES = "csat_responses";
  public static final String CSAT_SATISFIED_SHARE = "csat_satisfied_share";
  public static final String CSAT_MEAN = "csat_mean";
  public static final String TICKETS_OPENED = "tickets_opened";
  public static final String TICKETS_RESOLVED = "tickets_resolved";
  public static final String TICKET_SHARE = "ticket_share";
  public static final String TICKET_TOPIC_RANK = "ticket_topic_rank";
  public static final String FIRST_RESPONSE_HOURS_MEAN = "first_response_hours_mean";
  public static final String FIRST_RESPONSE_HOURS_MEDIAN = "first_response_hours_median";
  public static final String FIRST_RESPONSE_HOURS_P90 = "first_response_hours_p90";
  public static final String RESOLUTION_HOURS_MEAN = "resolution_hours_mean";
  public static final String RESOLUTION_HOURS_MEDIAN = "resolution_hours_median";
  public static final String RESOLUTION_HOURS_P90 = "resolution_hours_p90";
  public static final String FIRST_CONTACT_RESOLUTION_RATE = "first_contact_resolution_rate";
  public static final String REOPEN_RATE = "reopen_rate";
  public static final String OPEN_BACKLOG = "open_backlog";
  public static final String ORDERS = "orders";
  public static final String REVENUE = "revenue";
  public static final String AVERAGE_ORDER_VALUE = "average_order_value";
  public static final String ACTIVE_CUSTOMERS = "active_customers";
  public static final String NEW_CUSTOMERS = "new_customers";
  public static final String REPEAT_PURCHASE_RATE = "repeat_purchase_rate";
  public static final String CHURNED_CUSTOMERS = "churned_customers";
  public static final String CHURN_RATE = "churn_rate";
  public static final String SESSIONS = "sessions";
  public static final String PRODUCT_VIEWS = "product_views";
  public static final String HELP_VIEWS = "help_views";
  public static final String SESSION_CONVERSION_RATE = "session_conversion_rate";
  public static final String CART_TO_CHECKOUT_RATE = "cart_to_checkout_rate";
  public static final String CHECKOUT_TO_PURCHASE_RATE = "checkout_to_purchase_rate";
  public static final String CART_TO_PURCHASE_RATE = "cart_to_purchase_rate";
  public static final String CART_ABANDONMENT_RATE = "cart_abandonment_rate";
  public static final String HELP_VIEWS_PER_TICKET = "help_views_per_ticket";

  /** Dimensions (cx_kpis.dimension). */
  public static final String DIM_TOUCHPOINT = "touchpoint";
  public static final String DIM_TICKET_CHANNEL = "ticket_channel";
  public static final String DIM_TOPIC = "topic";
  public static final String DIM_SALES_CHANNEL = "sales_channel";
  public static final String DIM_DEVICE = "device";

  public static final TableSpec TABLE = new TableSpec(
      "cx_kpis",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date: computed from data before the end of this day (UTC)."),
          field(PERIOD_GRAIN, DataTypes.StringType, "Period length: day, week (Monday to Sunday) or month (UTC)."),
          field(PERIOD_START, DataTypes.DateType, "First day of the period."),
          field(PERIOD_COMPLETE, DataTypes.BooleanType,
              "False for the period containing the as-of day when it has not ended: figures to date."),
          field(METRIC, DataTypes.StringType, "Metric name, e.g. nps, csat_satisfied_share, first_contact_resolution_rate, "
              + "resolution_hours_p90, orders, repeat_purchase_rate, cart_abandonment_rate (docs/cohorts-kpis.md)."),
          field(DIMENSION, DataTypes.StringType,
              "What the metric is split by: 'all' (overall), touchpoint, ticket_channel, topic, sales_channel or device."),
          field(DIMENSION_VALUE, DataTypes.StringType,
              "Value of the dimension ('all' overall, 'unknown' when missing on the record)."),
          field(VALUE, DataTypes.DoubleType,
              "The metric: a count, a sum, a rate (numerator / denominator, NPS x 100), a mean, a percentile or a rank."),
          field(NUMERATOR, DataTypes.DoubleType,
              "Numerator of a rate or mean (NPS: promoters - detractors); equals value for counts and sums; "
                  + "null for percentiles and ranks."),
          field(DENOMINATOR, DataTypes.DoubleType,
              "Denominator of a rate or mean, or the number of values behind a percentile; null for counts and sums. "
                  + "A rate with no denominator (e.g. no surveys) has no row, never a 0."),
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, PERIOD_GRAIN, PERIOD_START, METRIC, DIMENSION, DIMENSION_VALUE),
      "CX KPIs per day, week and month, overall and by touchpoint, ticket channel, topic, sales channel and device: "
          + "NPS, CSAT, first-contact resolution, response and resolution times, reopen rate, ticket volume and "
          + "backlog, orders, revenue, repeat purchase and churn, web funnel. Long format.");

  private CxKpis() {}
}
