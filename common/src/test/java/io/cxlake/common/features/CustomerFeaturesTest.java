package io.cxlake.common.features;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hand-computed features for a tiny fixture at as-of 2026-06-30 (cut-off 2026-07-01T00:00Z).
 * Every source has rows after the cut-off that must not count.
 */
@ExtendWith(SparkExtension.class)
class CustomerFeaturesTest {
  private static final AsOf AS_OF = new AsOf(LocalDate.parse("2026-06-30"));
  private static final FeatureSettings SETTINGS = new FeatureSettings(true, 7, 2, "salt");
  private static Map<String, Row> byCustomer;
  private static FeatureInputs inputs;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkExtension.session();
    Dataset<Row> customers = frame(Customers.TABLE.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.SIGNUP_TS, ts("2026-01-01T00:00:00"),
            Customers.EMAIL, " A@x.com ", Customers.COUNTRY, "DE", Customers.MARKETING_OPT_IN, true)
        .with(Customers.CUSTOMER_ID, "C2", Customers.SIGNUP_TS, ts("2026-03-01T00:00:00"))
        .with(Customers.CUSTOMER_ID, "C3", Customers.SIGNUP_TS, ts("2026-07-05T00:00:00"))
        .build(spark);
    Dataset<Row> tx = frame(Transactions.TABLE.schema())
        .with(Transactions.TRANSACTION_ID, "L1", Transactions.ORDER_ID, "O1", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-06-01T10:00:00"), Transactions.PRODUCT_ID, "P1", Transactions.CATEGORY, "electronics",
            Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 100.0, Transactions.DISCOUNT, 0.0,
            Transactions.STATUS, "completed", Transactions.NET_AMOUNT, 100.0, Transactions.CHANNEL, "web")
        .with(Transactions.TRANSACTION_ID, "L2", Transactions.ORDER_ID, "O1", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-06-01T10:00:00"), Transactions.PRODUCT_ID, "P2", Transactions.CATEGORY, "books",
            Transactions.QUANTITY, 2, Transactions.UNIT_PRICE, 10.0, Transactions.DISCOUNT, 5.0,
            Transactions.STATUS, "completed", Transactions.NET_AMOUNT, 15.0, Transactions.CHANNEL, "web")
        .with(Transactions.TRANSACTION_ID, "L3", Transactions.ORDER_ID, "O2", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-06-01T18:00:00"), Transactions.PRODUCT_ID, "P2", Transactions.CATEGORY, "books",
            Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 20.0, Transactions.DISCOUNT, 0.0,
            Transactions.STATUS, "completed", Transactions.NET_AMOUNT, 20.0, Transactions.CHANNEL, "web")
        .with(Transactions.TRANSACTION_ID, "L4", Transactions.ORDER_ID, "O3", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-06-20T10:00:00"), Transactions.PRODUCT_ID, "P3", Transactions.CATEGORY, "home",
            Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 50.0, Transactions.DISCOUNT, 0.0,
            Transactions.STATUS, "returned", Transactions.NET_AMOUNT, 50.0, Transactions.CHANNEL, "web")
        .with(Transactions.TRANSACTION_ID, "L5", Transactions.ORDER_ID, "O4", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-07-02T10:00:00"), Transactions.PRODUCT_ID, "P9", Transactions.CATEGORY, "electronics",
            Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 500.0, Transactions.DISCOUNT, 0.0,
            Transactions.STATUS, "completed", Transactions.NET_AMOUNT, 500.0, Transactions.CHANNEL, "web")
        .with(Transactions.TRANSACTION_ID, "L6", Transactions.ORDER_ID, "O5", Transactions.CUSTOMER_ID, "C2",
            Transactions.ORDER_TS, ts("2026-04-15T00:00:00"), Transactions.PRODUCT_ID, "P3", Transactions.CATEGORY, "home",
            Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 40.0, Transactions.DISCOUNT, 0.0,
            Transactions.STATUS, "completed", Transactions.NET_AMOUNT, 40.0, Transactions.CHANNEL, "phone")
        .build(spark);
    Dataset<Row> tickets = frame(SupportTickets.TABLE.schema())
        .with(SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "C1",
            SupportTickets.OPENED_TS, ts("2026-06-10T00:00:00"), SupportTickets.FIRST_RESPONSE_TS, ts("2026-06-10T02:00:00"),
            SupportTickets.RESOLVED_TS, ts("2026-06-11T00:00:00"), SupportTickets.CONTACTS, 1,
            SupportTickets.REOPENED, false, SupportTickets.CSAT, 5, SupportTickets.TOPIC, "delivery",
            SupportTickets.CHANNEL, "email")
        .with(SupportTickets.TICKET_ID, "T2", SupportTickets.CUSTOMER_ID, "C1",
            SupportTickets.OPENED_TS, ts("2026-06-25T00:00:00"), SupportTickets.FIRST_RESPONSE_TS, ts("2026-06-25T10:00:00"),
            SupportTickets.RESOLVED_TS, ts("2026-07-03T00:00:00"), SupportTickets.CONTACTS, 2,
            SupportTickets.REOPENED, false, SupportTickets.CSAT, 1, SupportTickets.TOPIC, "delivery",
            SupportTickets.CHANNEL, "email")
        .with(SupportTickets.TICKET_ID, "T3", SupportTickets.CUSTOMER_ID, "C1",
            SupportTickets.OPENED_TS, ts("2026-07-05T00:00:00"), SupportTickets.TOPIC, "payment")
        .build(spark);
    Dataset<Row> surveys = frame(Surveys.TABLE.schema())
        .with(Surveys.RESPONSE_ID, "R1", Surveys.CUSTOMER_ID, "C1", Surveys.RESPONSE_TS, ts("2026-05-01T00:00:00"),
            Surveys.SURVEY_TYPE, "nps", Surveys.SCORE, 9)
        .with(Surveys.RESPONSE_ID, "R2", Surveys.CUSTOMER_ID, "C1", Surveys.RESPONSE_TS, ts("2026-06-28T00:00:00"),
            Surveys.SURVEY_TYPE, "nps", Surveys.SCORE, 3)
        .with(Surveys.RESPONSE_ID, "R3", Surveys.CUSTOMER_ID, "C1", Surveys.RESPONSE_TS, ts("2026-07-02T00:00:00"),
            Surveys.SURVEY_TYPE, "nps", Surveys.SCORE, 10)
        .with(Surveys.RESPONSE_ID, "R4", Surveys.CUSTOMER_ID, "C1", Surveys.RESPONSE_TS, ts("2026-06-12T00:00:00"),
            Surveys.SURVEY_TYPE, "csat", Surveys.SCORE, 4)
        .build(spark);
    Dataset<Row> web = frame(WebEvents.TABLE.schema())
        .with(WebEvents.EVENT_ID, "E1", WebEvents.EVENT_TS, ts("2026-06-28T10:00:00"), WebEvents.EVENT_TYPE, "product_view",
            WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S1", WebEvents.PRODUCT_ID, "P9",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-06-28T10:05:00"))
        .with(WebEvents.EVENT_ID, "E2", WebEvents.EVENT_TS, ts("2026-06-28T10:05:00"), WebEvents.EVENT_TYPE, "product_view",
            WebEvents.CUSTOMER_ID, "C1", WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S1", WebEvents.PRODUCT_ID, "P9",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-06-28T10:05:00"))
        .with(WebEvents.EVENT_ID, "E3", WebEvents.EVENT_TS, ts("2026-06-28T10:06:00"), WebEvents.EVENT_TYPE, "add_to_cart",
            WebEvents.CUSTOMER_ID, "C1", WebEvents.SESSION_ID, "S1", WebEvents.PRODUCT_ID, "P9",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-06-28T10:06:00"))
        .with(WebEvents.EVENT_ID, "E4", WebEvents.EVENT_TS, ts("2026-06-29T08:59:00"), WebEvents.EVENT_TYPE, "email_click",
            WebEvents.CUSTOMER_ID, "C1", WebEvents.SESSION_ID, "S2",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-06-29T08:59:00"))
        .with(WebEvents.EVENT_ID, "E5", WebEvents.EVENT_TS, ts("2026-06-29T09:00:00"), WebEvents.EVENT_TYPE, "product_view",
            WebEvents.CUSTOMER_ID, "C1", WebEvents.SESSION_ID, "S2", WebEvents.PRODUCT_ID, "P9",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-06-29T09:00:00"))
        .with(WebEvents.EVENT_ID, "E6", WebEvents.EVENT_TS, ts("2026-06-30T12:00:00"), WebEvents.EVENT_TYPE, "product_view",
            WebEvents.ANONYMOUS_ID, "A2", WebEvents.SESSION_ID, "S3", WebEvents.PRODUCT_ID, "P7",
            WebEvents.RESOLVED_CUSTOMER_ID, "C1", WebEvents.RESOLVED_TS, ts("2026-07-02T00:00:00"))
        .build(spark);

    inputs = new FeatureInputs(customers, tx, tickets, web, surveys);
    Dataset<Row> features = CustomerFeatures.compute(inputs, AS_OF, SETTINGS);
    byCustomer = new java.util.TreeMap<>();
    for (Row r : features.collectAsList()) {
      byCustomer.put(r.getAs(Customer360.CUSTOMER_ID), r);
    }
  }

  /**
   * The features at several cut-offs in one plan equal, row for row and value for value, those
   * computed at each cut-off alone.
   */
  static void assertOnePlanEqualsEachCutoff(FeatureInputs in, FeatureSettings settings, List<LocalDate> dates) {
    Dataset<Row> expected = dates.stream()
        .map(d -> CustomerFeatures.compute(in, new AsOf(d), settings)
            .withColumn(Cutoffs.DATE, new AsOf(d).dateLit()))
        .reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> onePlan = CustomerFeatures.compute(in, dates, settings);
    List<String> columns = new java.util.ArrayList<>(List.of(expected.columns()));
    columns.remove(Cutoffs.DATE);
    columns.add(1, Cutoffs.DATE);
    assertThat(onePlan.columns()).as("columns").containsExactlyElementsOf(columns);
    DataFrameAssertions.assertSameRows(expected.selectExpr(columns.toArray(String[]::new)), onePlan);
  }

  @Test
  void severalCutoffsInOnePlanEqualEachCutoffAlone() {
    assertOnePlanEqualsEachCutoff(inputs, SETTINGS, List.of(LocalDate.parse("2026-06-01"),
        LocalDate.parse("2026-06-20"), AS_OF.date(), LocalDate.parse("2026-07-03")));
  }

  @Test
  void knowsOnlyCustomersSignedUpOrBuyingBeforeTheCutoff() {
    assertThat(byCustomer.keySet()).as("customers known at the cut-off").containsExactly("C1", "C2");
  }

  @Test
  void rfmMergesSameDayOrdersAndIgnoresLaterOrders() {
    Row c1 = byCustomer.get("C1");
    assertThat((long) c1.getAs(Customer360.ORDERS)).as("completed orders").isEqualTo(2);
    assertThat((long) c1.getAs(Customer360.PURCHASE_OCCASIONS)).as("same-day orders merged").isEqualTo(1);
    assertThat((long) c1.getAs(Customer360.REPEAT_PURCHASES)).as("repeat purchases").isZero();
    assertThat((double) c1.getAs(Customer360.MONETARY_TOTAL)).as("net revenue, order after cut-off excluded")
        .isCloseTo(135.0, within(1e-9));
    assertThat((double) c1.getAs(Customer360.AVG_ORDER_VALUE)).as("AOV").isCloseTo(67.5, within(1e-9));
    assertThat((double) c1.getAs(Customer360.RECENCY_DAYS)).as("days since 06-01 18:00").isCloseTo(29.25, within(1e-9));
    assertThat((double) c1.getAs(Customer360.RETURN_RATE)).as("1 returned of 4 lines").isCloseTo(0.25, within(1e-9));
    assertThat((double) c1.getAs(Customer360.DISCOUNT_SHARE)).as("5 of 140 gross").isCloseTo(5.0 / 140, within(1e-9));
    assertThat((long) c1.getAs(Customer360.ORDERS_30D)).as("orders in 30 days").isEqualTo(2);
    assertThat((String) c1.getAs(Customer360.FAVOURITE_CATEGORY)).as("favourite").isEqualTo("electronics");
    Map<String, Double> shares = c1.getJavaMap(c1.fieldIndex(Customer360.CATEGORY_SHARES));
    assertThat(shares).as("category shares").hasSize(2);
    assertThat(shares.get("books")).as("books share").isCloseTo(35.0 / 135, within(1e-9));
    assertThat((double) c1.getAs(Customer360.TENURE_DAYS)).as("tenure from sign-up").isCloseTo(181.0, within(1e-9));
    assertThat((String) c1.getAs(Customer360.EMAIL_KEY)).as("HMAC-SHA256 of the normalised e-mail with the secret")
        .isEqualTo(hmacHex("salt", "a@x.com"));
  }

  @Test
  void ticketsResolvedAfterTheCutoffAreOpen() {
    Row c1 = byCustomer.get("C1");
    assertThat((long) c1.getAs(Customer360.TICKETS_TOTAL)).as("tickets before cut-off").isEqualTo(2);
    assertThat((long) c1.getAs(Customer360.TICKETS_30D)).as("tickets in 30 days").isEqualTo(2);
    assertThat((long) c1.getAs(Customer360.OPEN_TICKETS)).as("T2 resolved only after the cut-off").isEqualTo(1);
    assertThat((double) c1.getAs(Customer360.OLDEST_OPEN_TICKET_DAYS)).as("T2 age").isCloseTo(6.0, within(1e-9));
    assertThat((double) c1.getAs(Customer360.MEAN_FIRST_RESPONSE_HOURS)).as("mean of 2h and 10h").isCloseTo(6.0, within(1e-9));
    assertThat((double) c1.getAs(Customer360.P90_FIRST_RESPONSE_HOURS)).as("2 + 0.9 x 8").isCloseTo(9.2, within(1e-9));
    assertThat((double) c1.getAs(Customer360.MEAN_RESOLUTION_HOURS)).as("only T1 resolved").isCloseTo(24.0, within(1e-9));
    assertThat((double) c1.getAs(Customer360.FCR_RATE)).as("T1 in one contact").isCloseTo(1.0, within(1e-9));
    assertThat((double) c1.getAs(Customer360.REOPEN_RATE)).as("no reopen").isZero();
    assertThat((double) c1.getAs(Customer360.MEAN_TICKET_CSAT)).as("T2's CSAT comes after the cut-off")
        .isCloseTo(5.0, within(1e-9));
    assertThat((String) c1.getAs(Customer360.TOP_TICKET_TOPIC)).as("top topic").isEqualTo("delivery");
  }

  @Test
  void surveysUseTheLatestScoreBeforeTheCutoff() {
    Row c1 = byCustomer.get("C1");
    assertThat((int) c1.getAs(Customer360.LAST_NPS_SCORE)).as("R3 is after the cut-off").isEqualTo(3);
    assertThat((String) c1.getAs(Customer360.NPS_CLASS)).as("3 is a detractor").isEqualTo("detractor");
    assertThat((long) c1.getAs(Customer360.NPS_RESPONSES)).as("NPS responses").isEqualTo(2);
    assertThat((int) c1.getAs(Customer360.LAST_CSAT)).as("last CSAT").isEqualTo(4);
    assertThat((long) c1.getAs(Customer360.CSAT_RESPONSES)).as("CSAT responses").isEqualTo(1);
  }

  @Test
  void webFeaturesAttributeStitchedEventsOnlyOnceKnown() {
    Row c1 = byCustomer.get("C1");
    assertThat((long) c1.getAs(Customer360.SESSIONS_7D)).as("S3 is stitched only after the cut-off").isEqualTo(2);
    assertThat((long) c1.getAs(Customer360.PRODUCT_VIEWS_7D)).as("E1 stitched by the login in S1").isEqualTo(3);
    assertThat((long) c1.getAs(Customer360.CART_ABANDONMENTS_90D)).as("S1 cart without purchase").isEqualTo(1);
    assertThat((long) c1.getAs(Customer360.EMAIL_CLICKS_90D)).as("email clicks").isEqualTo(1);
    assertThat((double) c1.getAs(Customer360.DAYS_SINCE_LAST_VISIT)).as("from 06-29 09:00").isCloseTo(1.625, within(1e-9));
    assertThat(c1.<String>getList(c1.fieldIndex(Customer360.BROWSE_WITHOUT_BUY_PRODUCTS)))
        .as("P9 viewed 3 times, not bought before the cut-off").containsExactly("P9");
    assertThat((String) c1.getAs(Customer360.PREFERRED_CHANNEL)).as("clicks e-mails").isEqualTo("email");
  }

  @Test
  void customerWithoutTicketsWebOrSurveysKeepsTheRowWithZerosAndNulls() {
    Row c2 = byCustomer.get("C2");
    assertThat((long) c2.getAs(Customer360.ORDERS)).as("orders").isEqualTo(1);
    assertThat((double) c2.getAs(Customer360.RECENCY_DAYS)).as("days since 04-15").isCloseTo(77.0, within(1e-9));
    assertThat((long) c2.getAs(Customer360.ORDERS_30D)).as("orders in 30 days").isZero();
    assertThat((long) c2.getAs(Customer360.ORDERS_90D)).as("orders in 90 days").isEqualTo(1);
    assertThat((long) c2.getAs(Customer360.TICKETS_TOTAL)).as("no tickets is 0").isZero();
    assertThat((long) c2.getAs(Customer360.SESSIONS_90D)).as("no sessions is 0").isZero();
    assertThat((long) c2.getAs(Customer360.NPS_RESPONSES)).as("no surveys is 0").isZero();
    assertThat((Object) c2.getAs(Customer360.FCR_RATE)).as("no tickets: FCR unknown").isNull();
    assertThat((Object) c2.getAs(Customer360.NPS_CLASS)).as("no NPS: class unknown").isNull();
    assertThat((Object) c2.getAs(Customer360.BROWSE_WITHOUT_BUY_PRODUCTS)).as("no browsing").isNull();
    assertThat((Object) c2.getAs(Customer360.EMAIL_KEY)).as("no e-mail, no key").isNull();
    assertThat((String) c2.getAs(Customer360.PREFERRED_CHANNEL)).as("orders by phone").isEqualTo("phone");
  }

  @Test
  void outputHasExactlyTheFeatureColumns() {
    Row any = byCustomer.get("C1");
    List<String> expected = new java.util.ArrayList<>(List.of(Customer360.CUSTOMER_ID, Customer360.EMAIL_KEY));
    expected.addAll(List.of(Customer360.FEATURES.fieldNames()));
    assertThat(any.schema().fieldNames()).as("columns in order").containsExactlyElementsOf(expected);
  }

  private static String hmacHex(String secret, String text) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
