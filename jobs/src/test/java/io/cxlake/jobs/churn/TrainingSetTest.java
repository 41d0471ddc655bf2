package io.cxlake.jobs.churn;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.jobs.clv.PurchaseForecast;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Point-in-time training rows at the cut-off 2026-05-31 (features before 2026-06-01T00:00Z, label
 * from the 90 days after): what happens after the cut-off can change the label, never the features.
 */
@ExtendWith(SparkExtension.class)
class TrainingSetTest {
  private static final LocalDate CUTOFF = LocalDate.parse("2026-05-31");
  private static final ChurnConfig CONFIG =
      ChurnConfig.from(CxConfig.defaults(), new TableCatalog("/tmp/unused-warehouse"), new AsOf(CUTOFF.plusDays(90)));

  private static Fixtures.Builder orders() {
    return frame(Transactions.TABLE.schema())
        .with(Transactions.TRANSACTION_ID, "L1", Transactions.ORDER_ID, "O1", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-03-01T10:00:00"), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 30.0,
            Transactions.NET_AMOUNT, 30.0, Transactions.STATUS, "completed")
        .with(Transactions.TRANSACTION_ID, "L2", Transactions.ORDER_ID, "O2", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-05-01T10:00:00"), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 20.0,
            Transactions.NET_AMOUNT, 20.0, Transactions.STATUS, "completed")
        .with(Transactions.TRANSACTION_ID, "L3", Transactions.ORDER_ID, "O3", Transactions.CUSTOMER_ID, "C2",
            Transactions.ORDER_TS, ts("2026-04-01T10:00:00"), Transactions.QUANTITY, 2, Transactions.UNIT_PRICE, 10.0,
            Transactions.NET_AMOUNT, 20.0, Transactions.STATUS, "completed")
        .with(Transactions.TRANSACTION_ID, "L4", Transactions.ORDER_ID, "O4", Transactions.CUSTOMER_ID, "C4",
            Transactions.ORDER_TS, ts("2025-02-01T10:00:00"), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 10.0,
            Transactions.NET_AMOUNT, 10.0, Transactions.STATUS, "completed")
        .with(Transactions.TRANSACTION_ID, "L5", Transactions.ORDER_ID, "O5", Transactions.CUSTOMER_ID, "C5",
            Transactions.ORDER_TS, ts("2026-05-20T10:00:00"), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 10.0,
            Transactions.NET_AMOUNT, 10.0, Transactions.STATUS, "completed");
  }

  private static FeatureInputs inputs(SparkSession spark, Fixtures.Builder tx, Fixtures.Builder tickets,
      Fixtures.Builder webEvents, Fixtures.Builder surveys) {
    Dataset<Row> customers = frame(Customers.TABLE.schema())
        .with(Customers.CUSTOMER_ID, "C1", Customers.SIGNUP_TS, ts("2026-01-01T00:00:00"), Customers.COUNTRY, "DE")
        .with(Customers.CUSTOMER_ID, "C2", Customers.SIGNUP_TS, ts("2026-01-01T00:00:00"), Customers.COUNTRY, "FR")
        .with(Customers.CUSTOMER_ID, "C3", Customers.SIGNUP_TS, ts("2026-02-01T00:00:00"))
        .build(spark);
    return new FeatureInputs(customers, tx.build(spark), tickets.build(spark), webEvents.build(spark),
        surveys.build(spark));
  }

  private static Dataset<Row> snapshot(SparkSession spark, FeatureInputs in) {
    return TrainingSet.snapshot(in, ChurnLabels.closures(in.tickets(), List.of()), CUTOFF, CONFIG);
  }

  private static Map<String, Double> labels(Dataset<Row> rows) {
    return rows.select(ChurnFeatures.CUSTOMER_ID, ChurnFeatures.LABEL).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
  }

