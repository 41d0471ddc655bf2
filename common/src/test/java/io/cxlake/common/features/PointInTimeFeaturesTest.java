package io.cxlake.common.features;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.PointInTime;
import io.cxlake.common.testing.SparkExtension;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rows that change after a cut-off, read through their silver versions: an order returned on
 * 2026-07-05, an opt-out on 2026-07-10 and a ticket reopened on 2026-07-08. The snapshot of
 * 2026-06-30 shows the values as they were; the one of 2026-07-31 the new ones.
 */
@ExtendWith(SparkExtension.class)
class PointInTimeFeaturesTest {
  private static final AsOf BEFORE = new AsOf(LocalDate.parse("2026-06-30"));
  private static final AsOf AFTER = new AsOf(LocalDate.parse("2026-07-31"));
  private static final FeatureSettings SETTINGS = new FeatureSettings(true, 7, 2, "salt");

  private static FeatureInputs history(SparkSession spark) {
    Dataset<Row> customers = frame(Customers.TABLE.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.SIGNUP_TS, ts("2026-01-01T00:00:00"),
            Customers.MARKETING_OPT_IN, true, SilverHistory.VALID_TO, ts("2026-07-10T09:00:00"))
        .with(Customers.CUSTOMER_ID, "C1", Customers.SIGNUP_TS, ts("2026-01-01T00:00:00"),
            Customers.MARKETING_OPT_IN, false, SilverHistory.UPDATED_TS, ts("2026-07-10T09:00:00"),
            SilverHistory.VALID_FROM, ts("2026-07-10T09:00:00"))
        .build(spark);
    Dataset<Row> tx = frame(Transactions.TABLE.schema())
        .with(line("completed", SilverHistory.VALID_TO, ts("2026-07-05T00:00:00")))
        .with(line("returned", SilverHistory.VALID_FROM, ts("2026-07-05T00:00:00")))
        .build(spark);
    Dataset<Row> tickets = frame(SupportTickets.TABLE.schema())
        .with(ticket(false, 1, SilverHistory.VALID_TO, ts("2026-07-08T00:00:00")))
        .with(ticket(true, 2, SilverHistory.VALID_FROM, ts("2026-07-08T00:00:00")))
        .build(spark);
    return new FeatureInputs(customers, tx, tickets, frame(WebEvents.TABLE.schema()).build(spark),
        frame(Surveys.TABLE.schema()).build(spark));
  }

  private static Object[] line(String status, Object... version) {
    return with(version, Transactions.TRANSACTION_ID, "L1", Transactions.ORDER_ID, "O1", Transactions.CUSTOMER_ID, "C1",
        Transactions.ORDER_TS, ts("2026-06-01T10:00:00"), Transactions.PRODUCT_ID, "P1", Transactions.QUANTITY, 1,
        Transactions.UNIT_PRICE, 100.0, Transactions.DISCOUNT, 0.0, Transactions.NET_AMOUNT, 100.0,
        Transactions.STATUS, status);
  }

  private static Object[] ticket(boolean reopened, int contacts, Object... version) {
    return with(version, SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "C1",
        SupportTickets.OPENED_TS, ts("2026-06-10T00:00:00"), SupportTickets.RESOLVED_TS, ts("2026-06-11T00:00:00"),
        SupportTickets.CONTACTS, contacts, SupportTickets.REOPENED, reopened, SupportTickets.TOPIC, "delivery");
  }

  private static Object[] with(Object[] version, Object... values) {
    Object[] all = java.util.Arrays.copyOf(values, values.length + version.length);
    System.arraycopy(version, 0, all, values.length, version.length);
    return all;
  }

  private static Row featuresAt(SparkSession spark, AsOf asOf) {
    return CustomerFeatures.compute(history(spark), asOf, SETTINGS).collectAsList().stream()
        .filter(r -> "C1".equals(r.getAs(Customer360.CUSTOMER_ID))).findFirst().orElseThrow();
  }

  @Test
  void severalCutoffsInOnePlanReadTheVersionInEffectAtEach(SparkSession spark) {
    CustomerFeaturesTest.assertOnePlanEqualsEachCutoff(history(spark), SETTINGS,
        List.of(BEFORE.date(), LocalDate.parse("2026-07-06"), LocalDate.parse("2026-07-09"), AFTER.date()));
  }

  @Test
  void aPastSnapshotShowsTheValuesAsTheyWereAndTodaysTheNewOnes(SparkSession spark) {
    Row past = featuresAt(spark, BEFORE);
    assertThat((Boolean) past.getAs(Customer360.MARKETING_OPT_IN)).as("opted in before the opt-out").isTrue();
    assertThat((Long) past.getAs(Customer360.ORDERS)).as("the order was completed then").isEqualTo(1L);
    assertThat((Double) past.getAs(Customer360.RETURN_RATE)).as("and not yet returned").isEqualTo(0.0);
    assertThat((Double) past.getAs(Customer360.REOPEN_RATE)).as("the ticket was not reopened then").isEqualTo(0.0);

    Row now = featuresAt(spark, AFTER);
    assertThat((Boolean) now.getAs(Customer360.MARKETING_OPT_IN)).as("opted out since").isFalse();
    assertThat((Double) now.getAs(Customer360.RETURN_RATE)).as("the order is returned now").isEqualTo(1.0);
    assertThat((Double) now.getAs(Customer360.REOPEN_RATE)).as("the ticket is reopened now").isEqualTo(1.0);
  }

  @Test
  void exactlyOneVersionIsVisibleAtEveryCutoffAndTheChangeDayBelongsToTheNewOne(SparkSession spark) {
    Dataset<Row> customers = history(spark).customers();
    // The opt-out took effect at 09:00 on 2026-07-10: the day before sees the old value, that day the new one.
    for (String day : new String[] {"2026-06-30", "2026-07-09", "2026-07-10", "2026-07-31"}) {
      assertThat(PointInTime.at(customers, new AsOf(LocalDate.parse(day))).count()).as(day).isEqualTo(1);
    }
    assertThat(PointInTime.at(customers, new AsOf(LocalDate.parse("2026-07-09"))).first()
        .<Boolean>getAs(Customers.MARKETING_OPT_IN)).isTrue();
    assertThat(PointInTime.at(customers, new AsOf(LocalDate.parse("2026-07-10"))).first()
        .<Boolean>getAs(Customers.MARKETING_OPT_IN)).isFalse();
    assertThat(PointInTime.current(customers).first().<Boolean>getAs(Customers.MARKETING_OPT_IN)).isFalse();
  }
}
