package io.cxlake.common.features;

import static io.cxlake.common.time.Durations.days;
import static io.cxlake.common.time.Durations.hours;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.privacy.Pseudonyms;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoff;
import io.cxlake.common.time.Cutoffs;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * The point-in-time customer features of {@code customer_360}, as one pure function that every
 * job needing them calls (customer360 at the as-of date, churn training at each past cut-off).
 *
 * <p>Only data strictly before the cut-off is used: rows are filtered on their event time, and
 * later facts about an earlier row are masked too (a ticket resolved after the cut-off is open at
 * the cut-off; a web event attributed to a customer by a login after the cut-off is anonymous at
 * the cut-off), and every row is read in the version in effect at the cut-off ({@link
 * io.cxlake.common.time.PointInTime}): an order returned, an opt-out or a ticket reopened after it
 * still shows its earlier value. Each source is aggregated by customer (and cut-off, when several are
 * computed in one plan) once and left-joined to the customer base,
 * so a customer without tickets, web activity or surveys keeps the row, with 0 counts and null
 * rates.
 */
public final class CustomerFeatures {
  private static final String ID = Customer360.CUSTOMER_ID;

  private CustomerFeatures() {}

  /**
   * Where features are computed: the cut-off, and the columns besides the customer that key a row
   * (none for one as-of; the cut-off's date and timestamp when every source row carries its cut-off).
   */
  private record At(Cutoff cutoff, List<String> extraKeys) {
    /** The grouping columns: the given ones, then the cut-off's. */
    Column[] by(Column... first) {
      List<Column> all = new ArrayList<>(List.of(first));
      extraKeys.forEach(k -> all.add(col(k)));
      return all.toArray(Column[]::new);
    }

    /** The join columns of two per-customer frames. */
    String[] on() {
      List<String> all = new ArrayList<>(List.of(ID));
      all.addAll(extraKeys);
      return all.toArray(String[]::new);
    }

    Column visible(Column ts) {
      return cutoff.visible(ts);
    }

    Column within(Column ts, int days) {
      return cutoff.within(ts, days);
    }
  }

  /**
   * Computes one row per customer known at the cut-off: {@code customer_id}, {@code email_key}
   * and every column of {@link Customer360#FEATURES}.
   */
  public static Dataset<Row> compute(FeatureInputs inputs, AsOf asOf, FeatureSettings settings) {
    return compute(inputs.at(asOf), new At(asOf, List.of()), settings);
  }

  /**
   * The features at several cut-offs in one plan: what {@link #compute(FeatureInputs, AsOf,
   * FeatureSettings)} gives at each cut-off date, one row per customer and cut-off, with the
   * cut-off's date in {@link Cutoffs#DATE} after {@code customer_id}. One plan has the driver cost
   * of one cut-off (a few dozen small stages) where a plan per cut-off multiplies it. A single
   * date takes the as-of path: literal filters let the scans skip what lies after the cut-off.
   */
  public static Dataset<Row> compute(FeatureInputs inputs, List<LocalDate> dates, FeatureSettings settings) {
    if (dates.size() == 1) {
      AsOf asOf = new AsOf(dates.get(0));
      Dataset<Row> one = compute(inputs, asOf, settings).withColumn(Cutoffs.DATE, asOf.dateLit());
      List<Column> columns = new ArrayList<>();
      for (String c : one.columns()) {
        if (!c.equals(Cutoffs.DATE)) {
          columns.add(col(c));
        }
      }
      columns.add(1, col(Cutoffs.DATE));
      return one.select(columns.toArray(Column[]::new));
    }
    Dataset<Row> cutoffs = Cutoffs.frame(inputs.transactions().sparkSession(), dates);
    return compute(inputs.at(cutoffs), new At(Cutoffs.COLUMN, List.of(Cutoffs.DATE, Cutoffs.TS)), settings);
  }

