package io.cxlake.jobs.actions;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each trigger rule on a fixture with customers just inside and just outside it (as-of 2026-03-31). */
@ExtendWith(SparkExtension.class)
class TriggersTest {
  static final AsOf AS_OF = AsOf.parse("2026-03-31");
  static final StructType SCORES = new StructType().add("customer_id", DataTypes.StringType)
      .add(Triggers.P_ALIVE, DataTypes.DoubleType).add(Triggers.CLV, DataTypes.DoubleType)
      .add(Triggers.CHURN_PROBABILITY, DataTypes.DoubleType);

  static ActionsConfig config(Map<String, String> overrides) {
    return ActionsConfig.from(CxConfig.load(Optional.empty(), overrides), new TableCatalog("/tmp/unused"), AS_OF);
  }

  static Dataset<Row> scores(SparkSession spark, Object[]... rows) {
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCORES);
  }

  /** customer -> reason, for the rows of a rule. */
  static Map<String, Row> byCustomer(Dataset<Row> candidates) {
    Map<String, Row> out = new java.util.TreeMap<>();
    candidates.collectAsList().forEach(r -> out.put(r.getAs(Triggers.CUSTOMER_ID), r));
    return out;
  }

  static Fixtures.Builder line(Fixtures.Builder b, String id, String order, String customer, String product,
      String ts, double net) {
    return b.with(Transactions.TRANSACTION_ID, id, Transactions.ORDER_ID, order, Transactions.CUSTOMER_ID, customer,
        Transactions.PRODUCT_ID, product, Transactions.ORDER_TS, ts(ts), Transactions.QUANTITY, 1,
        Transactions.UNIT_PRICE, net, Transactions.NET_AMOUNT, net, Transactions.STATUS, "completed");
  }

  @Test
  void winBackFiresOnNinetyDaysOfInactivityOrEarlierOnARepeatBuyersOwnRhythm(SparkSession spark) {
    Fixtures.Builder c = Fixtures.frame(Customer360.TABLE.schema());
    // Repeat buyers: five purchases over 120 days, a 30-day rhythm, so the cadence threshold is 60 days.
    for (Object[] r : new Object[][] {{"W1", 5L, 70.0}, {"W2", 5L, 50.0}, {"W6", 5L, 60.0}, {"W5", 5L, 95.0},
        {"W3", 1L, 90.0}, {"W4", 1L, 89.9}}) {
      c.with(Customer360.CUSTOMER_ID, r[0], Customer360.PURCHASE_OCCASIONS, r[1], Customer360.RECENCY_DAYS, r[2],
          Customer360.FIRST_ORDER_TS, ts((long) r[1] == 1L ? "2026-01-01T00:00:00" : "2025-09-03T00:00:00"),
          Customer360.LAST_ORDER_TS, ts("2026-01-01T00:00:00"));
    }
    Dataset<Row> scores = scores(spark, new Object[] {"W5", 0.9, 500.0, null}, new Object[] {"W3", 0.99, 100.0, 0.2});
    Map<String, Row> hits = byCustomer(Triggers.winBack(c.build(spark), scores, config(Map.of()).winBack()));

    assertThat(hits.keySet()).as("cadence: 70 > 60 (W1), 50 and exactly 60 not (W2, W6); inactivity: 95 (W5) and "
        + "exactly 90 after one purchase (W3), 89.9 not (W4)").containsExactly("W1", "W3", "W5");
    assertThat(hits.get("W1").<String>getAs(Triggers.REASON))
        .isEqualTo("Cadence rule: no purchase for 70 days, 2.3x the usual 30 days between purchases");
    assertThat(hits.get("W3").<String>getAs(Triggers.REASON)).as("a one-time buyer, P(alive) does not veto")
        .isEqualTo("Inactivity rule: no purchase for 90 days (90 or more), after a single purchase; P(alive) 0.99");
    assertThat(hits.get("W5").<String>getAs(Triggers.REASON))
        .isEqualTo("Inactivity rule: no purchase for 95 days (90 or more); P(alive) 0.90");
    assertThat(hits.get("W5").<Double>getAs(Triggers.VALUE)).as("CLV x (1 - P(alive))").isCloseTo(50.0,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(hits.get("W3").<Double>getAs(Triggers.VALUE)).as("CLV x churn probability").isCloseTo(20.0,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat((Object) hits.get("W1").getAs(Triggers.VALUE)).as("no CLV, no value").isNull();
    assertThat(hits.get("W1").<String, String>getJavaMap(hits.get("W1").fieldIndex(Triggers.TRIGGER_DATA)))
        .containsEntry("rule", "cadence").containsEntry("mean_gap_days", "30.0").containsEntry("threshold_days", "60.0");
    assertThat(hits.get("W3").<String, String>getJavaMap(hits.get("W3").fieldIndex(Triggers.TRIGGER_DATA)))
        .containsEntry("rule", "inactivity").containsEntry("threshold_days", "90.0");
  }

  @Test
  void browseAbandonOffersAProductAWeekAfterItsLastViewWhenNotBoughtSince(SparkSession spark) {
    Fixtures.Builder web = Fixtures.frame(WebEvents.TABLE.schema());
    int[] n = {0};
    java.util.function.BiConsumer<String, Object[]> event = (customer, e) -> web.with(
        WebEvents.EVENT_ID, "E" + n[0]++, WebEvents.CUSTOMER_ID, customer, WebEvents.EVENT_TYPE, e[2],
        WebEvents.PRODUCT_ID, e[0], WebEvents.EVENT_TS, ts((String) e[1]));
    String view = WebEvents.PRODUCT_VIEW;
    // The cut-off is 2026-04-01T00:00: a week before is 03-25T00:00, two weeks 03-18T00:00.
    for (String t : List.of("2026-03-20T10:00:00", "2026-03-22T10:00:00", "2026-03-24T10:00:00")) {
      event.accept("B1", new Object[] {"P1", t, view});
    }
    event.accept("B1", new Object[] {"P2", "2026-03-23T10:00:00", view});
    event.accept("B2", new Object[] {"P3", "2026-03-20T10:00:00", view});
    event.accept("B3", new Object[] {"P1", "2026-03-20T10:00:00", view});
    event.accept("B3", new Object[] {"P1", "2026-03-30T10:00:00", view});
    event.accept("B4", new Object[] {"P1", "2026-03-15T10:00:00", view});
    event.accept("B5", new Object[] {"P4", "2026-03-24T12:00:00", WebEvents.ADD_TO_CART});
    event.accept("B6", new Object[] {"P1", "2026-03-24T10:00:00", view});
    event.accept("B7", new Object[] {"P1", "2026-03-24T10:00:00", view});
    event.accept("B8", new Object[] {"P1", "2026-03-25T00:00:00", view});
    event.accept("B9", new Object[] {"P1", "2026-03-25T00:00:01", view});
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "T1", "O1", "B2", "P3", "2026-03-22T10:00:00", 12.0);
    line(tx, "T2", "O2", "B6", "P1", "2026-03-10T10:00:00", 40.0);
    Dataset<Row> catalogue = Fixtures.frame(Products.TABLE.schema())
        .with(Products.PRODUCT_ID, "P1", Products.NAME, "Eco Lamp", Products.CATEGORY, "home", Products.PRICE, 40.0)
        .build(spark);
    Dataset<Row> products = ProductDimension.of(catalogue, tx.build(spark), AS_OF);
    Dataset<Row> history = Fixtures.frame(NextBestActions.TABLE.schema())
        .with(NextBestActions.AS_OF_DATE, Fixtures.date("2026-03-28"), NextBestActions.CUSTOMER_ID, "B7",
            NextBestActions.ACTION, NextBestActions.BROWSE_ABANDON, NextBestActions.STATUS, NextBestActions.STATUS_DELIVER,
            NextBestActions.PRODUCT_ID, "P1")
        .build(spark);

    Map<String, Row> hits = byCustomer(Triggers.browseAbandon(web.build(spark), tx.build(spark), products, history,
        AS_OF, config(Map.of()).browse()));
    assertThat(hits.keySet()).as("B2 bought it after the view, B3 viewed it again this week, B4 more than 14 days "
        + "ago, B7 offered it in the cooldown, B9 one second short of 7 days").containsExactly("B1", "B5", "B6", "B8");
    Row b1 = hits.get("B1");
    assertThat(b1.<String>getAs(Triggers.PRODUCT_ID)).as("3 views beat 1").isEqualTo("P1");
    assertThat(b1.<String>getAs(Triggers.REASON))
        .isEqualTo("Viewed Eco Lamp 3 times in the last 14 days, last 7 days ago, and not bought since");
    assertThat(b1.<Double>getAs(Triggers.VALUE)).as("the product's price").isEqualTo(40.0);
    assertThat(hits.get("B5").<String>getAs(Triggers.PRODUCT_ID)).as("a cart counts as a view").isEqualTo("P4");
    assertThat(hits.get("B6").<String>getAs(Triggers.PRODUCT_ID)).as("bought before the view, not since")
        .isEqualTo("P1");
  }

  @Test
  void serviceRecoveryOnRecentDetractorLowCsatOrALongOpenTicket(SparkSession spark) {
    Fixtures.Builder c = Fixtures.frame(Customer360.TABLE.schema());
    for (String id : List.of("S1", "S2", "S3", "S5")) {
      c.with(Customer360.CUSTOMER_ID, id);
    }
    c.with(Customer360.CUSTOMER_ID, "S4", Customer360.OPEN_TICKETS, 1L, Customer360.OLDEST_OPEN_TICKET_DAYS, 6.5);
    c.with(Customer360.CUSTOMER_ID, "S6", Customer360.OPEN_TICKETS, 1L, Customer360.OLDEST_OPEN_TICKET_DAYS, 2.0);
    Fixtures.Builder s = Fixtures.frame(Surveys.TABLE.schema());
    Object[][] answers = {{"R1", "S1", "nps", 3, "2026-03-25T09:00:00"}, {"R2", "S2", "nps", 3, "2026-02-20T09:00:00"},
        {"R3", "S3", "csat", 2, "2026-03-30T09:00:00"}, {"R4", "S5", "nps", 8, "2026-03-30T09:00:00"},
        {"R5", "S5", "nps", 2, "2026-03-20T09:00:00"}};
    for (Object[] a : answers) {
      s.with(Surveys.RESPONSE_ID, a[0], Surveys.CUSTOMER_ID, a[1], Surveys.SURVEY_TYPE, a[2], Surveys.SCORE, a[3],
          Surveys.RESPONSE_TS, ts((String) a[4]));
    }
    Map<String, Row> hits = byCustomer(Triggers.serviceRecovery(c.build(spark), s.build(spark), scores(spark),
        AS_OF, config(Map.of()).recovery()));
    assertThat(hits.keySet()).as("S2's detractor answer is 39 days old; S5's latest NPS is 8; S6's ticket is 2 days old")
        .containsExactly("S1", "S3", "S4");
    assertThat(hits.get("S1").<String>getAs(Triggers.REASON))
        .isEqualTo("Service recovery: NPS 3 (detractor) on 2026-03-25");
    assertThat(hits.get("S3").<String>getAs(Triggers.REASON)).isEqualTo("Service recovery: CSAT 2 on 2026-03-30");
    assertThat(hits.get("S4").<String>getAs(Triggers.REASON)).isEqualTo("Service recovery: a ticket open for 6 days");
  }

  @Test
  void vipOnAFirstPremiumPurchaseOrATopDecileClv(SparkSession spark) {
    Fixtures.Builder catalogue = Fixtures.frame(Products.TABLE.schema());
    Object[][] items = {{"P10", "Pro Camera", 500.0}, {"P11", "Cable", 50.0}, {"P12", "Charger", 60.0}};
    for (Object[] p : items) {
      catalogue.with(Products.PRODUCT_ID, p[0], Products.NAME, p[1], Products.CATEGORY, "electronics",
          Products.PRICE, p[2]);
    }
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "T1", "O1", "V1", "P11", "2026-01-10T10:00:00", 50.0);
    line(tx, "T2", "O2", "V1", "P10", "2026-03-29T10:00:00", 500.0);   // first premium, 3 days ago
    line(tx, "T3", "O3", "V2", "P10", "2026-03-01T10:00:00", 500.0);   // first premium a month ago
    line(tx, "T4", "O4", "V2", "P10", "2026-03-30T10:00:00", 500.0);   // ... so this one is not the first
    Dataset<Row> transactions = tx.build(spark);
    Fixtures.Builder c = Fixtures.frame(Customer360.TABLE.schema());
    for (String id : List.of("V1", "V2", "V3", "V4")) {
      c.with(Customer360.CUSTOMER_ID, id);
    }
    Object[][] clv = new Object[21][];
    for (int i = 0; i < 19; i++) {
      clv[i] = new Object[] {"F" + i, 0.5, (double) (i + 1), null};
    }
    clv[19] = new Object[] {"V3", 0.9, 1000.0, null};
    clv[20] = new Object[] {"V4", 0.9, 2.0, null};
    Map<String, Row> hits = byCustomer(Triggers.vip(c.build(spark), transactions,
        ProductDimension.of(catalogue.build(spark), transactions, AS_OF), scores(spark, clv), AS_OF,
        config(Map.of()).vip()));
    assertThat(hits.keySet()).as("V2's first premium purchase is old; V4's CLV is low").containsExactly("V1", "V3");
    assertThat(hits.get("V1").<String>getAs(Triggers.REASON))
        .isEqualTo("First premium purchase: Pro Camera at 500.00 (top 10% of electronics prices) on 2026-03-29");
    assertThat(hits.get("V1").<String>getAs(Triggers.PRODUCT_ID)).isEqualTo("P10");
    assertThat(hits.get("V3").<String>getAs(Triggers.REASON)).isEqualTo("CLV 1000 in the top 10% of customers");
  }

  @Test
  void onboardingAboutAWeekAfterTheFirstPurchaseAboutItsMainProduct(SparkSession spark) {
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "T1", "O1", "N1", "P20", "2026-03-24T10:00:00", 10.0);   // 7 days before the as-of day
    line(tx, "T2", "O1", "N1", "P21", "2026-03-24T10:00:00", 30.0);
    line(tx, "T3", "O2", "N1", "P22", "2026-03-30T10:00:00", 99.0);   // a later order does not matter
    line(tx, "T4", "O3", "N2", "P20", "2026-03-28T10:00:00", 10.0);   // 3 days: too early
    line(tx, "T5", "O4", "N3", "P20", "2026-03-22T10:00:00", 10.0);   // 9 days: within the 2 grace days
    line(tx, "T6", "O5", "N4", "P20", "2026-03-21T10:00:00", 10.0);   // 10 days: too late
    Dataset<Row> transactions = tx.build(spark);
    Map<String, Row> hits = byCustomer(Triggers.onboarding(transactions,
        ProductDimension.of(spark.createDataFrame(List.of(), Products.TABLE.schema()), transactions, AS_OF),
        scores(spark), AS_OF, config(Map.of()).onboarding()));
    assertThat(hits.keySet()).containsExactly("N1", "N3");
    assertThat(hits.get("N1").<String>getAs(Triggers.PRODUCT_ID)).as("the first order's largest line").isEqualTo("P21");
    assertThat(hits.get("N1").<String>getAs(Triggers.REASON))
        .isEqualTo("First purchase 7 days ago (P21): ask how it is working");
  }
}