  @Test
  void aFutureEventChangesTheLabelButNotTheFeatures(SparkSession spark) {
    FeatureInputs before = inputs(spark, orders(), frame(SupportTickets.TABLE.schema()),
        frame(WebEvents.TABLE.schema()), frame(Surveys.TABLE.schema()));
    Timestamp future = ts("2026-06-15T10:00:00");
    FeatureInputs after = inputs(spark,
        orders()
            .with(Transactions.TRANSACTION_ID, "L9", Transactions.ORDER_ID, "O9", Transactions.CUSTOMER_ID, "C1",
                Transactions.ORDER_TS, future, Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 99.0,
                Transactions.NET_AMOUNT, 99.0, Transactions.STATUS, "completed")
            // C2 buys again only after the 90-day horizon: still churned.
            .with(Transactions.TRANSACTION_ID, "L10", Transactions.ORDER_ID, "O10", Transactions.CUSTOMER_ID, "C2",
                Transactions.ORDER_TS, ts("2026-09-01T10:00:00"), Transactions.QUANTITY, 1,
                Transactions.UNIT_PRICE, 5.0, Transactions.NET_AMOUNT, 5.0, Transactions.STATUS, "completed"),
        frame(SupportTickets.TABLE.schema()).with(SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "C1",
            SupportTickets.OPENED_TS, future, SupportTickets.TOPIC, "delivery"),
        frame(WebEvents.TABLE.schema()).with(WebEvents.EVENT_ID, "E1", WebEvents.CUSTOMER_ID, "C1",
            WebEvents.EVENT_TS, future, WebEvents.EVENT_TYPE, WebEvents.PAGE_VIEW, WebEvents.SESSION_ID, "S1"),
        frame(Surveys.TABLE.schema()).with(Surveys.RESPONSE_ID, "R1", Surveys.CUSTOMER_ID, "C1",
            Surveys.RESPONSE_TS, future, Surveys.SURVEY_TYPE, Surveys.TYPE_NPS, Surveys.SCORE, 2));

    Dataset<Row> rowsBefore = snapshot(spark, before).drop(ChurnFeatures.LABEL).cache();
    Dataset<Row> rowsAfter = snapshot(spark, after).cache();
    assertThat(labels(snapshot(spark, before))).as("labels without the future")
        .containsExactlyInAnyOrderEntriesOf(Map.of("C1", 1.0, "C2", 1.0));
    assertThat(labels(rowsAfter)).as("a purchase in the horizon makes C1 retained; C2's comes too late")
        .containsExactlyInAnyOrderEntriesOf(Map.of("C1", 0.0, "C2", 1.0));
    DataFrameAssertions.assertSameRows(rowsBefore, rowsAfter.drop(ChurnFeatures.LABEL));
  }

