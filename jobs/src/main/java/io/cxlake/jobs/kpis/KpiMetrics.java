package io.cxlake.jobs.kpis;

import static io.cxlake.common.schema.CxKpis.ACTIVE_CUSTOMERS;
import static io.cxlake.common.schema.CxKpis.AVERAGE_ORDER_VALUE;
import static io.cxlake.common.schema.CxKpis.CART_ABANDONMENT_RATE;
import static io.cxlake.common.schema.CxKpis.CART_TO_CHECKOUT_RATE;
import static io.cxlake.common.schema.CxKpis.CART_TO_PURCHASE_RATE;
import static io.cxlake.common.schema.CxKpis.CHECKOUT_TO_PURCHASE_RATE;
import static io.cxlake.common.schema.CxKpis.CHURNED_CUSTOMERS;
import static io.cxlake.common.schema.CxKpis.CHURN_RATE;
import static io.cxlake.common.schema.CxKpis.CSAT_MEAN;
import static io.cxlake.common.schema.CxKpis.CSAT_RESPONSES;
import static io.cxlake.common.schema.CxKpis.CSAT_SATISFIED_SHARE;
import static io.cxlake.common.schema.CxKpis.DIM_DEVICE;
import static io.cxlake.common.schema.CxKpis.DIM_SALES_CHANNEL;
import static io.cxlake.common.schema.CxKpis.DIM_TICKET_CHANNEL;
import static io.cxlake.common.schema.CxKpis.DIM_TOPIC;
import static io.cxlake.common.schema.CxKpis.DIM_TOUCHPOINT;
import static io.cxlake.common.schema.CxKpis.FIRST_CONTACT_RESOLUTION_RATE;
import static io.cxlake.common.schema.CxKpis.FIRST_RESPONSE_HOURS_MEAN;
import static io.cxlake.common.schema.CxKpis.FIRST_RESPONSE_HOURS_MEDIAN;
import static io.cxlake.common.schema.CxKpis.FIRST_RESPONSE_HOURS_P90;
import static io.cxlake.common.schema.CxKpis.HELP_VIEWS;
import static io.cxlake.common.schema.CxKpis.HELP_VIEWS_PER_TICKET;
import static io.cxlake.common.schema.CxKpis.NEW_CUSTOMERS;
import static io.cxlake.common.schema.CxKpis.NPS;
import static io.cxlake.common.schema.CxKpis.NPS_DETRACTOR_SHARE;
import static io.cxlake.common.schema.CxKpis.NPS_PASSIVE_SHARE;
import static io.cxlake.common.schema.CxKpis.NPS_PROMOTER_SHARE;
import static io.cxlake.common.schema.CxKpis.NPS_RESPONSES;
import static io.cxlake.common.schema.CxKpis.OPEN_BACKLOG;
import static io.cxlake.common.schema.CxKpis.ORDERS;
import static io.cxlake.common.schema.CxKpis.PRODUCT_VIEWS;
import static io.cxlake.common.schema.CxKpis.REOPEN_RATE;
import static io.cxlake.common.schema.CxKpis.REPEAT_PURCHASE_RATE;
import static io.cxlake.common.schema.CxKpis.RESOLUTION_HOURS_MEAN;
import static io.cxlake.common.schema.CxKpis.RESOLUTION_HOURS_MEDIAN;
import static io.cxlake.common.schema.CxKpis.RESOLUTION_HOURS_P90;
import static io.cxlake.common.schema.CxKpis.REVENUE;
import static io.cxlake.common.schema.CxKpis.SESSIONS;
import static io.cxlake.common.schema.CxKpis.SESSION_CONVERSION_RATE;
import static io.cxlake.common.schema.CxKpis.TICKETS_OPENED;
import static io.cxlake.common.schema.CxKpis.TICKETS_RESOLVED;
import static io.cxlake.common.schema.CxKpis.TICKET_SHARE;
import static io.cxlake.common.schema.CxKpis.TICKET_TOPIC_RANK;
import static io.cxlake.common.time.Durations.hours;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
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
 * The pure transformations of the kpis job: one function per source family (surveys, tickets,
 * sales, web) that explodes each record once into its periods (one per configured grain) and
 * dimension values, aggregates all metrics of the family in one pass, and unpivots them into the
 * long cx_kpis rows. Count metrics are dense: every period from the family's first period to the
 * as-of period and every dimension value seen has a row (0 when nothing happened). A rate, mean or
 * percentile has a row only when it has at least one underlying record.
 */
