package io.cxlake.jobs.cohorts;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import java.sql.Date;
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
 * Hand-computed cohorts on a dozen order lines. As of 2026-04-10 (April is partial):
 * A (referral, DE) buys Jan 5 twice (40 + 5; first order's largest line is home), Mar 2 (20) and
 * Apr 11 (after the cut-off); B (social, FR) Jan 20 (50), Feb 10 (25, plus a returned line),
 * Mar 20 (60); C (referral, no country) Feb 3 (100, toys), Feb 20 (10), a cancelled order in March;
 * D (no customers row, no category) Mar 10 (7).
 */
@ExtendWith(SparkExtension.class)
class CohortMetricsTest {
  private static final AsOf AS_OF = AsOf.parse("2026-04-10");
  private static Dataset<Row> transactions;
  private static Dataset<Row> customers;

  @BeforeAll
  static void fixtures() {
    SparkSession spark = SparkExtension.session();
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "L1", "O1", "A", "2026-01-05T10:00:00", "books", 10.0, "completed");
    line(tx, "L2", "O1", "A", "2026-01-05T10:00:00", "home", 30.0, null);
    line(tx, "L3", "O2", "A", "2026-01-05T15:00:00", "books", 5.0, "completed");
    line(tx, "L4", "O3", "A", "2026-03-02T09:00:00", "books", 20.0, "completed");
    line(tx, "L5", "O10", "A", "2026-04-11T09:00:00", "books", 999.0, "completed");
    line(tx, "L6", "O4", "B", "2026-01-20T12:00:00", "books", 50.0, "completed");
    line(tx, "L7", "O5", "B", "2026-02-10T12:00:00", "books", 25.0, "completed");
    line(tx, "L8", "O5", "B", "2026-02-10T12:00:00", "books", 15.0, "returned");
    line(tx, "L9", "O11", "B", "2026-03-20T12:00:00", "home", 60.0, "completed");
    line(tx, "L10", "O6", "C", "2026-02-03T08:00:00", "toys", 100.0, "completed");
    line(tx, "L11", "O7", "C", "2026-02-20T08:00:00", "toys", 10.0, "completed");
    line(tx, "L12", "O8", "C", "2026-03-01T08:00:00", "toys", 70.0, "cancelled");
    line(tx, "L13", "O9", "D", "2026-03-10T08:00:00", null, 7.0, "completed");
    transactions = tx.build(spark);
    customers = Fixtures.frame(Customers.TABLE.schema())
        .with(Customers.CUSTOMER_ID, "A", Customers.ACQUISITION_CHANNEL, "referral", Customers.COUNTRY, "DE")
        .with(Customers.CUSTOMER_ID, "B", Customers.ACQUISITION_CHANNEL, "social", Customers.COUNTRY, "FR")
        .with(Customers.CUSTOMER_ID, "C", Customers.ACQUISITION_CHANNEL, "referral")
        .build(spark);
  }

  private static void line(Fixtures.Builder tx, String id, String order, String customer, String ts, String category,
      double net, String status) {
    tx.with(Transactions.TRANSACTION_ID, id, Transactions.ORDER_ID, order, Transactions.CUSTOMER_ID, customer,
        Transactions.ORDER_TS, ts(ts), Transactions.CATEGORY, category, Transactions.QUANTITY, 1,
        Transactions.UNIT_PRICE, net, Transactions.NET_AMOUNT, net, Transactions.STATUS, status);
  }

  static CohortsConfig config(Map<String, String> overrides) {
    return CohortsConfig.from(CxConfig.load(Optional.empty(), overrides), new TableCatalog("/tmp/unused"), AS_OF);
  }

  private static Dataset<Row> activity(CohortsConfig config) {
    return CohortMetrics.cohortActivity(CohortMetrics.customerOrders(transactions, customers, config), config);
  }

  private static List<Row> matrix(CohortsConfig config, String dimension, String value) {
    return CohortMetrics.retentionMatrix(activity(config), config)
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo(dimension)
            .and(col(RetentionCohorts.COHORT_VALUE).equalTo(value)))
        .orderBy(RetentionCohorts.COHORT_START, RetentionCohorts.PERIOD).collectAsList();
  }

  @Test
  void retentionMatrixOfTheWholeBaseHasEveryPeriodAndFlagsThePartialOne() {
    List<Row> rows = matrix(config(Map.of()), RetentionCohorts.ALL, RetentionCohorts.ALL);
    assertThat(rows).extracting(r -> r.<Date>getAs(RetentionCohorts.COHORT_START).toString() + "/"
            + r.<Integer>getAs(RetentionCohorts.PERIOD))
        .as("cohort/period: every period up to April, zero-activity ones included")
        .containsExactly("2026-01-01/0", "2026-01-01/1", "2026-01-01/2", "2026-01-01/3",
            "2026-02-01/0", "2026-02-01/1", "2026-02-01/2", "2026-03-01/0", "2026-03-01/1");
    assertThat(rows).extracting(r -> r.<Long>getAs(RetentionCohorts.COHORT_SIZE)).as("cohort sizes")
        .containsExactly(2L, 2L, 2L, 2L, 1L, 1L, 1L, 1L, 1L);
    assertThat(rows).extracting(r -> r.<Long>getAs(RetentionCohorts.ACTIVE_CUSTOMERS)).as("active")
        .containsExactly(2L, 1L, 2L, 0L, 1L, 0L, 0L, 1L, 0L);
    assertThat(rows).extracting(r -> r.<Double>getAs(RetentionCohorts.RETENTION_RATE)).as("retention")
        .containsExactly(1.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0);
    assertThat(rows).extracting(r -> r.<Long>getAs(RetentionCohorts.ORDERS))
        .as("orders: A's two January orders count twice, cancelled and later orders never")
        .containsExactly(3L, 1L, 2L, 0L, 2L, 0L, 0L, 1L, 0L);
    assertThat(rows).extracting(r -> r.<Double>getAs(RetentionCohorts.REVENUE)).as("revenue of completed lines")
        .containsExactly(95.0, 25.0, 80.0, 0.0, 110.0, 0.0, 0.0, 7.0, 0.0);
    assertThat(rows).extracting(r -> r.<Boolean>getAs(RetentionCohorts.PERIOD_COMPLETE)).as("April is partial")
        .containsExactly(true, true, true, false, true, true, false, true, false);
    Row jan = rows.get(2);
    assertThat(jan.<Date>getAs(RetentionCohorts.PERIOD_START)).as("period start").isEqualTo(Date.valueOf("2026-03-01"));
    assertThat(jan.<Double>getAs(RetentionCohorts.REVENUE_PER_CUSTOMER)).as("80 / 2").isEqualTo(40.0);
    assertThat(jan.<Double>getAs(RetentionCohorts.CUMULATIVE_REVENUE_PER_CUSTOMER)).as("(95 + 25 + 80) / 2")
        .isEqualTo(100.0);
    assertThat(jan.<Double>getAs(RetentionCohorts.REVENUE_RETENTION)).as("80 / 95").isCloseTo(80 / 95.0, within(1e-12));
    assertThat(rows.get(3).<Double>getAs(RetentionCohorts.CUMULATIVE_REVENUE_PER_CUSTOMER)).as("flat after zero")
        .isEqualTo(100.0);
    assertThat(rows.get(0).<String>getAs(RetentionCohorts.GRAIN)).as("grain").isEqualTo("month");
  }

  @Test
  void cohortsAreSplitByChannelCountryAndFirstCategory() {
    CohortsConfig config = config(Map.of());
    Dataset<Row> periodZero = CohortMetrics.retentionMatrix(activity(config), config)
        .filter(col(RetentionCohorts.PERIOD).equalTo(0));
    List<String> sizes = periodZero.selectExpr("concat_ws('/', cohort_dimension, cohort_value, "
            + "cast(cohort_start AS string), cast(cohort_size AS string))")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(sizes).as("dimension/value/cohort/size").containsExactlyInAnyOrder(
        "all/all/2026-01-01/2", "all/all/2026-02-01/1", "all/all/2026-03-01/1",
        "acquisition_channel/referral/2026-01-01/1", "acquisition_channel/social/2026-01-01/1",
        "acquisition_channel/referral/2026-02-01/1", "acquisition_channel/unknown/2026-03-01/1",
        "country/DE/2026-01-01/1", "country/FR/2026-01-01/1", "country/unknown/2026-02-01/1",
        "country/unknown/2026-03-01/1",
        "first_category/home/2026-01-01/1", "first_category/books/2026-01-01/1",
        "first_category/toys/2026-02-01/1", "first_category/unknown/2026-03-01/1");

    List<Row> referral = matrix(config, RetentionCohorts.DIM_ACQUISITION_CHANNEL, "referral");
    assertThat(referral).extracting(r -> r.<Long>getAs(RetentionCohorts.ACTIVE_CUSTOMERS))
        .as("referral: A in Jan (then Mar), C in Feb").containsExactly(1L, 0L, 1L, 0L, 1L, 0L, 0L);

    CohortsConfig wholeBase = config(Map.of("cohorts.dimensions", "[]"));
    assertThat(CohortMetrics.retentionMatrix(activity(wholeBase), wholeBase)
        .select(RetentionCohorts.COHORT_DIMENSION).distinct().collectAsList())
        .as("no dimensions: the whole base only").extracting(r -> r.getString(0)).containsExactly("all");
  }

  @Test
  void weekGrainStartsOnMonday() {
    CohortsConfig config = config(Map.of("cohorts.grain", "week"));
    List<Row> rows = matrix(config, RetentionCohorts.ALL, RetentionCohorts.ALL);
    assertThat(rows.stream().map(r -> r.<Date>getAs(RetentionCohorts.COHORT_START).toString()).distinct().toList())
        .as("weeks of Jan 5 (a Monday), Jan 20, Feb 3, Mar 10")
        .containsExactly("2026-01-05", "2026-01-19", "2026-02-02", "2026-03-09");
    List<Row> b = rows.stream().filter(r -> r.<Date>getAs(RetentionCohorts.COHORT_START).toString().equals("2026-01-19"))
        .toList();
    assertThat(b).as("B's cohort: weeks 0-11 up to the week of Apr 6").hasSize(12);
    assertThat(b.get(3).<Long>getAs(RetentionCohorts.ACTIVE_CUSTOMERS)).as("Feb 10 is week 3").isEqualTo(1L);
    assertThat(b.get(11).<Boolean>getAs(RetentionCohorts.PERIOD_COMPLETE)).as("week of the as-of Friday").isFalse();
    assertThat(b.get(10).<Boolean>getAs(RetentionCohorts.PERIOD_COMPLETE)).as("the week before").isTrue();
  }

  @Test
  void repeatPurchasesWithinWindowsMergingSameDayOrders() {
    CohortsConfig config = config(Map.of());
    List<Row> jan = CohortMetrics.repeatPurchases(activity(config), config)
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo("all")
            .and(col(RetentionCohorts.COHORT_START).equalTo(Date.valueOf("2026-01-01"))))
        .orderBy(CohortRepeatPurchases.PURCHASE_NUMBER, CohortRepeatPurchases.WITHIN_DAYS).collectAsList();
    // A: 2nd purchase Mar 2 (56 days; the same-day order is merged); B: 2nd Feb 10 (21 days), 3rd Mar 20 (59 days).
    assertThat(jan).extracting(r -> r.<Integer>getAs(CohortRepeatPurchases.PURCHASE_NUMBER) + "/"
            + r.<Integer>getAs(CohortRepeatPurchases.WITHIN_DAYS) + ":" + r.<Long>getAs(CohortRepeatPurchases.CUSTOMERS))
        .as("purchase/days:customers").containsExactly("2/30:1", "2/60:2", "2/90:2", "3/30:0", "3/60:1", "3/90:1");
    assertThat(jan.get(0).<Double>getAs(CohortRepeatPurchases.SHARE)).as("1 of 2").isEqualTo(0.5);
    assertThat(jan).extracting(r -> r.<Boolean>getAs(CohortRepeatPurchases.WINDOW_COMPLETE))
        .as("Feb 1 + 30 / 60 days are before Apr 11, + 90 is not").containsExactly(true, true, false, true, true, false);

    CohortsConfig everyOrder = config(Map.of("cohorts.merge-same-day-orders", "false"));
    Row second30 = CohortMetrics.repeatPurchases(activity(everyOrder), everyOrder)
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo("all")
            .and(col(RetentionCohorts.COHORT_START).equalTo(Date.valueOf("2026-01-01")))
            .and(col(CohortRepeatPurchases.PURCHASE_NUMBER).equalTo(2))
            .and(col(CohortRepeatPurchases.WITHIN_DAYS).equalTo(30))).first();
    assertThat(second30.<Long>getAs(CohortRepeatPurchases.CUSTOMERS)).as("A's second order 5 hours later counts")
        .isEqualTo(2L);
  }

  @Test
  void netAndGrossRevenueRetention() {
    CohortsConfig config = config(Map.of());
    List<Row> rows = CohortMetrics.revenueRetention(CohortMetrics.customerOrders(transactions, customers, config), config)
        .orderBy(RevenueRetention.LOOKBACK_PERIODS, RevenueRetention.PERIOD_START).collectAsList();
    assertThat(rows).extracting(r -> r.<Date>getAs(RevenueRetention.PERIOD_START).toString())
        .as("measured months with a base; 12-month lookback has none yet")
        .containsExactly("2026-02-01", "2026-03-01", "2026-04-01");
    Row feb = rows.get(0);
    // Base January: A 45, B 50. February: A 0 (churned), B 25 (contraction 25).
    assertThat(feb.<Long>getAs(RevenueRetention.BASE_CUSTOMERS)).as("base customers").isEqualTo(2L);
    assertThat(feb.<Long>getAs(RevenueRetention.RETAINED_CUSTOMERS)).as("retained").isEqualTo(1L);
    assertThat(feb.<Double>getAs(RevenueRetention.BASE_REVENUE)).as("base revenue").isEqualTo(95.0);
    assertThat(feb.<Double>getAs(RevenueRetention.CURRENT_REVENUE)).as("current revenue").isEqualTo(25.0);
    assertThat(feb.<Double>getAs(RevenueRetention.CONTRACTION_REVENUE)).as("contraction").isEqualTo(25.0);
    assertThat(feb.<Double>getAs(RevenueRetention.CHURNED_REVENUE)).as("churned").isEqualTo(45.0);
    assertThat(feb.<Double>getAs(RevenueRetention.NRR)).as("NRR").isCloseTo(25 / 95.0, within(1e-12));
    assertThat(feb.<Double>getAs(RevenueRetention.GRR)).as("GRR").isCloseTo(25 / 95.0, within(1e-12));
    Row mar = rows.get(1);
    // Base February: B 25, C 110. March: B 60 (expansion 35), C 0 (churned 110).
    assertThat(mar.<Double>getAs(RevenueRetention.EXPANSION_REVENUE)).as("expansion").isEqualTo(35.0);
    assertThat(mar.<Double>getAs(RevenueRetention.CHURNED_REVENUE)).as("churned").isEqualTo(110.0);
    assertThat(mar.<Double>getAs(RevenueRetention.NRR)).as("NRR counts expansion").isCloseTo(60 / 135.0, within(1e-12));
    assertThat(mar.<Double>getAs(RevenueRetention.GRR)).as("GRR caps B at 25").isCloseTo(25 / 135.0, within(1e-12));
    assertThat(mar.<Boolean>getAs(RevenueRetention.PERIOD_COMPLETE)).as("March complete").isTrue();
    Row apr = rows.get(2);
    assertThat(apr.<Double>getAs(RevenueRetention.BASE_REVENUE)).as("A 20 + B 60 + D 7").isEqualTo(87.0);
    assertThat(apr.<Double>getAs(RevenueRetention.CURRENT_REVENUE)).as("A's April order is after the cut-off")
        .isEqualTo(0.0);
    assertThat(apr.<Boolean>getAs(RevenueRetention.PERIOD_COMPLETE)).as("April partial").isFalse();
  }

  @Test
  void invalidSettingsAreRejectedWithTheKey() {
    assertThatThrownBy(() -> config(Map.of("cohorts.grain", "day")))
        .hasMessage("Cannot configure cohorts.grain: expected month or week (day)");
    assertThatThrownBy(() -> config(Map.of("cohorts.grain", "quarter")))
        .hasMessage("Cannot configure cohorts.grain: expected day, week or month (quarter)");
    assertThatThrownBy(() -> config(Map.of("cohorts.dimensions", "[city]")))
        .hasMessage("Cannot configure cohorts.dimensions: expected any of [acquisition_channel, country, "
            + "first_category] (city)");
    assertThatThrownBy(() -> config(Map.of("cohorts.repeat-purchase-numbers", "[1]")))
        .hasMessage("Cannot configure cohorts.repeat-purchase-numbers: each value must be 2-20 (1)");
    assertThatThrownBy(() -> config(Map.of("cohorts.repeat-windows-days", "[30, 30]")))
        .hasMessage("Cannot configure cohorts.repeat-windows-days: a value is listed twice ([30, 30])");
  }

  @Test
  void grainBoundariesAgreeBetweenJavaAndSpark() {
    assertThat(Grain.WEEK.start(java.time.LocalDate.parse("2026-04-12"))).as("Sunday belongs to Monday's week")
        .isEqualTo(java.time.LocalDate.parse("2026-04-06"));
    Row r = SparkExtension.session().range(1).select(
        Grain.WEEK.start(org.apache.spark.sql.functions.lit(ts("2026-04-12T23:59:59"))),
        Grain.MONTH.periodsBetween(org.apache.spark.sql.functions.lit(Date.valueOf("2025-11-01")),
            org.apache.spark.sql.functions.lit(Date.valueOf("2026-02-01")))).first();
    assertThat(r.getDate(0)).as("Spark week start").isEqualTo(Date.valueOf("2026-04-06"));
    assertThat(r.getInt(1)).as("Nov to Feb").isEqualTo(3);
  }
}
