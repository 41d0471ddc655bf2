package io.cxlake.jobs.campaigns;

import static io.cxlake.common.testing.Fixtures.date;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.schema.CampaignResults;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Campaign results on a hand-built fixture (as-of 2026-03-31, 30 response days): a win-back with a
 * planted effect (30 of 100 delivered convert against 10 of 100 held out), a VIP campaign without
 * one (4 of 40 in both groups) and an onboarding campaign whose control group is too small. The
 * expected intervals are computed here with plain arithmetic from Newcombe's closed forms and the
 * per-customer outcomes (two-pass variances), independently of the job's column expressions and
 * one-pass sums; tolerance 1e-9, rounding only.
 */
@ExtendWith(SparkExtension.class)
class CampaignResultsJobTest {
  static final AsOf AS_OF = AsOf.parse("2026-03-31");
  static final String CLOSED = "2026-02-20";
  static final double Z = 1.959963984540054;
  static Map<String, Row> rows;

  @BeforeAll
  static void evaluate(SparkSession spark) {
    Fixtures.Builder actions = Fixtures.frame(NextBestActions.TABLE.schema());
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    Fixtures.Builder rfm = Fixtures.frame(new StructType().add(Segments.CUSTOMER_ID, DataTypes.StringType)
        .add(Segments.AS_OF_DATE, DataTypes.DateType).add(Segments.RFM_SEGMENT, DataTypes.StringType));
    for (int i = 0; i < 100; i++) {
      action(actions, CLOSED, "d" + i, "win_back", NextBestActions.STATUS_DELIVER);
      action(actions, CLOSED, "c" + i, "win_back", NextBestActions.STATUS_CONTROL);
      if (i < 50) {
        rfm.row("d" + i, date(CLOSED), Segments.CHAMPIONS);
      }
    }
    for (int i = 0; i < 29; i++) {
      purchase(tx, "d" + i, "2026-03-01T10:00:00", 50, "completed");
    }
    purchase(tx, "d0", "2026-03-02T10:00:00", 50, "completed");
    // The last second of the window counts; the action day itself, the first second after the
    // window and a cancelled order do not.
    purchase(tx, "d29", "2026-03-22T23:59:59", 50, "completed");
    purchase(tx, "d30", "2026-02-20T12:00:00", 50, "completed");
    purchase(tx, "d31", "2026-03-23T00:00:00", 50, "completed");
    purchase(tx, "d32", "2026-03-01T10:00:00", 50, "cancelled");
    for (int i = 0; i < 10; i++) {
      purchase(tx, "c" + i, "2026-03-05T10:00:00", 50, "completed");
    }
    // A day whose window is still open (2026-03-10 + 30 days > as-of): not evaluated yet.
    action(actions, "2026-03-10", "d0", "win_back", NextBestActions.STATUS_DELIVER);
    action(actions, "2026-03-10", "c0", "win_back", NextBestActions.STATUS_CONTROL);
    for (int i = 0; i < 40; i++) {
      action(actions, CLOSED, "vd" + i, "vip", NextBestActions.STATUS_DELIVER);
      action(actions, CLOSED, "vc" + i, "vip", NextBestActions.STATUS_CONTROL);
      if (i < 4) {
        purchase(tx, "vd" + i, "2026-03-01T10:00:00", 80, "completed");
        purchase(tx, "vc" + i, "2026-03-01T10:00:00", 80, "completed");
      }
    }
    for (int i = 0; i < 5; i++) {
      action(actions, CLOSED, "od" + i, "onboarding", NextBestActions.STATUS_DELIVER);
      purchase(tx, "od" + i, "2026-03-01T10:00:00", 20, "completed");
    }
    action(actions, CLOSED, "oc0", "onboarding", NextBestActions.STATUS_CONTROL);
    action(actions, CLOSED, "s0", "win_back", NextBestActions.STATUS_SUPPRESSED);
    purchase(tx, "s0", "2026-03-01T10:00:00", 50, "completed");

    CampaignResultsConfig config = new CampaignResultsConfig(new TableCatalog("/tmp/unused"), AS_OF, 30, 30);
    rows = new TreeMap<>();
    CampaignResultsJob.results(actions.build(spark), tx.build(spark), rfm.build(spark), config).collectAsList()
        .forEach(r -> rows.put(r.getAs(CampaignResults.CAMPAIGN) + "/" + r.getAs(CampaignResults.ACTION_DATE) + "/"
            + r.getAs(CampaignResults.SEGMENT_TYPE) + "/" + r.getAs(CampaignResults.SEGMENT), r));
  }

  static void action(Fixtures.Builder b, String day, String customer, String campaign, String status) {
    b.with(NextBestActions.AS_OF_DATE, date(day), NextBestActions.CUSTOMER_ID, customer,
        NextBestActions.ACTION, campaign, NextBestActions.CAMPAIGN, campaign, NextBestActions.STATUS, status);
  }

  static void purchase(Fixtures.Builder b, String customer, String when, double net, String status) {
    b.with(Transactions.TRANSACTION_ID, customer + when, Transactions.ORDER_ID, customer + when,
        Transactions.CUSTOMER_ID, customer, Transactions.PRODUCT_ID, "p", Transactions.ORDER_TS, ts(when),
        Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, net, Transactions.NET_AMOUNT, net,
        Transactions.STATUS, status);
  }