public final class KpiMetrics {
  static final String GRAIN = "_grain";
  static final String PERIOD = "_period";
  static final String DIM = "_dim";
  static final String VALUE = "_dim_value";
  private static final String EVENT = "_event";
  private static final String KIND = "_kind";
  private static final String METRIC = "_metric";

  private KpiMetrics() {}

  /** Every cx_kpis row of the as-of date, from the silver tables (absent sources as empty frames). */
  public static Dataset<Row> build(FeatureInputs in, KpisConfig config) {
    Dataset<Row> tickets = tickets(in.tickets(), config);
    Dataset<Row> web = web(in.webEvents(), config);
    Dataset<Row> all = surveys(in.surveys(), config)
        .unionByName(tickets)
        .unionByName(sales(in.transactions(), config))
        .unionByName(web)
        .unionByName(helpViewsPerTicket(web, tickets));
    return finish(all, config);
  }

  // ---------------------------------------------------------------- surveys

  /** NPS and CSAT from survey responses, overall and per touchpoint, by response time. */
  static Dataset<Row> surveys(Dataset<Row> surveys, KpisConfig config) {
    AsOf asOf = config.asOf();
    Column type = col(Surveys.SURVEY_TYPE);
    Column score = col(Surveys.SCORE);
    Column nps = type.equalTo(Surveys.TYPE_NPS);
    Column csat = type.equalTo(Surveys.TYPE_CSAT);
    Dataset<Row> rows = dims(periods(surveys.filter(asOf.visible(col(Surveys.RESPONSE_TS))),
        col(Surveys.RESPONSE_TS), config), dimension(DIM_TOUCHPOINT, col(Surveys.TOUCHPOINT)));
    Dataset<Row> agg = rows.groupBy(GRAIN, PERIOD, DIM, VALUE).agg(
        count(when(nps, lit(1))).as("nps_n"),
        count(when(nps.and(score.geq(9)), lit(1))).as("promoters"),
        count(when(nps.and(score.between(7, 8)), lit(1))).as("passives"),
        count(when(nps.and(score.leq(6)), lit(1))).as("detractors"),
        count(when(csat, lit(1))).as("csat_n"),
        count(when(csat.and(score.geq(4)), lit(1))).as("csat_satisfied"),
        sum(when(csat, score)).as("csat_sum"));
    Dataset<Row> dense = dense(agg, config,
        "nps_n", "promoters", "passives", "detractors", "csat_n", "csat_satisfied", "csat_sum");
    Column npsN = col("nps_n");
    Column netPromoters = col("promoters").minus(col("detractors"));
    return unpivot(dense,
        metric(NPS, when(npsN.gt(0), netPromoters.multiply(100.0).divide(npsN)), netPromoters, npsN),
        counted(NPS_RESPONSES, npsN),
        rate(NPS_PROMOTER_SHARE, col("promoters"), npsN),
        rate(NPS_PASSIVE_SHARE, col("passives"), npsN),
        rate(NPS_DETRACTOR_SHARE, col("detractors"), npsN),
        counted(CSAT_RESPONSES, col("csat_n")),
        rate(CSAT_SATISFIED_SHARE, col("csat_satisfied"), col("csat_n")),
        rate(CSAT_MEAN, col("csat_sum"), col("csat_n")));
  }

  // ---------------------------------------------------------------- tickets

