package io.cxlake.jobs.kpis;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hand-computed KPIs as of Sunday 2026-03-15 (the month is partial, the week Mar 9-15 is not),
 * with a 31-day churn rule. Every fixture is in the comment of the test that checks it.
 */
@ExtendWith(SparkExtension.class)
class KpiMetricsTest {
  private static final AsOf AS_OF = AsOf.parse("2026-03-15");
  private static List<Row> rows;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkExtension.session();
    Fixtures.Builder surveys = Fixtures.frame(Surveys.TABLE.schema());
    int id = 0;
    // February 10: 5 promoters, 3 passives, 2 detractors -> NPS 30.
    for (int score : new int[] {9, 10, 9, 10, 9, 7, 8, 7, 0, 6}) {
      survey(surveys, "S" + id++, "2026-02-10T12:00:00", Surveys.TYPE_NPS, score, "relationship");
    }
    // CSAT: January one 4; February 5, 4, 3 (post_support), 2, 5 (post_purchase).
    survey(surveys, "S" + id++, "2026-01-20T12:00:00", Surveys.TYPE_CSAT, 4, "post_support");
    int[] csat = {5, 4, 3, 2, 5};
    for (int i = 0; i < csat.length; i++) {
      survey(surveys, "S" + id++, "2026-02-11T12:00:00", Surveys.TYPE_CSAT, csat[i], i < 3 ? "post_support" : "post_purchase");
    }
    survey(surveys, "S" + id++, "2026-03-16T12:00:00", Surveys.TYPE_NPS, 0, "relationship");

    Fixtures.Builder tickets = Fixtures.frame(SupportTickets.TABLE.schema());
    ticket(tickets, "T1", "2026-02-01T00:00:00", 1.0, 2.0, "email", "delivery", 1, false);
    ticket(tickets, "T2", "2026-02-02T00:00:00", 2.0, 3.0, "email", "delivery", 2, true);
    ticket(tickets, "T3", "2026-02-03T00:00:00", 3.0, 4.0, "chat", "payment", 1, false);
    ticket(tickets, "T4", "2026-02-04T00:00:00", 4.0, 10.0, "chat", "payment", 1, null);
    ticket(tickets, "T5", "2026-02-05T00:00:00", 0.5, 1.0, "phone", "product", 3, false);
    // Resolved after the cut-off: open at the as-of date.
    tickets.with(SupportTickets.TICKET_ID, "T6", SupportTickets.CUSTOMER_ID, "X",
        SupportTickets.OPENED_TS, ts("2026-02-20T00:00:00"), SupportTickets.FIRST_RESPONSE_TS, ts("2026-02-20T01:00:00"),
        SupportTickets.RESOLVED_TS, ts("2026-03-20T00:00:00"), SupportTickets.CHANNEL, "email",
        SupportTickets.TOPIC, "delivery", SupportTickets.CONTACTS, 1, SupportTickets.REOPENED, false);
    tickets.with(SupportTickets.TICKET_ID, "T7", SupportTickets.CUSTOMER_ID, "X",
        SupportTickets.OPENED_TS, ts("2026-03-10T00:00:00"), SupportTickets.CHANNEL, "social",
        SupportTickets.TOPIC, "delivery");
    tickets.with(SupportTickets.TICKET_ID, "T8", SupportTickets.CUSTOMER_ID, "X",
        SupportTickets.OPENED_TS, ts("2026-03-16T00:00:00"), SupportTickets.CHANNEL, "email",
        SupportTickets.TOPIC, "delivery");

    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    order(tx, "O1", "X", "2026-01-10T10:00:00", 100.0, "web", null);
    order(tx, "O2", "X", "2026-01-20T10:00:00", 50.0, "web", "completed");
    order(tx, "O3", "X", "2026-02-05T10:00:00", 30.0, "store", "completed");
    order(tx, "O4", "X", "2026-03-02T10:00:00", 99.0, "store", "cancelled");
    order(tx, "O5", "Y", "2026-01-15T10:00:00", 20.0, "app", "completed");
    order(tx, "O6", "Y", "2026-03-01T10:00:00", 40.0, "app", "completed");
    order(tx, "O7", "Z", "2026-02-25T10:00:00", 10.0, "web", "completed");
    order(tx, "O8", "Z", "2026-03-20T10:00:00", 10.0, "web", "completed");