  /** Revenue per customer of a group: {@code spenders} amounts, the rest zeros. */
  static List<Double> outcomes(int customers, double... spenders) {
    List<Double> out = new ArrayList<>(Collections.nCopies(customers - spenders.length, 0.0));
    for (double s : spenders) {
      out.add(s);
    }
    return out;
  }

  static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).sum() / xs.size();
  }

  static double variance(List<Double> xs) {
    double m = mean(xs);
    return xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.size() - 1);
  }

  /** Wilson's score interval, in the closed form of Newcombe (1998), equation 3. */
  static double[] wilson(int converters, int n) {
    double p = (double) converters / n;
    double z2 = Z * Z;
    double root = Z * Math.sqrt(z2 + 4 * n * p * (1 - p));
    return new double[] {(2 * n * p + z2 - root) / (2 * (n + z2)), (2 * n * p + z2 + root) / (2 * (n + z2))};
  }

  /** Newcombe's hybrid score interval of p1 - p2 (his method 10). */
  static double[] newcombe(int x1, int n1, int x2, int n2) {
    double p1 = (double) x1 / n1;
    double p2 = (double) x2 / n2;
    double[] w1 = wilson(x1, n1);
    double[] w2 = wilson(x2, n2);
    double d = p1 - p2;
    return new double[] {d - Math.sqrt(Math.pow(p1 - w1[0], 2) + Math.pow(w2[1] - p2, 2)),
        d + Math.sqrt(Math.pow(w1[1] - p1, 2) + Math.pow(p2 - w2[0], 2))};
  }

  static double d(Row r, String column) {
    return r.<Double>getAs(column);
  }

  @Test
  void onlyClosedWindowsAndDeliveredOrControlCustomersAreEvaluated() {
    assertThat(rows.keySet()).containsExactly(
        "onboarding/2026-02-20/all/all", "onboarding/2026-02-20/rfm/unknown",
        "vip/2026-02-20/all/all", "vip/2026-02-20/rfm/unknown",
        "win_back/2026-02-20/all/all", "win_back/2026-02-20/rfm/" + Segments.CHAMPIONS, "win_back/2026-02-20/rfm/unknown");
  }

  @Test
  void aPlantedEffectIsMeasuredWithItsIntervals() {
    Row r = rows.get("win_back/2026-02-20/all/all");
    assertThat(r.<Long>getAs(CampaignResults.DELIVERED_CUSTOMERS)).isEqualTo(100);
    assertThat(r.<Long>getAs(CampaignResults.CONTROL_CUSTOMERS)).isEqualTo(100);
    assertThat(r.<Long>getAs(CampaignResults.DELIVERED_CONVERTERS)).as("d0 twice counts once; d30-d32 not at all")
        .isEqualTo(30);
    assertThat(r.<Long>getAs(CampaignResults.CONTROL_CONVERTERS)).isEqualTo(10);
    double[] ci = newcombe(30, 100, 10, 100);
    assertThat(d(r, CampaignResults.UPLIFT)).isCloseTo(0.2, within(1e-9));
    assertThat(d(r, CampaignResults.UPLIFT_CI_LOW)).isCloseTo(ci[0], within(1e-9));
    assertThat(d(r, CampaignResults.UPLIFT_CI_HIGH)).isCloseTo(ci[1], within(1e-9));
    assertThat(d(r, CampaignResults.RELATIVE_UPLIFT)).isCloseTo(2.0, within(1e-9));

    double[] deliveredSpend = new double[30];
    java.util.Arrays.fill(deliveredSpend, 50.0);
    deliveredSpend[0] = 100.0;
    List<Double> delivered = outcomes(100, deliveredSpend);
    List<Double> control = outcomes(100, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50);
    double revenueUplift = mean(delivered) - mean(control);
    double revenueSe = Math.sqrt(variance(delivered) / 100 + variance(control) / 100);
    assertThat(d(r, CampaignResults.DELIVERED_REVENUE_PER_CUSTOMER)).isCloseTo(15.5, within(1e-9));
    assertThat(d(r, CampaignResults.CONTROL_REVENUE_PER_CUSTOMER)).isCloseTo(5.0, within(1e-9));
    assertThat(d(r, CampaignResults.REVENUE_UPLIFT)).isCloseTo(revenueUplift, within(1e-9));
    assertThat(d(r, CampaignResults.REVENUE_UPLIFT_CI_LOW)).isCloseTo(revenueUplift - Z * revenueSe, within(1e-9));
    assertThat(d(r, CampaignResults.REVENUE_UPLIFT_CI_HIGH)).isCloseTo(revenueUplift + Z * revenueSe, within(1e-9));
    assertThat(d(r, CampaignResults.INCREMENTAL_CONVERSIONS)).isCloseTo(20.0, within(1e-9));
    assertThat(d(r, CampaignResults.INCREMENTAL_REVENUE)).isCloseTo(1050.0, within(1e-9));
    assertThat(r.<Integer>getAs(CampaignResults.RESPONSE_DAYS)).isEqualTo(30);
    assertThat(r.<Boolean>getAs(CampaignResults.CONTROL_TOO_SMALL)).isFalse();
    assertThat(r.<Boolean>getAs(CampaignResults.SIGNIFICANT)).isTrue();
  }

  @Test
  void segmentsSplitTheCampaignAndCountEachCustomerOnce() {
    Row champions = rows.get("win_back/2026-02-20/rfm/" + Segments.CHAMPIONS);
    Row unknown = rows.get("win_back/2026-02-20/rfm/unknown");
    assertThat(champions.<Long>getAs(CampaignResults.DELIVERED_CUSTOMERS)).isEqualTo(50);
    assertThat(champions.<Long>getAs(CampaignResults.CONTROL_CUSTOMERS)).isZero();
    assertThat(champions.<Long>getAs(CampaignResults.DELIVERED_CONVERTERS)).isEqualTo(30);
    assertThat(champions.isNullAt(champions.fieldIndex(CampaignResults.UPLIFT))).as("no control, no uplift").isTrue();
    assertThat(champions.<Boolean>getAs(CampaignResults.SIGNIFICANT)).isFalse();
    assertThat(unknown.<Long>getAs(CampaignResults.DELIVERED_CUSTOMERS)).isEqualTo(50);
    assertThat(unknown.<Long>getAs(CampaignResults.CONTROL_CUSTOMERS)).isEqualTo(100);
  }

  @Test
  void noPlantedEffectIsNotSignificantAndATinyControlGroupIsFlagged() {
    Row vip = rows.get("vip/2026-02-20/all/all");
    assertThat(d(vip, CampaignResults.UPLIFT)).isCloseTo(0.0, within(1e-12));
    assertThat(d(vip, CampaignResults.UPLIFT_CI_LOW)).isNegative();
    assertThat(d(vip, CampaignResults.UPLIFT_CI_HIGH)).isPositive();
    assertThat(vip.<Boolean>getAs(CampaignResults.SIGNIFICANT)).isFalse();
    Row onboarding = rows.get("onboarding/2026-02-20/all/all");
    assertThat(onboarding.<Long>getAs(CampaignResults.CONTROL_CUSTOMERS)).isEqualTo(1);
    double[] ci = newcombe(5, 5, 0, 1);
    assertThat(d(onboarding, CampaignResults.UPLIFT_CI_LOW)).as("wide, not a point").isCloseTo(ci[0], within(1e-9))
        .isLessThan(0.5);
    assertThat(d(onboarding, CampaignResults.UPLIFT_CI_HIGH)).isCloseTo(ci[1], within(1e-9));
    assertThat(onboarding.<Boolean>getAs(CampaignResults.CONTROL_TOO_SMALL)).isTrue();
    assertThat(onboarding.<Boolean>getAs(CampaignResults.SIGNIFICANT)).as("5 of 5 against 0 of 1, but too small")
        .isFalse();
  }

  @Test
  void theConversionIntervalIsNewcombesPublishedOne(SparkSession spark) {
    // Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10: 56/70 - 48/80 is
    // 0.0524 to 0.3339 and 9/10 - 3/10 is 0.1705 to 0.8090 (published to 4 decimals).
    StructType sums = new StructType();
    for (String c : List.of("_nd", "_nc", "_cd", "_cc")) {
      sums = sums.add(c, DataTypes.LongType);
    }
    for (String c : List.of("_rd", "_rc", "_qd", "_qc")) {
      sums = sums.add(c, DataTypes.DoubleType);
    }
    for (String c : List.of(CampaignResults.CAMPAIGN, CampaignResults.ACTION, CampaignResults.SEGMENT_TYPE,
        CampaignResults.SEGMENT)) {
      sums = sums.add(c, DataTypes.StringType);
    }
    sums = sums.add(CampaignResults.ACTION_DATE, DataTypes.DateType);
    List<Row> out = CampaignResultsJob.statistics(Fixtures.frame(sums)
            .row(70L, 80L, 56L, 48L, 0.0, 0.0, 0.0, 0.0, "a", "a", "all", "all", date(CLOSED))
            .row(10L, 10L, 9L, 3L, 0.0, 0.0, 0.0, 0.0, "b", "b", "all", "all", date(CLOSED)).build(spark),
        new CampaignResultsConfig(new TableCatalog("/tmp/unused"), AS_OF, 30, 2))
        .orderBy(CampaignResults.CAMPAIGN).collectAsList();
    assertThat(d(out.get(0), CampaignResults.UPLIFT_CI_LOW)).isCloseTo(0.0524, within(5e-5));
    assertThat(d(out.get(0), CampaignResults.UPLIFT_CI_HIGH)).isCloseTo(0.3339, within(5e-5));
    assertThat(d(out.get(1), CampaignResults.UPLIFT_CI_LOW)).isCloseTo(0.1705, within(5e-5));
    assertThat(d(out.get(1), CampaignResults.UPLIFT_CI_HIGH)).isCloseTo(0.8090, within(5e-5));
  }
}