  /**
   * Ticket volume, share and topic rank (by opening time), response times (by first-response
   * time), resolution times, first-contact resolution and reopen rate (by resolution time), and the
   * open backlog at each period end; overall, per ticket channel and per topic. A response or
   * resolution after the cut-off is not known yet: the ticket is unanswered or open.
   */
  static Dataset<Row> tickets(Dataset<Row> tickets, KpisConfig config) {
    AsOf asOf = config.asOf();
    Column opened = col(SupportTickets.OPENED_TS);
    Column responded = when(asOf.visible(col(SupportTickets.FIRST_RESPONSE_TS)), col(SupportTickets.FIRST_RESPONSE_TS));
    Column resolved = when(asOf.visible(col(SupportTickets.RESOLVED_TS)), col(SupportTickets.RESOLVED_TS));
    Column events = array(
        event("opened", opened, lit(null).cast(DataTypes.DoubleType)),
        when(responded.isNotNull(), event("response", responded, hours(opened, responded))),
        // A resolution stamped before the opening (bad data) counts at the opening time.
        when(resolved.isNotNull(), event("resolved", greatest(opened, resolved), hours(opened, resolved))));
    Dataset<Row> exploded = tickets.filter(asOf.visible(opened))
        .withColumn(EVENT, explode(events))
        .filter(col(EVENT).isNotNull());
    Dataset<Row> rows = dims(periods(exploded, col(EVENT).getField("ts"), config),
        dimension(DIM_TICKET_CHANNEL, col(SupportTickets.CHANNEL)),
        dimension(DIM_TOPIC, col(SupportTickets.TOPIC)));
    Column kind = col(EVENT).getField("kind");
    Column h = col(EVENT).getField("hours");
    Column isResponse = kind.equalTo("response");
    Column isResolved = kind.equalTo("resolved");
    Column responseHours = when(isResponse, h);
    Column resolutionHours = when(isResolved, h);
    Dataset<Row> agg = rows.groupBy(GRAIN, PERIOD, DIM, VALUE).agg(
        count(when(kind.equalTo("opened"), lit(1))).as("opened"),
        count(when(isResolved, lit(1))).as("resolved"),
        count(responseHours).as("response_n"),
        sum(responseHours).as("response_sum"),
        percentile(responseHours, lit(0.5)).as("response_median"),
        percentile(responseHours, lit(0.9)).as("response_p90"),
        count(resolutionHours).as("resolution_n"),
        sum(resolutionHours).as("resolution_sum"),
        percentile(resolutionHours, lit(0.5)).as("resolution_median"),
        percentile(resolutionHours, lit(0.9)).as("resolution_p90"),
        count(when(isResolved.and(col(SupportTickets.CONTACTS).equalTo(1)), lit(1))).as("fcr_num"),
        count(when(isResolved.and(col(SupportTickets.CONTACTS).isNotNull()), lit(1))).as("fcr_den"),
        count(when(isResolved.and(col(SupportTickets.REOPENED)), lit(1))).as("reopen_num"),
        count(when(isResolved.and(col(SupportTickets.REOPENED).isNotNull()), lit(1))).as("reopen_den"));
    Dataset<Row> dense = dense(agg, config, "opened", "resolved", "response_n", "response_sum", "resolution_n",
        "resolution_sum", "fcr_num", "fcr_den", "reopen_num", "reopen_den");
    WindowSpec history = Window.partitionBy(col(GRAIN), col(DIM), col(VALUE)).orderBy(col(PERIOD))
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec sameDimension = Window.partitionBy(col(GRAIN), col(PERIOD), col(DIM));
    Column openedN = col("opened");
    Column byDimension = col(DIM).notEqual(CxKpis.ALL);
    Column topic = col(DIM).equalTo(DIM_TOPIC);
    Dataset<Row> withRunning = dense
        .withColumn("backlog", sum(openedN.minus(col("resolved"))).over(history))
        .withColumn("period_total", sum(openedN).over(sameDimension))
        .withColumn("rank", row_number().over(sameDimension.orderBy(openedN.desc(), col(VALUE).asc())));
    return unpivot(withRunning,
        counted(TICKETS_OPENED, openedN),
        counted(TICKETS_RESOLVED, col("resolved")),
        when(byDimension, rate(TICKET_SHARE, openedN, col("period_total"))),
        when(topic.and(openedN.gt(0)), metric(TICKET_TOPIC_RANK, col("rank"), lit(null), lit(null))),
        rate(FIRST_RESPONSE_HOURS_MEAN, col("response_sum"), col("response_n")),
        metric(FIRST_RESPONSE_HOURS_MEDIAN, col("response_median"), lit(null), col("response_n")),
        metric(FIRST_RESPONSE_HOURS_P90, col("response_p90"), lit(null), col("response_n")),
        rate(RESOLUTION_HOURS_MEAN, col("resolution_sum"), col("resolution_n")),
        metric(RESOLUTION_HOURS_MEDIAN, col("resolution_median"), lit(null), col("resolution_n")),
        metric(RESOLUTION_HOURS_P90, col("resolution_p90"), lit(null), col("resolution_n")),
        rate(FIRST_CONTACT_RESOLUTION_RATE, col("fcr_num"), col("fcr_den")),
        rate(REOPEN_RATE, col("reopen_num"), col("reopen_den")),
        counted(OPEN_BACKLOG, col("backlog")));
  }