  private static Dataset<Row> compute(FeatureInputs in, At at, FeatureSettings settings) {
    Dataset<Row> tx = in.transactions().filter(at.visible(col(Transactions.ORDER_TS)));
    String[] on = at.on();
    Dataset<Row> result = customerBase(in.customers(), tx, at, settings)
        .join(orderFeatures(tx, at, settings), on, "left")
        .join(categoryFeatures(tx, at), on, "left")
        .join(ticketFeatures(in.tickets(), at), on, "left")
        .join(surveyFeatures(in.surveys(), at), on, "left")
        .join(webFeatures(in.webEvents(), at), on, "left")
        .join(browseWithoutBuy(in.webEvents(), tx, at, settings), on, "left");

    result = result
        .withColumn(Customer360.TENURE_DAYS,
            days(coalesce(col(Customer360.SIGNUP_TS), col(Customer360.FIRST_ORDER_TS)), at.cutoff().ts()))
        .withColumn(Customer360.PREFERRED_CHANNEL, preferredChannel());

    List<Column> out = new ArrayList<>();
    out.add(col(ID));
    if (at.extraKeys().contains(Cutoffs.DATE)) {
      out.add(col(Cutoffs.DATE));
    }
    out.add(col(Customer360.EMAIL_KEY));
    for (StructField f : Customer360.FEATURES.fields()) {
      Column c = col(f.name());
      if (f.dataType().equals(org.apache.spark.sql.types.DataTypes.LongType)) {
        // A source without rows for the customer means zero events, not unknown.
        c = coalesce(c, lit(0L));
      }
      out.add(c.cast(f.dataType()).as(f.name()));
    }
    return result.select(out.toArray(Column[]::new));
  }

  /** Customers known at the cut-off: signed up before it, or with an order before it. */
  private static Dataset<Row> customerBase(
      Dataset<Row> customers, Dataset<Row> visibleTx, At at, FeatureSettings settings) {
    Dataset<Row> signedUp = customers.filter(
        col(Customers.SIGNUP_TS).isNull().or(at.visible(col(Customers.SIGNUP_TS))));
    Dataset<Row> ids = signedUp.select(at.by(col(Customers.CUSTOMER_ID).as(ID)))
        .union(visibleTx.select(at.by(col(Transactions.CUSTOMER_ID).as(ID))))
        .distinct();
    Column email = lower(trim(col(Customers.EMAIL)));
    List<Column> profileColumns = new ArrayList<>(List.of(at.by(col(Customers.CUSTOMER_ID).as(ID))));
    profileColumns.addAll(List.of(
        when(email.isNotNull().and(email.notEqual("")),
            Pseudonyms.hmac(email, settings.secret())).as(Customer360.EMAIL_KEY),
        col(Customers.SIGNUP_TS).as(Customer360.SIGNUP_TS),
        col(Customers.COUNTRY).as(Customer360.COUNTRY),
        col(Customers.ACQUISITION_CHANNEL).as(Customer360.ACQUISITION_CHANNEL),
        col(Customers.MARKETING_OPT_IN).as(Customer360.MARKETING_OPT_IN)));
    return ids.join(signedUp.select(profileColumns.toArray(Column[]::new)), at.on(), "left");
  }

