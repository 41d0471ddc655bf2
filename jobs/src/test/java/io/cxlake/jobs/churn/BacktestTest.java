package io.cxlake.jobs.churn;

import static io.cxlake.common.testing.Fixtures.date;
import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
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
 * The backtest on hand-made scores: the realized label at the horizon's edges, only closed dates,
 * and per-date metrics checked against MLlib's evaluator and hand arithmetic.
 */
@ExtendWith(SparkExtension.class)
class BacktestTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-03-10");

  private static Fixtures.Builder score(Fixtures.Builder b, String day, String customer, double p, String tier) {
    return b.with(ChurnScores.AS_OF_DATE, date(day), ChurnScores.CUSTOMER_ID, customer,
        ChurnScores.CHURN_PROBABILITY, p, ChurnScores.RISK_TIER, tier, ChurnScores.MODEL_VERSION, "2026-01-01",
        ChurnScores.HORIZON_DAYS, 30);
  }

  private static Fixtures.Builder order(Fixtures.Builder b, String id, String customer, String at, String status) {
    return b.with(Transactions.TRANSACTION_ID, id, Transactions.ORDER_ID, id, Transactions.CUSTOMER_ID, customer,
        Transactions.ORDER_TS, ts(at), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, 10.0,
        Transactions.NET_AMOUNT, 10.0, Transactions.STATUS, status);
  }

  @Test
  void realizedChurnAtTheHorizonEdgesAndMetricsAsMllib(SparkSession spark) {
    Fixtures.Builder scores = frame(ChurnScores.TABLE.schema());
    // 2026-01-10, horizon 30 days: (2026-01-10, 2026-02-09] in days.
    score(scores, "2026-01-10", "A", 0.9, "high");    // buys only on the scoring day: churned
    score(scores, "2026-01-10", "B", 0.2, "low");     // buys on the horizon's last day: retained
    score(scores, "2026-01-10", "C", 0.7, "high");    // buys the day after the horizon: churned
    score(scores, "2026-01-10", "D", 0.4, "medium");  // a cancelled order only: churned
    score(scores, "2026-01-10", "E", 0.4, "medium");  // buys in the horizon: retained (tied with D)
    score(scores, "2026-01-10", "F", 0.1, "low");     // buys, but closes the account: churned
    scores.with(ChurnScores.AS_OF_DATE, date("2026-01-10"), ChurnScores.CUSTOMER_ID, "G",
        ChurnScores.REASON, ChurnScores.REASON_LAPSED, ChurnScores.HORIZON_DAYS, 30);  // no score: left out
    score(scores, "2026-02-20", "A", 0.5, "medium");  // horizon open on 2026-03-10: left out
    Fixtures.Builder tx = order(frame(Transactions.TABLE.schema()), "1", "A", "2026-01-10T20:00:00", "completed");
    order(tx, "2", "B", "2026-02-09T23:00:00", "completed");
    order(tx, "3", "C", "2026-02-10T00:30:00", "completed");
    order(tx, "4", "D", "2026-01-20T10:00:00", "cancelled");
    order(tx, "5", "E", "2026-01-20T10:00:00", "completed");
    order(tx, "6", "E", "2026-01-21T10:00:00", "completed");
    order(tx, "7", "F", "2026-01-20T10:00:00", "completed");
    Dataset<Row> tickets = frame(SupportTickets.TABLE.schema())
        .with(SupportTickets.TICKET_ID, "T1", SupportTickets.CUSTOMER_ID, "F",
            SupportTickets.OPENED_TS, ts("2026-01-25T10:00:00"), SupportTickets.TOPIC, "account")
        .build(spark);

    Dataset<Row> outcomes = Backtest.outcomes(scores.build(spark), tx.build(spark),
        ChurnLabels.closures(tickets, List.of("account")), AS_OF, 365).localCheckpoint();
    Map<String, Double> labels = outcomes.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("_customer"), r -> r.<Double>getAs("_y")));
    assertThat(labels).as("realized churn by customer").containsExactlyInAnyOrderEntriesOf(Map.of(
        "A", 1.0, "B", 0.0, "C", 1.0, "D", 1.0, "E", 0.0, "F", 1.0));

    Row m = Backtest.metrics(outcomes, AS_OF).first();
    assertThat(m.<java.sql.Date>getAs(ChurnBacktest.SCORING_DATE)).isEqualTo(date("2026-01-10"));
    assertThat(m.<Long>getAs(ChurnBacktest.CUSTOMERS)).as("customers").isEqualTo(6L);
    assertThat(m.<Long>getAs(ChurnBacktest.CHURNERS)).as("churners").isEqualTo(4L);
    assertThat(m.<Double>getAs(ChurnBacktest.MEAN_PREDICTED)).as("mean predicted").isCloseTo(2.7 / 6, within(1e-12));
    // (0.1² + 0.2² + 0.3² + 0.6² + 0.4² + 0.9²) / 6
    assertThat(m.<Double>getAs(ChurnBacktest.BRIER)).as("Brier").isCloseTo(1.47 / 6, within(1e-12));
    Dataset<Row> asMllib = outcomes.withColumnRenamed("_y", ChurnFeatures.LABEL);
    assertThat(m.<Double>getAs(ChurnBacktest.AUC_ROC)).as("AUC-ROC as MLlib")
        .isCloseTo(ChurnMetrics.aucRoc(asMllib, "_p"), within(1e-12));
    // Hand: churners 0.9, 0.7, 0.4, 0.1 against retained 0.4, 0.2: (2 + 2 + 1.5 + 0) / 8.
    assertThat(m.<Double>getAs(ChurnBacktest.AUC_ROC)).as("AUC-ROC by hand").isCloseTo(5.5 / 8, within(1e-12));
    assertThat(m.<Double>getAs(ChurnBacktest.AUC_PR)).as("AUC-PR as MLlib")
        .isCloseTo(ChurnMetrics.aucPr(asMllib, "_p"), within(1e-12));
    List<Row> tiers = m.getList(m.fieldIndex(ChurnBacktest.TIERS));
    assertThat(tiers).extracting(t -> t.getString(0), t -> t.getLong(1), t -> t.getDouble(3)).as("tiers")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("high", 2L, 1.0),
            org.assertj.core.groups.Tuple.tuple("low", 2L, 0.5), org.assertj.core.groups.Tuple.tuple("medium", 2L, 0.5));
    List<Row> deciles = m.getList(m.fieldIndex(ChurnBacktest.CALIBRATION));
    assertThat(deciles).extracting(t -> t.getLong(1)).as("six customers in six deciles").containsOnly(1L);
    // The top decile is A (churned): lift 1 / (4/6).
    assertThat(m.<Double>getAs(ChurnBacktest.TOP_DECILE_LIFT)).as("top-decile lift").isCloseTo(1.5, within(1e-12));
    assertThat(Backtest.metrics(outcomes, AS_OF).filter(col(ChurnBacktest.SCORING_DATE).equalTo(date("2026-02-20")))
        .count()).as("open horizon left out").isZero();
  }
}