  // ---------------------------------------------------------------- sales

  /**
   * Orders, revenue, average order value, active, new and repeat customers (overall and per sales
   * channel), and churn by the inactivity rule (overall). A purchase is a completed order, as in
   * the cohorts job; an order's sales channel is the first (alphabetical) channel of its completed
   * lines.
   */
  static Dataset<Row> sales(Dataset<Row> transactions, KpisConfig config) {
    AsOf asOf = config.asOf();
    Dataset<Row> orders = transactions.filter(asOf.visible(col(Transactions.ORDER_TS)).and(Transactions.completed()))
        .groupBy(col(Transactions.CUSTOMER_ID).as("_customer"), col(Transactions.ORDER_ID).as("_order"))
        .agg(
            min(col(Transactions.ORDER_TS)).as("_ts"),
            sum(Transactions.netAmount()).as("_revenue"),
            min(col(Transactions.CHANNEL)).as("_channel"));
    WindowSpec byCustomer = Window.partitionBy(col("_customer")).orderBy(col("_ts"), col("_order"));
    double gapMicros = config.churnInactivityDays() * Durations.MICROS_PER_DAY;
    Column ts = col("_ts");
    Column previous = col("_previous");
    Column next = col("_next");
    Column activation = previous.isNull().or(Durations.micros(previous, ts).gt(gapMicros));
    Column churnTs = ts.plus(make_dt_interval(lit(config.churnInactivityDays())));
    Column churns = next.isNull().or(Durations.micros(ts, next).gt(gapMicros));
    Column none = lit(null).cast(DataTypes.DoubleType);
    Column events = array(
        struct(lit("order").as("kind"), ts.as("ts"), col("_revenue").as("revenue")),
        when(activation, struct(lit("activation").as("kind"), ts.as("ts"), none.as("revenue"))),
        when(churns.and(asOf.visible(churnTs)), struct(lit("churn").as("kind"), churnTs.as("ts"), none.as("revenue"))));
    // Window values are columns first: a generator cannot hold window expressions.
    Dataset<Row> exploded = orders
        .withColumn("_first_ts", min(ts).over(byCustomer))
        .withColumn("_previous", lag(ts, 1).over(byCustomer))
        .withColumn("_next", lead(ts, 1).over(byCustomer))
        .withColumn(EVENT, explode(events))
        .filter(col(EVENT).isNotNull());
    Column kind = col(EVENT).getField("kind");
    Column isOrder = kind.equalTo("order");
    // Churn is a customer-level event: it has no sales channel.
    Dataset<Row> rows = dims(periods(exploded, col(EVENT).getField("ts"), config),
        when(isOrder, struct(lit(DIM_SALES_CHANNEL).as("d"),
            coalesce(col("_channel"), lit(CxKpis.UNKNOWN)).as("v"))));
    Dataset<Row> perCustomer = rows.groupBy(col(GRAIN), col(PERIOD), col(DIM), col(VALUE), col("_customer"))
        .agg(
            count(when(isOrder, lit(1))).as("orders"),
            sum(when(isOrder, col(EVENT).getField("revenue"))).as("revenue"),
            min(col("_first_ts")).as("_first_ts"),
            count(when(kind.equalTo("activation"), lit(1))).as("activations"),
            count(when(kind.equalTo("churn"), lit(1))).as("churns"));
    Column active = col("orders").gt(0);
    Column boughtBefore = col("_first_ts").lt(col(PERIOD).cast(DataTypes.TimestampType));
    Dataset<Row> agg = perCustomer.groupBy(GRAIN, PERIOD, DIM, VALUE).agg(
        sum(col("orders")).as("orders"),
        sum(col("revenue")).as("revenue"),
        count(when(active, lit(1))).as("active"),
        count(when(active.and(boughtBefore.unary_$bang()), lit(1))).as("new"),
        count(when(active.and(boughtBefore), lit(1))).as("repeat"),
        sum(col("activations")).as("activations"),
        sum(col("churns")).as("churns"));
    Dataset<Row> dense = dense(agg, config, "orders", "revenue", "active", "new", "repeat", "activations", "churns");
    WindowSpec before = Window.partitionBy(col(GRAIN), col(DIM), col(VALUE)).orderBy(col(PERIOD))
        .rowsBetween(Window.unboundedPreceding(), -1);
    Column overall = col(DIM).equalTo(CxKpis.ALL);
    Dataset<Row> withBase = dense.withColumn("alive",
        coalesce(sum(col("activations").minus(col("churns"))).over(before), lit(0L)));
    return unpivot(withBase,
        counted(ORDERS, col("orders")),
        counted(REVENUE, col("revenue")),
        rate(AVERAGE_ORDER_VALUE, col("revenue"), col("orders")),
        counted(ACTIVE_CUSTOMERS, col("active")),
        counted(NEW_CUSTOMERS, col("new")),
        rate(REPEAT_PURCHASE_RATE, col("repeat"), col("active")),
        when(overall, counted(CHURNED_CUSTOMERS, col("churns"))),
        when(overall, rate(CHURN_RATE, col("churns"), col("alive"))));
  }