  /** RFM, value, returns, discounts: lines are first rolled up to orders, then to customers. */
  private static Dataset<Row> orderFeatures(Dataset<Row> tx, At at, FeatureSettings settings) {
    Column status = coalesce(col(Transactions.STATUS), lit(Transactions.STATUS_COMPLETED));
    Column completed = Transactions.completed();
    Column gross = col(Transactions.QUANTITY).multiply(col(Transactions.UNIT_PRICE));
    Dataset<Row> orders = tx.groupBy(at.by(col(Transactions.CUSTOMER_ID).as(ID), col(Transactions.ORDER_ID)))
        .agg(
            min(Transactions.ORDER_TS).as("_ts"),
            max(completed).as("_completed"),
            max(status.equalTo(Transactions.STATUS_CANCELLED)).as("_cancelled"),
            sum(when(completed, Transactions.netAmount())).as("_net"),
            sum(when(completed, gross)).as("_gross"),
            sum(when(completed, coalesce(col(Transactions.DISCOUNT), lit(0.0)))).as("_discount"),
            sum(when(completed, 1).otherwise(0)).as("_completed_lines"),
            sum(when(status.equalTo(Transactions.STATUS_RETURNED), 1).otherwise(0)).as("_returned_lines"),
            max(col(Transactions.CHANNEL).equalTo("phone")).as("_phone"));
    Column cutoff = at.cutoff().ts();
    Column done = col("_completed");
    Column occasion = settings.mergeSameDayOrders() ? to_date(col("_ts")) : col(Transactions.ORDER_ID);
    return orders.groupBy(at.by(col(ID))).agg(
        min(when(done, col("_ts"))).as(Customer360.FIRST_ORDER_TS),
        max(when(done, col("_ts"))).as(Customer360.LAST_ORDER_TS),
        count(when(done, lit(1))).as(Customer360.ORDERS),
        count_distinct(when(done, occasion)).as(Customer360.PURCHASE_OCCASIONS),
        sum(when(done, col("_net"))).as(Customer360.MONETARY_TOTAL),
        count(when(done.and(at.within(col("_ts"), 30)), lit(1))).as(Customer360.ORDERS_30D),
        count(when(done.and(at.within(col("_ts"), 90)), lit(1))).as(Customer360.ORDERS_90D),
        count(when(done.and(at.within(col("_ts"), 365)), lit(1))).as(Customer360.ORDERS_365D),
        sum(when(done.and(at.within(col("_ts"), 90)), col("_net"))).as(Customer360.REVENUE_90D),
        sum(when(done.and(at.within(col("_ts"), 365)), col("_net"))).as(Customer360.REVENUE_365D),
        sum("_returned_lines").as("_returned"),
        sum("_completed_lines").as("_completed_all"),
        count(when(col("_cancelled").and(done.unary_$bang()), lit(1))).as(Customer360.CANCELLED_ORDERS),
        sum("_discount").as("_discount_total"),
        sum("_gross").as("_gross_total"),
        count(when(col("_phone").and(at.within(col("_ts"), 90)), lit(1))).as("_phone_orders_90d"))
        .withColumn(Customer360.REPEAT_PURCHASES,
            greatest(col(Customer360.PURCHASE_OCCASIONS).minus(1), lit(0L)))
        .withColumn(Customer360.RECENCY_DAYS, days(col(Customer360.LAST_ORDER_TS), cutoff))
        .withColumn(Customer360.AVG_ORDER_VALUE, ratio(col(Customer360.MONETARY_TOTAL), col(Customer360.ORDERS)))
        .withColumn(Customer360.RETURN_RATE,
            ratio(col("_returned"), col("_returned").plus(col("_completed_all"))))
        .withColumn(Customer360.DISCOUNT_SHARE, ratio(col("_discount_total"), col("_gross_total")))
        .drop("_returned", "_completed_all", "_discount_total", "_gross_total");
  }

  /** Favourite category and category shares of net revenue on completed lines. */
  private static Dataset<Row> categoryFeatures(Dataset<Row> tx, At at) {
    Dataset<Row> perCategory = tx.filter(Transactions.completed().and(col(Transactions.CATEGORY).isNotNull()))
        .groupBy(at.by(col(Transactions.CUSTOMER_ID).as(ID), col(Transactions.CATEGORY).as("_category")))
        .agg(sum(Transactions.netAmount()).as("_amount"));
    return perCategory.groupBy(at.by(col(ID)))
        .agg(
            sum("_amount").as("_total"),
            collect_list(struct(col("_category"), col("_amount"))).as("_entries"),
            // Ascending sort on (-amount, category): the largest amount first, ties alphabetical.
            sort_array(collect_list(struct(col("_amount").multiply(-1).as("k"), col("_category").as("c"))))
                .getItem(0).getField("c").as(Customer360.FAVOURITE_CATEGORY))
        .withColumn(Customer360.CATEGORY_SHARES, when(col("_total").gt(0),
            // Entries sorted by category: collect_list's order depends on the plan, a map's should not.
            expr("map_from_entries(array_sort(transform(_entries, e -> struct(e._category, e._amount / _total))))")))
        .drop("_total", "_entries");
  }

