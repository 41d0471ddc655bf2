package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The customer_360 gold table: one row per customer known at the as-of date, every feature
 * computed only from data before the end of that day. Features of a source the landing zone does
 * not have are 0 (counts) or null (rates, means, last values).
 */
public final class Customer360 {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String EMAIL_KEY = "email_key";
  public static final String SIGNUP_TS = "signup_ts";
  public static final String COUNTRY = "country";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String MARKETING_OPT_IN = "marketing_opt_in";
  public static final String TENURE_DAYS = "tenure_days";

  public static final String FIRST_ORDER_TS = "first_order_ts";
  public static final String LAST_ORDER_TS = "last_order_ts";
  public static final String ORDERS = "orders";
  public static final String PURCHASE_OCCASIONS = "purchase_occasions";
  public static final String REPEAT_PURCHASES = "repeat_purchases";
  public static final String RECENCY_DAYS = "recency_days";
  public static final String MONETARY_TOTAL = "monetary_total";
  public static final String AVG_ORDER_VALUE = "avg_order_value";
  public static final String ORDERS_30D = "orders_30d";
  public static final String ORDERS_90D = "orders_90d";
  public static final String ORDERS_365D = "orders_365d";
  public static final String REVENUE_90D = "revenue_90d";
  public static final String REVENUE_365D = "revenue_365d";
  public static final String RETURN_RATE = "return_rate";
  public static final String CANCELLED_ORDERS = "cancelled_orders";
  public static final String DISCOUNT_SHARE = "discount_share";
  public static final String FAVOURITE_CATEGORY = "favourite_category";
  public static final String CATEGORY_SHARES = "category_shares";

  public static final String TICKETS_30D = "tickets_30d";
  public static final String TICKETS_90D = "tickets_90d";
  public static final String TICKETS_365D = "tickets_365d";
  public static final String TICKETS_TOTAL = "tickets_total";
  public static final String OPEN_TICKETS = "open_tickets";
  public static final String OLDEST_OPEN_TICKET_DAYS = "oldest_open_ticket_days";
  public static final String MEAN_FIRST_RESPONSE_HOURS = "mean_first_response_hours";
  public static final String P90_FIRST_RESPONSE_HOURS = "p90_first_response_hours";
  public static final String MEAN_RESOLUTION_HOURS = "mean_resolution_hours";
  public static final String P90_RESOLUTION_HOURS = "p90_resolution_hours";
  public static final String FCR_RATE = "fcr_rate";
  public static final String REOPEN_RATE = "reopen_rate";
  public static final String MEAN_TICKET_CSAT = "mean_ticket_csat";
  public static final String TICKET_TOPICS = "ticket_topics";
  public static final String TOP_TICKET_TOPIC = "top_ticket_topic";

  public static final String LAST_CSAT = "last_csat";
  public static final String MEAN_CSAT = "mean_csat";
  public static final String CSAT_RESPONSES = "csat_responses";
  public static final String LAST_NPS_SCORE = "last_nps_score";
  public static final String LAST_NPS_TS = "last_nps_ts";
  public static final String NPS_CLASS = "nps_class";
  public static final String NPS_RESPONSES = "nps_responses";

  public static final String SESSIONS_7D = "sessions_7d";
  public static final String SESSIONS_30D = "sessions_30d";
  public static final String SESSIONS_90D = "sessions_90d";
  public static final String PRODUCT_VIEWS_7D = "product_views_7d";
  public static final String PRODUCT_VIEWS_30D = "product_views_30d";
  public static final String PRODUCT_VIEWS_90D = "product_views_90d";
  public static final String LAST_VISIT_TS = "last_visit_ts";
  public static final String DAYS_SINCE_LAST_VISIT = "days_since_last_visit";
  public static final String CART_ABANDONMENTS_90D = "cart_abandonments_90d";
  public static final String HELP_VIEWS_30D = "help_views_30d";
  public static final String EMAIL_CLICKS_90D = "email_clicks_90d";
  public static final String PUSH_OPENS_90D = "push_opens_90d";
  public static final String BROWSE_WITHOUT_BUY_PRODUCTS = "browse_without_buy_products";
  public static final String PREFERRED_CHANNEL = "preferred_channel";

  public static final String NPS_PROMOTER = "promoter";
  public static final String NPS_PASSIVE = "passive";
  public static final String NPS_DETRACTOR = "detractor";