  // ---------------------------------------------------------------- web

  /**
   * Sessions and their funnel, overall and per device. A session (and every event in it) belongs
   * to the period of its first event before the cut-off; its device is that event's device.
   */
  static Dataset<Row> web(Dataset<Row> webEvents, KpisConfig config) {
    AsOf asOf = config.asOf();
    Column type = col(WebEvents.EVENT_TYPE);
    Column ts = col(WebEvents.EVENT_TS);
    Dataset<Row> sessions = webEvents
        .filter(asOf.visible(ts).and(col(WebEvents.SESSION_ID).isNotNull()))
        .groupBy(col(WebEvents.SESSION_ID))
        .agg(
            min(ts).as("_start"),
            min(struct(ts.as("t"), col(WebEvents.DEVICE).as("d"))).getField("d").as("_device"),
            max(type.equalTo(WebEvents.ADD_TO_CART)).as("_cart"),
            max(type.equalTo(WebEvents.CHECKOUT_START)).as("_checkout"),
            max(type.equalTo(WebEvents.PURCHASE)).as("_purchase"),
            count(when(type.equalTo(WebEvents.PRODUCT_VIEW), lit(1))).as("_views"),
            count(when(type.equalTo(WebEvents.HELP_VIEW), lit(1))).as("_helps"));
    Dataset<Row> rows = dims(periods(sessions, col("_start"), config), dimension(DIM_DEVICE, col("_device")));
    Column cart = col("_cart");
    Column checkout = col("_checkout");
    Column purchase = col("_purchase");
    Dataset<Row> agg = rows.groupBy(GRAIN, PERIOD, DIM, VALUE).agg(
        count(lit(1)).as("sessions"),
        sum(col("_views")).as("views"),
        sum(col("_helps")).as("helps"),
        count(when(purchase, lit(1))).as("purchase_n"),
        count(when(cart, lit(1))).as("cart_n"),
        count(when(checkout, lit(1))).as("checkout_n"),
        count(when(cart.and(checkout), lit(1))).as("cart_checkout"),
        count(when(checkout.and(purchase), lit(1))).as("checkout_purchase"),
        count(when(cart.and(purchase), lit(1))).as("cart_purchase"),
        count(when(cart.and(purchase.unary_$bang()), lit(1))).as("cart_abandoned"));
    Dataset<Row> dense = dense(agg, config, "sessions", "views", "helps", "purchase_n", "cart_n", "checkout_n",
        "cart_checkout", "checkout_purchase", "cart_purchase", "cart_abandoned");
    return unpivot(dense,
        counted(SESSIONS, col("sessions")),
        counted(PRODUCT_VIEWS, col("views")),
        counted(HELP_VIEWS, col("helps")),
        rate(SESSION_CONVERSION_RATE, col("purchase_n"), col("sessions")),
        rate(CART_TO_CHECKOUT_RATE, col("cart_checkout"), col("cart_n")),
        rate(CHECKOUT_TO_PURCHASE_RATE, col("checkout_purchase"), col("checkout_n")),
        rate(CART_TO_PURCHASE_RATE, col("cart_purchase"), col("cart_n")),
        rate(CART_ABANDONMENT_RATE, col("cart_abandoned"), col("cart_n")));
  }