  /** Support experience, with the ticket's later history masked at the cut-off. */
  private static Dataset<Row> ticketFeatures(Dataset<Row> tickets, At at) {
    Column cutoff = at.cutoff().ts();
    Column opened = col(SupportTickets.OPENED_TS);
    Column responded = when(at.visible(col(SupportTickets.FIRST_RESPONSE_TS)), col(SupportTickets.FIRST_RESPONSE_TS));
    Column resolved = when(at.visible(col(SupportTickets.RESOLVED_TS)), col(SupportTickets.RESOLVED_TS));
    Dataset<Row> visible = tickets.filter(at.visible(opened))
        .withColumn("_response_h", hours(opened, responded))
        .withColumn("_resolution_h", hours(opened, resolved))
        .withColumn("_resolved", resolved.isNotNull());
    Column isResolved = col("_resolved");
    Dataset<Row> perTicket = visible.groupBy(at.by(col(SupportTickets.CUSTOMER_ID).as(ID))).agg(
        count(when(at.within(opened, 30), lit(1))).as(Customer360.TICKETS_30D),
        count(when(at.within(opened, 90), lit(1))).as(Customer360.TICKETS_90D),
        count(when(at.within(opened, 365), lit(1))).as(Customer360.TICKETS_365D),
        count(lit(1)).as(Customer360.TICKETS_TOTAL),
        count(when(isResolved.unary_$bang(), lit(1))).as(Customer360.OPEN_TICKETS),
        max(when(isResolved.unary_$bang(), days(opened, cutoff))).as(Customer360.OLDEST_OPEN_TICKET_DAYS),
        avg("_response_h").as(Customer360.MEAN_FIRST_RESPONSE_HOURS),
        percentile(col("_response_h"), lit(0.9)).as(Customer360.P90_FIRST_RESPONSE_HOURS),
        avg("_resolution_h").as(Customer360.MEAN_RESOLUTION_HOURS),
        percentile(col("_resolution_h"), lit(0.9)).as(Customer360.P90_RESOLUTION_HOURS),
        ratioAgg(isResolved.and(col(SupportTickets.CONTACTS).equalTo(1)),
            isResolved.and(col(SupportTickets.CONTACTS).isNotNull())).as(Customer360.FCR_RATE),
        avg(col(SupportTickets.REOPENED).cast("double")).as(Customer360.REOPEN_RATE),
        avg(when(isResolved, col(SupportTickets.CSAT))).as(Customer360.MEAN_TICKET_CSAT),
        count(when(col(SupportTickets.CHANNEL).equalTo("phone").and(at.within(opened, 90)), lit(1)))
            .as("_phone_tickets_90d"));
    Dataset<Row> topics = visible.filter(col(SupportTickets.TOPIC).isNotNull())
        .groupBy(at.by(col(SupportTickets.CUSTOMER_ID).as(ID), col(SupportTickets.TOPIC).as("_topic")))
        .agg(count(lit(1)).as("_n"))
        .groupBy(at.by(col(ID)))
        .agg(
            expr("map_from_entries(array_sort(collect_list(struct(_topic, _n))))").as(Customer360.TICKET_TOPICS),
            sort_array(collect_list(struct(col("_n").multiply(-1).as("k"), col("_topic").as("t"))))
                .getItem(0).getField("t").as(Customer360.TOP_TICKET_TOPIC));
    return perTicket.join(topics, at.on(), "left");
  }