    Fixtures.Builder web = Fixtures.frame(WebEvents.TABLE.schema());
    String[][] sessions = {
        {"W1", "mobile", "page_view", "product_view", "add_to_cart", "checkout_start", "purchase"},
        {"W2", "desktop", "product_view", "product_view", "add_to_cart"},
        {"W3", "desktop", "add_to_cart", "checkout_start"},
        {"W4", "mobile", "help_view", "help_view"}};
    for (String[] s : sessions) {
      for (int i = 2; i < s.length; i++) {
        web.with(WebEvents.EVENT_ID, s[0] + "-" + i, WebEvents.EVENT_TS, ts("2026-02-14T10:0" + i + ":00"),
            WebEvents.EVENT_TYPE, s[i], WebEvents.SESSION_ID, s[0], WebEvents.DEVICE, s[1]);
      }
    }
    web.with(WebEvents.EVENT_ID, "W5-1", WebEvents.EVENT_TS, ts("2026-03-16T10:00:00"),
        WebEvents.EVENT_TYPE, "help_view", WebEvents.SESSION_ID, "W5", WebEvents.DEVICE, "mobile");

    KpisConfig config = KpisConfig.from(
        CxConfig.load(Optional.empty(), Map.of("kpis.churn-inactivity-days", "31")),
        new TableCatalog("/tmp/unused"), AS_OF);
    rows = KpiMetrics.build(new FeatureInputs(noCustomers(spark), tx.build(spark), tickets.build(spark),
        web.build(spark), surveys.build(spark)), config).collectAsList();
  }

  private static void survey(Fixtures.Builder b, String id, String ts, String type, int score, String touchpoint) {
    b.with(Surveys.RESPONSE_ID, id, Surveys.CUSTOMER_ID, "X", Surveys.RESPONSE_TS, ts(ts), Surveys.SURVEY_TYPE, type,
        Surveys.SCORE, score, Surveys.TOUCHPOINT, touchpoint);
  }

  private static void ticket(Fixtures.Builder b, String id, String opened, double responseHours,
      double resolutionHours, String channel, String topic, Integer contacts, Boolean reopened) {
    Timestamp o = ts(opened);
    b.with(SupportTickets.TICKET_ID, id, SupportTickets.CUSTOMER_ID, "X", SupportTickets.OPENED_TS, o,
        SupportTickets.FIRST_RESPONSE_TS, new Timestamp(o.getTime() + (long) (responseHours * 3_600_000)),
        SupportTickets.RESOLVED_TS, new Timestamp(o.getTime() + (long) (resolutionHours * 3_600_000)),
        SupportTickets.CHANNEL, channel, SupportTickets.TOPIC, topic, SupportTickets.CONTACTS, contacts,
        SupportTickets.REOPENED, reopened);
  }

  private static void order(Fixtures.Builder b, String order, String customer, String ts, double net, String channel,
      String status) {
    b.with(Transactions.TRANSACTION_ID, order + "-1", Transactions.ORDER_ID, order, Transactions.CUSTOMER_ID, customer,
        Transactions.ORDER_TS, ts(ts), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, net,
        Transactions.NET_AMOUNT, net, Transactions.CHANNEL, channel, Transactions.STATUS, status);
  }

  private static Optional<Row> find(String grain, String period, String metric, String dimension, String value) {
    List<Row> found = rows.stream()
        .filter(r -> r.<String>getAs(CxKpis.PERIOD_GRAIN).equals(grain)
            && r.<Date>getAs(CxKpis.PERIOD_START).toString().equals(period)
            && r.<String>getAs(CxKpis.METRIC).equals(metric)
            && r.<String>getAs(CxKpis.DIMENSION).equals(dimension)
            && r.<String>getAs(CxKpis.DIMENSION_VALUE).equals(value))
        .toList();
    assertThat(found).as("at most one row per key: " + grain + " " + period + " " + metric).hasSizeLessThanOrEqualTo(1);
    return found.stream().findFirst();
  }

  private static Row month(String period, String metric) {
    return month(period, metric, CxKpis.ALL, CxKpis.ALL);
  }

  private static Row month(String period, String metric, String dimension, String value) {
    return find("month", period, metric, dimension, value)
        .orElseThrow(() -> new AssertionError("no row " + period + " " + metric + " " + dimension + "=" + value));
  }

  private static double value(Row r) {
    return r.getAs(CxKpis.VALUE);
  }

  private static Double numerator(Row r) {
    return r.getAs(CxKpis.NUMERATOR);
  }

  private static Double denominator(Row r) {
    return r.getAs(CxKpis.DENOMINATOR);
  }

  @Test
  void npsOfFivePromotersThreePassivesTwoDetractorsIsThirty() {
    Row nps = month("2026-02-01", CxKpis.NPS);
    assertThat(value(nps)).as("NPS = 50% - 20%").isCloseTo(30.0, within(1e-12));
    assertThat(numerator(nps)).as("promoters - detractors").isEqualTo(3.0);
    assertThat(denominator(nps)).as("responses").isEqualTo(10.0);
    assertThat(value(month("2026-02-01", CxKpis.NPS_PROMOTER_SHARE))).as("promoters").isEqualTo(0.5);
    assertThat(value(month("2026-02-01", CxKpis.NPS_PASSIVE_SHARE))).as("passives").isEqualTo(0.3);
    assertThat(value(month("2026-02-01", CxKpis.NPS_DETRACTOR_SHARE))).as("detractors").isEqualTo(0.2);
    assertThat(value(month("2026-02-01", CxKpis.NPS, CxKpis.DIM_TOUCHPOINT, "relationship")))
        .as("by touchpoint").isCloseTo(30.0, within(1e-12));
    assertThat(find("day", "2026-02-10", CxKpis.NPS, CxKpis.ALL, CxKpis.ALL)).as("daily NPS").isPresent();
  }

  @Test
  void periodWithoutSurveysHasNoNpsRowRatherThanZero() {
    assertThat(find("month", "2026-01-01", CxKpis.NPS, CxKpis.ALL, CxKpis.ALL)).as("January: CSAT only").isEmpty();
    assertThat(value(month("2026-01-01", CxKpis.NPS_RESPONSES))).as("the count says why").isZero();
    assertThat(find("day", "2026-02-11", CxKpis.NPS, CxKpis.ALL, CxKpis.ALL)).as("a day without NPS").isEmpty();
    assertThat(find("month", "2026-03-01", CxKpis.NPS, CxKpis.ALL, CxKpis.ALL))
        .as("March's only NPS response is after the cut-off").isEmpty();
  }

  @Test
  void csatShareOfFoursAndFivesAndMeanScore() {
    Row share = month("2026-02-01", CxKpis.CSAT_SATISFIED_SHARE);
    assertThat(value(share)).as("5, 4, 3, 2, 5: three of five").isEqualTo(0.6);
    assertThat(numerator(share)).as("satisfied").isEqualTo(3.0);
    assertThat(value(month("2026-02-01", CxKpis.CSAT_MEAN))).as("19 / 5").isCloseTo(3.8, within(1e-12));
    assertThat(value(month("2026-02-01", CxKpis.CSAT_SATISFIED_SHARE, CxKpis.DIM_TOUCHPOINT, "post_purchase")))
        .as("post_purchase: 2 and 5").isEqualTo(0.5);
    assertThat(value(month("2026-01-01", CxKpis.CSAT_MEAN))).as("January").isEqualTo(4.0);
  }

  @Test
  void firstContactResolutionReopenAndTimePercentiles() {
    // Resolved in February: T1-T5 with contacts 1, 2, 1, 1, 3 and reopened f, t, f, null, f.
    Row fcr = month("2026-02-01", CxKpis.FIRST_CONTACT_RESOLUTION_RATE);
    assertThat(value(fcr)).as("FCR 3 / 5").isEqualTo(0.6);
    assertThat(value(month("2026-02-01", CxKpis.REOPEN_RATE))).as("reopened 1 / 4 known").isEqualTo(0.25);
    // Resolution hours 2, 3, 4, 10, 1: exact percentile, linear interpolation at (n - 1) p.
    assertThat(value(month("2026-02-01", CxKpis.RESOLUTION_HOURS_MEAN))).as("mean").isCloseTo(4.0, within(1e-9));
    assertThat(value(month("2026-02-01", CxKpis.RESOLUTION_HOURS_MEDIAN))).as("median").isCloseTo(3.0, within(1e-9));
    Row p90 = month("2026-02-01", CxKpis.RESOLUTION_HOURS_P90);
    assertThat(value(p90)).as("p90 = 4 + 0.6 x (10 - 4)").isCloseTo(7.6, within(1e-9));
    assertThat(denominator(p90)).as("values behind it").isEqualTo(5.0);
    assertThat(numerator(p90)).as("no numerator").isNull();
    // First responses in February: 1, 2, 3, 4, 0.5 and T6's 1.
    assertThat(value(month("2026-02-01", CxKpis.FIRST_RESPONSE_HOURS_MEDIAN))).as("median of 6")
        .isCloseTo(1.5, within(1e-9));
    assertThat(value(month("2026-02-01", CxKpis.FIRST_RESPONSE_HOURS_P90))).as("p90 of 6 = 3 + 0.5 x 1")
        .isCloseTo(3.5, within(1e-9));
    assertThat(value(month("2026-02-01", CxKpis.RESOLUTION_HOURS_P90, CxKpis.DIM_TOPIC, "payment")))
        .as("payment: 4 and 10").isCloseTo(4 + 0.9 * 6, within(1e-9));
  }

  @Test
  void ticketsOpenAtTheAsOfDateAreNotResolved() {
    assertThat(value(month("2026-03-01", CxKpis.TICKETS_RESOLVED))).as("T6 resolves after the cut-off").isZero();
    assertThat(find("month", "2026-03-01", CxKpis.RESOLUTION_HOURS_MEAN, CxKpis.ALL, CxKpis.ALL))
        .as("no resolution time in March").isEmpty();
    assertThat(value(month("2026-02-01", CxKpis.OPEN_BACKLOG))).as("end of February: T6").isEqualTo(1.0);
    assertThat(value(month("2026-03-01", CxKpis.OPEN_BACKLOG))).as("at the cut-off: T6, T7").isEqualTo(2.0);
    assertThat(value(find("day", "2026-02-05", CxKpis.OPEN_BACKLOG, CxKpis.ALL, CxKpis.ALL).orElseThrow()))
        .as("T5 opened and resolved on Feb 5").isZero();
    assertThat(value(find("day", "2026-02-21", CxKpis.OPEN_BACKLOG, CxKpis.ALL, CxKpis.ALL).orElseThrow()))
        .as("a day without tickets still has its backlog").isEqualTo(1.0);
    assertThat(value(month("2026-03-01", CxKpis.TICKETS_OPENED))).as("T8 is after the cut-off").isEqualTo(1.0);
  }

  @Test
  void ticketVolumeByTopicWithShareAndRank() {
    assertThat(value(month("2026-02-01", CxKpis.TICKETS_OPENED))).as("February").isEqualTo(6.0);
    Row delivery = month("2026-02-01", CxKpis.TICKET_SHARE, CxKpis.DIM_TOPIC, "delivery");
    assertThat(value(delivery)).as("T1, T2, T6 of 6").isEqualTo(0.5);
    assertThat(value(month("2026-02-01", CxKpis.TICKET_TOPIC_RANK, CxKpis.DIM_TOPIC, "delivery")))
        .as("biggest friction point").isEqualTo(1.0);
    assertThat(value(month("2026-02-01", CxKpis.TICKET_TOPIC_RANK, CxKpis.DIM_TOPIC, "product")))
        .as("smallest").isEqualTo(3.0);
    assertThat(value(month("2026-03-01", CxKpis.TICKETS_OPENED, CxKpis.DIM_TOPIC, "payment")))
        .as("a topic without tickets this month counts 0").isZero();
    assertThat(find("month", "2026-03-01", CxKpis.TICKET_TOPIC_RANK, CxKpis.DIM_TOPIC, "payment"))
        .as("and has no rank").isEmpty();
    assertThat(value(month("2026-02-01", CxKpis.TICKETS_OPENED, CxKpis.DIM_TICKET_CHANNEL, "chat")))
        .as("by channel").isEqualTo(2.0);
  }

  @Test
  void salesRepeatPurchaseAndChurn() {
    // X: Jan 10 (100), Jan 20 (50), Feb 5 (30, store), a cancelled order; Y: Jan 15 (20), Mar 1 (40);
    // Z: Feb 25 (10), Mar 20 (after the cut-off). Churn after 31 days: Y on Feb 15, X on Mar 8.
    assertThat(value(month("2026-01-01", CxKpis.ORDERS))).as("January orders").isEqualTo(3.0);
    assertThat(value(month("2026-01-01", CxKpis.REVENUE))).as("January revenue").isEqualTo(170.0);
    assertThat(value(month("2026-01-01", CxKpis.AVERAGE_ORDER_VALUE))).as("AOV").isCloseTo(170 / 3.0, within(1e-12));
    assertThat(value(month("2026-01-01", CxKpis.REPEAT_PURCHASE_RATE))).as("January: all new").isZero();
    Row repeat = month("2026-02-01", CxKpis.REPEAT_PURCHASE_RATE);
    assertThat(value(repeat)).as("February: X bought before, Z is new").isEqualTo(0.5);
    assertThat(denominator(repeat)).as("active customers").isEqualTo(2.0);
    assertThat(value(month("2026-02-01", CxKpis.NEW_CUSTOMERS))).as("Z").isEqualTo(1.0);
    assertThat(value(month("2026-03-01", CxKpis.ORDERS))).as("March: Y only").isEqualTo(1.0);
    assertThat(value(month("2026-02-01", CxKpis.ORDERS, CxKpis.DIM_SALES_CHANNEL, "store")))
        .as("by channel").isEqualTo(1.0);
    assertThat(value(month("2026-02-01", CxKpis.CHURNED_CUSTOMERS))).as("Y on Feb 15").isEqualTo(1.0);
    Row churn = month("2026-02-01", CxKpis.CHURN_RATE);
    assertThat(value(churn)).as("1 of X, Y active at Feb 1").isEqualTo(0.5);
    Row marchChurn = month("2026-03-01", CxKpis.CHURN_RATE);
    assertThat(numerator(marchChurn)).as("X on Mar 8").isEqualTo(1.0);
    assertThat(denominator(marchChurn)).as("X and Z active at Mar 1 (Y churned)").isEqualTo(2.0);
    assertThat(find("month", "2026-01-01", CxKpis.CHURN_RATE, CxKpis.ALL, CxKpis.ALL))
        .as("nobody active before January").isEmpty();
    assertThat(find("month", "2026-02-01", CxKpis.CHURN_RATE, CxKpis.DIM_SALES_CHANNEL, "web"))
        .as("churn is overall only").isEmpty();
  }

  @Test
  void webSessionsFunnelAndHelpViewsPerTicket() {
    assertThat(value(month("2026-02-01", CxKpis.SESSIONS))).as("sessions").isEqualTo(4.0);
    assertThat(value(month("2026-02-01", CxKpis.PRODUCT_VIEWS))).as("product views").isEqualTo(3.0);
    assertThat(value(month("2026-02-01", CxKpis.CART_TO_CHECKOUT_RATE))).as("W1, W3 of 3 carts")
        .isCloseTo(2 / 3.0, within(1e-12));
    assertThat(value(month("2026-02-01", CxKpis.CHECKOUT_TO_PURCHASE_RATE))).as("W1 of 2 checkouts")
        .isEqualTo(0.5);
    assertThat(value(month("2026-02-01", CxKpis.CART_ABANDONMENT_RATE))).as("W2, W3 of 3")
        .isCloseTo(2 / 3.0, within(1e-12));
    assertThat(value(month("2026-02-01", CxKpis.SESSION_CONVERSION_RATE))).as("1 of 4").isEqualTo(0.25);
    assertThat(value(month("2026-02-01", CxKpis.SESSIONS, CxKpis.DIM_DEVICE, "mobile"))).as("mobile")
        .isEqualTo(2.0);
    Row help = month("2026-02-01", CxKpis.HELP_VIEWS_PER_TICKET);
    assertThat(value(help)).as("2 help views / 6 tickets").isCloseTo(2 / 6.0, within(1e-12));
    assertThat(find("month", "2026-03-01", CxKpis.HELP_VIEWS, CxKpis.ALL, CxKpis.ALL).map(KpiMetricsTest::value))
        .as("March's session is after the cut-off").contains(0.0);
  }

  @Test
  void partialPeriodsAreFlaggedAndNothingLiesAfterTheAsOfPeriod() {
    assertThat(month("2026-03-01", CxKpis.ORDERS).<Boolean>getAs(CxKpis.PERIOD_COMPLETE)).as("March").isFalse();
    assertThat(month("2026-02-01", CxKpis.ORDERS).<Boolean>getAs(CxKpis.PERIOD_COMPLETE)).as("February").isTrue();
    assertThat(find("week", "2026-03-09", CxKpis.ORDERS, CxKpis.ALL, CxKpis.ALL).orElseThrow()
        .<Boolean>getAs(CxKpis.PERIOD_COMPLETE)).as("the week ending on the as-of Sunday is complete").isTrue();
    assertThat(rows).as("no period after the as-of day")
        .allSatisfy(r -> assertThat(r.<Date>getAs(CxKpis.PERIOD_START)).isBeforeOrEqualTo(Date.valueOf("2026-03-15")));
    assertThat(rows).extracting(r -> r.<Date>getAs(CxKpis.AS_OF_DATE)).as("as-of date").containsOnly(Date.valueOf("2026-03-15"));
  }

  @Test
  void historyDaysLimitsTheWrittenPeriodsAndInvalidSettingsAreRejected() {
    SparkSession spark = SparkExtension.session();
    KpisConfig config = KpisConfig.from(CxConfig.load(Optional.empty(), Map.of("kpis.history-days", "20",
        "kpis.grains", "[month]")), new TableCatalog("/tmp/unused"), AS_OF);
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    order(tx, "O1", "X", "2026-01-10T10:00:00", 100.0, "web", null);
    order(tx, "O2", "X", "2026-03-10T10:00:00", 100.0, "web", null);
    var empty = new FeatureInputs(noCustomers(spark), tx.build(spark),
        spark.createDataFrame(List.of(), SupportTickets.TABLE.schema()),
        spark.createDataFrame(List.of(), WebEvents.TABLE.schema()), spark.createDataFrame(List.of(), Surveys.TABLE.schema()));
    List<Row> limited = KpiMetrics.build(empty, config).collectAsList();
    assertThat(limited).extracting(r -> r.<Date>getAs(CxKpis.PERIOD_START).toString()).as("Feb 23 is in February")
        .containsOnly("2026-02-01", "2026-03-01");
    assertThat(limited).extracting(r -> r.<String>getAs(CxKpis.METRIC)).as("absent sources have no rows")
        .doesNotContain(CxKpis.NPS_RESPONSES, CxKpis.TICKETS_OPENED, CxKpis.SESSIONS);
    assertThat(limited.stream().filter(r -> r.<String>getAs(CxKpis.METRIC).equals(CxKpis.ORDERS)
            && r.<Date>getAs(CxKpis.PERIOD_START).toString().equals("2026-02-01")).findFirst().orElseThrow()
        .<Double>getAs(CxKpis.VALUE)).as("February: no orders, still a row").isZero();

    assertThatThrownBy(() -> KpisConfig.from(CxConfig.load(Optional.empty(), Map.of("kpis.churn-inactivity-days", "7")),
        new TableCatalog("/tmp/unused"), AS_OF))
        .hasMessage("Cannot configure kpis.churn-inactivity-days: must be 31-3650 (7)");
    assertThatThrownBy(() -> KpisConfig.from(CxConfig.load(Optional.empty(), Map.of("kpis.grains", "[month, month]")),
        new TableCatalog("/tmp/unused"), AS_OF))
        .hasMessage("Cannot configure kpis.grains: grain listed twice (month)");
  }

  /** The KPIs read no customers. */
  private static Dataset<Row> noCustomers(SparkSession spark) {
    return spark.createDataFrame(List.of(), Customers.TABLE.schema());
  }
}