  /** Help-centre views in sessions of the period per ticket opened in it (overall only). */
  static Dataset<Row> helpViewsPerTicket(Dataset<Row> webRows, Dataset<Row> ticketRows) {
    Column overall = col(DIM).equalTo(CxKpis.ALL);
    Dataset<Row> helps = webRows.filter(overall.and(col(METRIC).getField("m").equalTo(HELP_VIEWS)))
        .select(col(GRAIN), col(PERIOD), col(DIM), col(VALUE), col(METRIC).getField("v").as("helps"));
    Dataset<Row> opened = ticketRows.filter(overall.and(col(METRIC).getField("m").equalTo(TICKETS_OPENED)))
        .select(col(GRAIN).as("_t_grain"), col(PERIOD).as("_t_period"), col(METRIC).getField("v").as("opened"));
    Dataset<Row> joined = helps.join(opened,
        col(GRAIN).equalTo(col("_t_grain")).and(col(PERIOD).equalTo(col("_t_period"))));
    return unpivot(joined, rate(HELP_VIEWS_PER_TICKET, col("helps"), col("opened")));
  }

  // ---------------------------------------------------------------- shared shape

  /** One row per record and configured grain, with the period the timestamp falls in. */
  static Dataset<Row> periods(Dataset<Row> rows, Column ts, KpisConfig config) {
    List<Column> periods = new ArrayList<>();
    for (Grain g : config.grains()) {
      periods.add(struct(lit(g.label()).as("g"), g.start(ts).as("p")));
    }
    return rows.withColumn("_gp", explode(array(periods.toArray(Column[]::new))))
        .withColumn(GRAIN, col("_gp").getField("g"))
        .withColumn(PERIOD, col("_gp").getField("p"))
        .drop("_gp");
  }

  /** A (dimension, value) pair; a missing value is 'unknown'. */
  private static Column dimension(String name, Column value) {
    return struct(lit(name).as("d"), coalesce(value, lit(CxKpis.UNKNOWN)).as("v"));
  }

  /** One row per record and dimension value: 'all' plus the given pairs (null pairs are skipped). */
  static Dataset<Row> dims(Dataset<Row> rows, Column... pairs) {
    List<Column> all = new ArrayList<>();
    all.add(struct(lit(CxKpis.ALL).as("d"), lit(CxKpis.ALL).as("v")));
    all.addAll(List.of(pairs));
    return rows.withColumn("_dv", explode(array(all.toArray(Column[]::new))))
        .filter(col("_dv").isNotNull())
        .withColumn(DIM, col("_dv").getField("d"))
        .withColumn(VALUE, col("_dv").getField("v"))
        .drop("_dv");
  }