  /** Latest and mean CSAT, latest NPS and its class. */
  private static Dataset<Row> surveyFeatures(Dataset<Row> surveys, At at) {
    Column type = col(Surveys.SURVEY_TYPE);
    Column isNps = type.equalTo(Surveys.TYPE_NPS);
    Column isCsat = type.equalTo(Surveys.TYPE_CSAT);
    Column order = struct(col(Surveys.RESPONSE_TS), col(Surveys.RESPONSE_ID));
    Column lastNps = col(Customer360.LAST_NPS_SCORE);
    return surveys.filter(at.visible(col(Surveys.RESPONSE_TS)))
        .groupBy(at.by(col(Surveys.CUSTOMER_ID).as(ID)))
        .agg(
            max_by(col(Surveys.SCORE), when(isCsat, order)).as(Customer360.LAST_CSAT),
            avg(when(isCsat, col(Surveys.SCORE))).as(Customer360.MEAN_CSAT),
            count(when(isCsat, lit(1))).as(Customer360.CSAT_RESPONSES),
            max_by(col(Surveys.SCORE), when(isNps, order)).as(Customer360.LAST_NPS_SCORE),
            max(when(isNps, col(Surveys.RESPONSE_TS))).as(Customer360.LAST_NPS_TS),
            count(when(isNps, lit(1))).as(Customer360.NPS_RESPONSES))
        .withColumn(Customer360.NPS_CLASS,
            when(lastNps.geq(9), lit(Customer360.NPS_PROMOTER))
                .when(lastNps.geq(7), lit(Customer360.NPS_PASSIVE))
                .when(lastNps.isNotNull(), lit(Customer360.NPS_DETRACTOR)));
  }

  /**
   * Events attributed to a customer at the cut-off: their own customer_id, or the stitched one
   * when the identifying login happened before the cut-off. Public because every job reading web
   * behaviour at a cut-off (recommendations, next best actions) must attribute events the same way.
   */
  public static Dataset<Row> attributedEvents(Dataset<Row> webEvents, Cutoff cutoff) {
    Column customer = when(col(WebEvents.CUSTOMER_ID).isNotNull(), col(WebEvents.CUSTOMER_ID))
        .when(cutoff.visible(col(WebEvents.RESOLVED_TS)), col(WebEvents.RESOLVED_CUSTOMER_ID));
    return webEvents.filter(cutoff.visible(col(WebEvents.EVENT_TS)))
        .withColumn(ID, customer)
        .filter(col(ID).isNotNull());
  }

  /** Sessions, views, cart abandonment and engagement; events are rolled up to sessions first. */
  private static Dataset<Row> webFeatures(Dataset<Row> webEvents, At at) {
    Column type = col(WebEvents.EVENT_TYPE);
    Column ts = col(WebEvents.EVENT_TS);
    Column view = type.equalTo(WebEvents.PRODUCT_VIEW);
    Dataset<Row> sessions = attributedEvents(webEvents, at.cutoff())
        .groupBy(at.by(col(ID), col(WebEvents.SESSION_ID)))
        .agg(
            min(ts).as("_start"),
            max(ts).as("_last"),
            max(type.equalTo(WebEvents.ADD_TO_CART)).as("_cart"),
            max(type.equalTo(WebEvents.PURCHASE)).as("_purchase"),
            count(when(view.and(at.within(ts, 7)), lit(1))).as("_views7"),
            count(when(view.and(at.within(ts, 30)), lit(1))).as("_views30"),
            count(when(view.and(at.within(ts, 90)), lit(1))).as("_views90"),
            count(when(type.equalTo(WebEvents.HELP_VIEW).and(at.within(ts, 30)), lit(1))).as("_help30"),
            count(when(type.equalTo(WebEvents.EMAIL_CLICK).and(at.within(ts, 90)), lit(1))).as("_email90"),
            count(when(type.equalTo(WebEvents.PUSH_OPEN).and(at.within(ts, 90)), lit(1))).as("_push90"));
    Column start = col("_start");
    return sessions.groupBy(at.by(col(ID))).agg(
            count(when(at.within(start, 7), lit(1))).as(Customer360.SESSIONS_7D),
            count(when(at.within(start, 30), lit(1))).as(Customer360.SESSIONS_30D),
            count(when(at.within(start, 90), lit(1))).as(Customer360.SESSIONS_90D),
            sum("_views7").as(Customer360.PRODUCT_VIEWS_7D),
            sum("_views30").as(Customer360.PRODUCT_VIEWS_30D),
            sum("_views90").as(Customer360.PRODUCT_VIEWS_90D),
            max("_last").as(Customer360.LAST_VISIT_TS),
            count(when(at.within(start, 90).and(col("_cart")).and(col("_purchase").unary_$bang()), lit(1)))
                .as(Customer360.CART_ABANDONMENTS_90D),
            sum("_help30").as(Customer360.HELP_VIEWS_30D),
            sum("_email90").as(Customer360.EMAIL_CLICKS_90D),
            sum("_push90").as(Customer360.PUSH_OPENS_90D))
        .withColumn(Customer360.DAYS_SINCE_LAST_VISIT, days(col(Customer360.LAST_VISIT_TS), at.cutoff().ts()));
  }