  private static final DataType STRING_DOUBLE_MAP =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType);
  private static final DataType STRING_LONG_MAP =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType);

  /** The feature columns (everything but as_of_date, customer_id and email_key), in order. */
  public static final StructType FEATURES = new StructType(new StructField[] {
      field(SIGNUP_TS, DataTypes.TimestampType, "Sign-up time; null without a customers source."),
      field(COUNTRY, DataTypes.StringType, "Customer country."),
      field(ACQUISITION_CHANNEL, DataTypes.StringType, "Channel that acquired the customer."),
      field(MARKETING_OPT_IN, DataTypes.BooleanType, "Marketing consent; contact only when true."),
      field(TENURE_DAYS, DataTypes.DoubleType,
          "Days from sign-up (or first order when sign-up is unknown) to the end of the as-of day."),
      field(FIRST_ORDER_TS, DataTypes.TimestampType, "First completed order."),
      field(LAST_ORDER_TS, DataTypes.TimestampType, "Latest completed order before the cut-off."),
      field(ORDERS, DataTypes.LongType, "Distinct completed orders."),
      field(PURCHASE_OCCASIONS, DataTypes.LongType,
          "Purchase occasions: distinct order days when customer360.merge-same-day-orders is true "
              + "(BTYD convention), else distinct orders."),
      field(REPEAT_PURCHASES, DataTypes.LongType, "purchase_occasions - 1 (BTYD frequency x); 0 without orders."),
      field(RECENCY_DAYS, DataTypes.DoubleType, "Days from the last completed order to the cut-off."),
      field(MONETARY_TOTAL, DataTypes.DoubleType, "Net revenue of completed lines (quantity x price - discount)."),
      field(AVG_ORDER_VALUE, DataTypes.DoubleType, "monetary_total / orders."),
      field(ORDERS_30D, DataTypes.LongType, "Completed orders in the 30 days before the cut-off."),
      field(ORDERS_90D, DataTypes.LongType, "Completed orders in the 90 days before the cut-off."),
      field(ORDERS_365D, DataTypes.LongType, "Completed orders in the 365 days before the cut-off."),
      field(REVENUE_90D, DataTypes.DoubleType, "Net revenue in the 90 days before the cut-off."),
      field(REVENUE_365D, DataTypes.DoubleType, "Net revenue in the 365 days before the cut-off."),
      field(RETURN_RATE, DataTypes.DoubleType, "Returned lines / (completed + returned lines)."),
      field(CANCELLED_ORDERS, DataTypes.LongType, "Distinct cancelled orders."),
      field(DISCOUNT_SHARE, DataTypes.DoubleType,
          "Discount / gross value (quantity x unit_price) of completed lines: dependence on discounts."),
      field(FAVOURITE_CATEGORY, DataTypes.StringType,
          "Category with the most net revenue (ties: alphabetical)."),
      field(CATEGORY_SHARES, STRING_DOUBLE_MAP, "Share of net revenue per category; sums to 1."),
      field(TICKETS_30D, DataTypes.LongType, "Tickets opened in the 30 days before the cut-off."),
      field(TICKETS_90D, DataTypes.LongType, "Tickets opened in the 90 days before the cut-off."),
      field(TICKETS_365D, DataTypes.LongType, "Tickets opened in the 365 days before the cut-off."),
      field(TICKETS_TOTAL, DataTypes.LongType, "Tickets opened before the cut-off."),
      field(OPEN_TICKETS, DataTypes.LongType, "Tickets not resolved before the cut-off."),
      field(OLDEST_OPEN_TICKET_DAYS, DataTypes.DoubleType, "Age in days of the oldest open ticket."),
      field(MEAN_FIRST_RESPONSE_HOURS, DataTypes.DoubleType, "Mean hours to first response (responded tickets)."),
      field(P90_FIRST_RESPONSE_HOURS, DataTypes.DoubleType,
          "90th percentile of hours to first response (exact, linear interpolation)."),
      field(MEAN_RESOLUTION_HOURS, DataTypes.DoubleType, "Mean hours to resolution (resolved tickets)."),
      field(P90_RESOLUTION_HOURS, DataTypes.DoubleType,
          "90th percentile of hours to resolution (exact, linear interpolation)."),
      field(FCR_RATE, DataTypes.DoubleType,
          "First-contact resolution: resolved tickets with contacts = 1 / resolved tickets with contacts."),
      field(REOPEN_RATE, DataTypes.DoubleType, "Reopened tickets / tickets with a reopened flag."),
      field(MEAN_TICKET_CSAT, DataTypes.DoubleType, "Mean ticket CSAT (1-5) of tickets resolved before the cut-off."),
      field(TICKET_TOPICS, STRING_LONG_MAP, "Ticket count per topic."),
      field(TOP_TICKET_TOPIC, DataTypes.StringType, "Most frequent ticket topic (ties: alphabetical)."),
      field(LAST_CSAT, DataTypes.IntegerType, "Latest CSAT survey score (1-5)."),
      field(MEAN_CSAT, DataTypes.DoubleType, "Mean CSAT survey score."),
      field(CSAT_RESPONSES, DataTypes.LongType, "CSAT survey responses."),
      field(LAST_NPS_SCORE, DataTypes.IntegerType, "Latest NPS score (0-10)."),
      field(LAST_NPS_TS, DataTypes.TimestampType, "When the latest NPS score was given."),
      field(NPS_CLASS, DataTypes.StringType,
          "Class of the latest NPS score: promoter (9-10), passive (7-8), detractor (0-6)."),
      field(NPS_RESPONSES, DataTypes.LongType, "NPS survey responses."),
      field(SESSIONS_7D, DataTypes.LongType, "Web sessions started in the 7 days before the cut-off."),
      field(SESSIONS_30D, DataTypes.LongType, "Web sessions started in the 30 days before the cut-off."),
      field(SESSIONS_90D, DataTypes.LongType, "Web sessions started in the 90 days before the cut-off."),
      field(PRODUCT_VIEWS_7D, DataTypes.LongType, "Product views in the 7 days before the cut-off."),
      field(PRODUCT_VIEWS_30D, DataTypes.LongType, "Product views in the 30 days before the cut-off."),
      field(PRODUCT_VIEWS_90D, DataTypes.LongType, "Product views in the 90 days before the cut-off."),
      field(LAST_VISIT_TS, DataTypes.TimestampType, "Latest web event attributed to the customer."),
      field(DAYS_SINCE_LAST_VISIT, DataTypes.DoubleType, "Days from the latest web event to the cut-off."),
      field(CART_ABANDONMENTS_90D, DataTypes.LongType,
          "Sessions in the last 90 days with an add_to_cart and no purchase."),
      field(HELP_VIEWS_30D, DataTypes.LongType, "Help-centre views in the last 30 days."),
      field(EMAIL_CLICKS_90D, DataTypes.LongType, "Marketing e-mail clicks in the last 90 days."),
      field(PUSH_OPENS_90D, DataTypes.LongType, "Push notification opens in the last 90 days."),
      field(BROWSE_WITHOUT_BUY_PRODUCTS, DataTypes.createArrayType(DataTypes.StringType),
          "Products viewed at least customer360.browse-min-views times in the last "
              + "customer360.browse-window-days days and not bought in that window (sorted)."),
      field(PREFERRED_CHANNEL, DataTypes.StringType,
          "Where the customer engages most in the last 90 days: email (clicks), push (opens) or "
              + "phone (phone tickets and orders); null when no engagement is observed."),
  });

  public static final TableSpec TABLE = new TableSpec(
      "customer_360",
      TableSpec.Layer.GOLD,
      withKeys(),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID),
      "One row per customer known at the as-of date: profile, RFM and value, support experience, "
          + "surveys, web engagement and channel preference, all point-in-time. No raw e-mail or phone.");

  private Customer360() {}

  private static StructType withKeys() {
    StructType s = new StructType()
        .add(field(AS_OF_DATE, DataTypes.DateType, "As-of date: features use data before the end of this day (UTC)."))
        .add(field(CUSTOMER_ID, DataTypes.StringType, "Business customer identifier."))
        .add(field(EMAIL_KEY, DataTypes.StringType,
            "Pseudonymous e-mail key: HMAC-SHA256 (privacy.hash-salt) of the trimmed lower-cased e-mail, for joins "
                + "without PII."));
    for (StructField f : FEATURES.fields()) {
      s = s.add(f);
    }
    return s;
  }
}