  /**
   * Fills the holes of an aggregate: a row for every period from the first period of each grain
   * to the as-of period and every dimension value in the aggregate, with 0 in the count columns.
   */
  static Dataset<Row> dense(Dataset<Row> agg, KpisConfig config, String... countColumns) {
    List<Grain> grains = config.grains();
    AsOf asOf = config.asOf();
    Column grain = col(GRAIN);
    Column first = col("_first");
    Column last = Grain.byLabel(grain, g -> lit(Date.valueOf(g.asOfPeriod(asOf))), grains);
    Dataset<Row> periods = agg.groupBy(grain).agg(min(col(PERIOD)).as("_first"))
        .withColumn("_i", explode(sequence(lit(0), Grain.byLabel(grain, g -> g.periodsBetween(first, last), grains))))
        .select(grain, Grain.byLabel(grain, g -> g.plus(first, col("_i")), grains).as(PERIOD));
    Dataset<Row> values = agg.select(col(DIM), col(VALUE)).distinct();
    List<String> keys = List.of(GRAIN, PERIOD, DIM, VALUE);
    return periods.crossJoin(values)
        .join(agg, scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left")
        .na().fill(0, countColumns);
  }

  /** A metric entry: name, value, numerator, denominator (all as double). */
  static Column metric(String name, Column value, Column numerator, Column denominator) {
    return struct(lit(name).as("m"), value.cast(DataTypes.DoubleType).as("v"),
        numerator.cast(DataTypes.DoubleType).as("n"), denominator.cast(DataTypes.DoubleType).as("d"));
  }

  /** A count or sum: value and numerator are the figure, no denominator. */
  static Column counted(String name, Column value) {
    return metric(name, value, value, lit(null));
  }

  /** numerator / denominator, no value (so no row) when the denominator is 0. */
  static Column rate(String name, Column numerator, Column denominator) {
    return metric(name, when(denominator.gt(0), numerator.cast(DataTypes.DoubleType).divide(denominator)),
        numerator, denominator);
  }

  /** The metric entries of each aggregated row as one row each; entries without a value are dropped. */
  static Dataset<Row> unpivot(Dataset<Row> aggregated, Column... metrics) {
    return aggregated
        .select(col(GRAIN), col(PERIOD), col(DIM), col(VALUE), explode(array(metrics)).as(METRIC))
        .filter(col(METRIC).isNotNull().and(col(METRIC).getField("v").isNotNull()));
  }

  /** The cx_kpis columns, with the partial-period flag and the history window applied. */
  static Dataset<Row> finish(Dataset<Row> rows, KpisConfig config) {
    AsOf asOf = config.asOf();
    List<Grain> grains = config.grains();
    Column period = col(PERIOD);
    Dataset<Row> kept = rows;
    if (config.historyDays() > 0) {
      java.time.LocalDate from = asOf.date().minusDays(config.historyDays());
      kept = rows.filter(period.geq(Grain.byLabel(col(GRAIN), g -> lit(Date.valueOf(g.start(from))), grains)));
    }
    return kept.select(
        asOf.dateLit().as(CxKpis.AS_OF_DATE),
        col(GRAIN).as(CxKpis.PERIOD_GRAIN),
        period.as(CxKpis.PERIOD_START),
        Grain.byLabel(col(GRAIN), g -> g.complete(period, asOf), grains).as(CxKpis.PERIOD_COMPLETE),
        col(METRIC).getField("m").as(CxKpis.METRIC),
        col(DIM).as(CxKpis.DIMENSION),
        col(VALUE).as(CxKpis.DIMENSION_VALUE),
        col(METRIC).getField("v").as(CxKpis.VALUE),
        col(METRIC).getField("n").as(CxKpis.NUMERATOR),
        col(METRIC).getField("d").as(CxKpis.DENOMINATOR));
  }

  private static Column event(String kind, Column ts, Column hours) {
    return struct(lit(kind).as("kind"), ts.as("ts"), hours.as("hours"));
  }
}