  /** Products viewed repeatedly in the window and not bought (completed) in it. */
  private static Dataset<Row> browseWithoutBuy(
      Dataset<Row> webEvents, Dataset<Row> visibleTx, At at, FeatureSettings settings) {
    int window = settings.browseWindowDays();
    Dataset<Row> viewed = attributedEvents(webEvents, at.cutoff())
        .filter(col(WebEvents.EVENT_TYPE).equalTo(WebEvents.PRODUCT_VIEW)
            .and(col(WebEvents.PRODUCT_ID).isNotNull())
            .and(at.within(col(WebEvents.EVENT_TS), window)))
        .groupBy(at.by(col(ID), col(WebEvents.PRODUCT_ID).as("_product")))
        .agg(count(lit(1)).as("_views"))
        .filter(col("_views").geq(settings.browseMinViews()));
    Dataset<Row> bought = visibleTx
        .filter(Transactions.completed().and(at.within(col(Transactions.ORDER_TS), window)))
        .select(at.by(col(Transactions.CUSTOMER_ID).as(ID), col(Transactions.PRODUCT_ID).as("_product")))
        .distinct();
    List<String> viewedAndBought = new ArrayList<>(List.of(at.on()));
    viewedAndBought.add("_product");
    return viewed.join(bought, viewedAndBought.toArray(String[]::new), "left_anti")
        .groupBy(at.by(col(ID)))
        .agg(array_sort(collect_list(col("_product"))).as(Customer360.BROWSE_WITHOUT_BUY_PRODUCTS));
  }

  /** email, push or phone, whichever the customer used most in 90 days; ties in that order. */
  private static Column preferredChannel() {
    Column email = coalesce(col(Customer360.EMAIL_CLICKS_90D), lit(0L));
    Column push = coalesce(col(Customer360.PUSH_OPENS_90D), lit(0L));
    Column phone = coalesce(col("_phone_tickets_90d"), lit(0L)).plus(coalesce(col("_phone_orders_90d"), lit(0L)));
    return when(email.gt(0).and(email.geq(push)).and(email.geq(phone)), lit("email"))
        .when(push.gt(0).and(push.geq(phone)), lit("push"))
        .when(phone.gt(0), lit("phone"));
  }

  /** numerator / denominator, null when the denominator is 0 or null. */
  private static Column ratio(Column numerator, Column denominator) {
    return when(denominator.notEqual(0), numerator.cast("double").divide(denominator));
  }

  private static Column ratioAgg(Column numeratorCondition, Column denominatorCondition) {
    return ratio(count(when(numeratorCondition, lit(1))), count(when(denominatorCondition, lit(1))));
  }
}