  @Test
  void customersOutsideThePopulationGetAReason(SparkSession spark) {
    FeatureInputs in = inputs(spark, orders(), frame(SupportTickets.TABLE.schema()), frame(WebEvents.TABLE.schema()),
        frame(Surveys.TABLE.schema()));
    AsOf cutoff = new AsOf(CUTOFF);
    Dataset<Row> modelInputs = ChurnFeatures.modelInputs(CustomerFeatures.compute(in, cutoff, CONFIG.features()),
        spark.createDataFrame(List.of(), PurchaseForecast.SCHEMA), ChurnLabels.closures(in.tickets(), List.of()), cutoff,
        CONFIG);
    Map<String, String> reasons = modelInputs.select(ChurnFeatures.CUSTOMER_ID, ChurnFeatures.REASON).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> String.valueOf(r.getString(1))));
    assertThat(reasons).as("reasons by customer").containsExactlyInAnyOrderEntriesOf(Map.of(
        "C1", "null",
        "C2", "null",
        "C3", ChurnScores.REASON_NO_PURCHASE,
        "C4", ChurnScores.REASON_LAPSED,
        "C5", ChurnScores.REASON_TOO_LITTLE_HISTORY));
    assertThat(modelInputs.filter(col(ChurnFeatures.REASON).isNull()).columns()).as("model inputs")
        .contains(ChurnFeatures.NUMERIC.toArray(String[]::new))
        .contains(ChurnFeatures.CATEGORICAL.toArray(String[]::new));
    long nulls = modelInputs.select(ChurnFeatures.NUMERIC.stream().map(c -> col(c).isNull().cast("int"))
        .reduce(org.apache.spark.sql.Column::plus).orElseThrow()).as(org.apache.spark.sql.Encoders.INT())
        .collectAsList().stream().mapToLong(Integer::longValue).sum();
    assertThat(nulls).as("numeric inputs are never null").isZero();
  }

  @Test
  void aClosureTicketInTheHorizonIsChurnAndBeforeTheCutoffAReason(SparkSession spark) {
    FeatureInputs in = inputs(spark, orders(), frame(SupportTickets.TABLE.schema())
            .with(SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "C1",
                SupportTickets.OPENED_TS, ts("2026-06-02T00:00:00"), SupportTickets.TOPIC, "account")
            .with(SupportTickets.TICKET_ID, "T2", SupportTickets.CUSTOMER_ID, "C2",
                SupportTickets.OPENED_TS, ts("2026-05-02T00:00:00"), SupportTickets.TOPIC, "account"),
        frame(WebEvents.TABLE.schema()), frame(Surveys.TABLE.schema()));
    java.sql.Date cutoffDate = java.sql.Date.valueOf(CUTOFF);
    Dataset<Row> population = spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create("C1", cutoffDate), org.apache.spark.sql.RowFactory.create("C2", cutoffDate)),
        new org.apache.spark.sql.types.StructType().add(ChurnFeatures.CUSTOMER_ID, "string")
            .add(ChurnFeatures.CUTOFF_DATE, "date"));
    Dataset<Row> closures = ChurnLabels.closures(in.tickets(), List.of("account"));
    // C1 buys in the horizon and closes the account in it: churned.
    Dataset<Row> withPurchase = in.transactions().unionByName(frame(Transactions.TABLE.schema())
        .with(Transactions.TRANSACTION_ID, "L9", Transactions.ORDER_ID, "O9", Transactions.CUSTOMER_ID, "C1",
            Transactions.ORDER_TS, ts("2026-06-05T10:00:00"), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 9.0,
            Transactions.NET_AMOUNT, 9.0, Transactions.STATUS, "completed").build(spark));
    assertThat(labels(ChurnLabels.attach(population, withPurchase, closures,
        Cutoffs.frame(spark, List.of(CUTOFF)), 90)))
        .as("labels with closures").containsEntry("C1", 1.0);
    ChurnConfig withClosures = new ChurnConfig(CONFIG.catalog(), CONFIG.asOf(), 90, 365, 30, List.of("account"), 6, 30,
        7, true, 0.01, 365, 0.6, 0.3, CONFIG.features(), CONFIG.clv(), CONFIG.model());
    AsOf cutoff = new AsOf(CUTOFF);
    Row c2 = ChurnFeatures.modelInputs(CustomerFeatures.compute(in, cutoff, CONFIG.features()),
            spark.createDataFrame(List.of(), PurchaseForecast.SCHEMA), closures, cutoff, withClosures)
        .filter(col(ChurnFeatures.CUSTOMER_ID).equalTo("C2")).first();
    assertThat(c2.<String>getAs(ChurnFeatures.REASON)).as("closed before the cut-off")
        .isEqualTo(ChurnScores.REASON_ACCOUNT_CLOSED);
  }

  /**
   * The training rows of several cut-offs, computed in one plan, have exactly the model inputs that
   * scoring computes at each cut-off alone: no skew between what a model learns from and what it scores.
   */
  @Test
  void snapshotsInOnePlanHaveTheInputsScoringComputesAtEachCutoff(SparkSession spark) {
    FeatureInputs in = inputs(spark, orders()
            .with(Transactions.TRANSACTION_ID, "L6", Transactions.ORDER_ID, "O6", Transactions.CUSTOMER_ID, "C2",
                Transactions.ORDER_TS, ts("2026-05-25T10:00:00"), Transactions.QUANTITY, 3,
                Transactions.UNIT_PRICE, 7.0, Transactions.NET_AMOUNT, 21.0, Transactions.STATUS, "completed"),
        frame(SupportTickets.TABLE.schema()).with(SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "C1",
            SupportTickets.OPENED_TS, ts("2026-04-02T00:00:00"), SupportTickets.TOPIC, "delivery"),
        frame(WebEvents.TABLE.schema()).with(WebEvents.EVENT_ID, "E1", WebEvents.CUSTOMER_ID, "C2",
            WebEvents.EVENT_TS, ts("2026-05-03T00:00:00"), WebEvents.EVENT_TYPE, WebEvents.PAGE_VIEW,
            WebEvents.SESSION_ID, "S1"),
        frame(Surveys.TABLE.schema()).with(Surveys.RESPONSE_ID, "R1", Surveys.CUSTOMER_ID, "C1",
            Surveys.RESPONSE_TS, ts("2026-04-10T00:00:00"), Surveys.SURVEY_TYPE, Surveys.TYPE_NPS, Surveys.SCORE, 4));
    Dataset<Row> closures = ChurnLabels.closures(in.tickets(), List.of());
    List<LocalDate> cutoffs = List.of(LocalDate.parse("2026-04-30"), CUTOFF.minusDays(3), CUTOFF);
    // Every cut-off in one plan, and (as on a large base) a plan per cut-off, there with a date
    // listed twice, which must not give its rows twice.
    TrainingSet.Snapshots onePlan = TrainingSet.snapshots(in, closures, cutoffs, CONFIG);
    List<LocalDate> twice = new java.util.ArrayList<>(cutoffs);
    twice.add(CUTOFF);
    TrainingSet.Snapshots planEach = TrainingSet.snapshots(in, closures, twice, CONFIG, 1);
    assertThatThrownBy(() -> onePlan.of(CUTOFF.plusDays(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build churn training rows: cut-offs without a snapshot ([" + CUTOFF.plusDays(1) + "])");
    for (LocalDate date : cutoffs) {
      Dataset<Row> scoring = TrainingSet.modelInputs(in, closures, new AsOf(date), CONFIG)
          .filter(col(ChurnFeatures.REASON).isNull());
      Dataset<Row> training = onePlan.of(date);
      assertThat(training.filter(col(ChurnFeatures.CUTOFF_DATE).notEqual(new AsOf(date).dateLit())).count())
          .as("rows of other cut-offs in the snapshot of " + date).isZero();
      DataFrameAssertions.assertSameRows(scoring, training.drop(ChurnFeatures.LABEL, ChurnFeatures.CUTOFF_DATE));
      DataFrameAssertions.assertSameRows(training, planEach.of(date));
    }
  }
}
