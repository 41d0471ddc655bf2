package io.cxlake.jobs.churn;

import static io.cxlake.common.testing.Fixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.testing.SparkExtension;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Our metric code against tables computed by hand. */
@ExtendWith(SparkExtension.class)
class ChurnMetricsTest {
  private static final StructType SCHEMA = new StructType()
      .add(ChurnFeatures.LABEL, DataTypes.DoubleType)
      .add("p", DataTypes.DoubleType);

  /** Twenty customers, scores 0.96, 0.91, ..., 0.01 (two per decile); churners marked below. */
  private static Dataset<Row> twenty(SparkSession spark) {
    // Churners by rank (1 = highest score): 1, 2, 3, 5, 8, 13 -> deciles 1,1,2,3,4,7.
    List<Integer> churners = List.of(1, 2, 3, 5, 8, 13);
    var b = frame(SCHEMA);
    for (int rank = 1; rank <= 20; rank++) {
      b.row(churners.contains(rank) ? 1.0 : 0.0, 1.01 - rank * 0.05);
    }
    return b.build(spark);
  }

  @Test
  void liftTableByDecile(SparkSession spark) {
    List<Row> lift = ChurnMetrics.liftTable(twenty(spark), "p");
    // Overall churn rate 6/20 = 0.3. Decile 1: 2 of 2 -> rate 1.0, lift 3.33, gain 2/6.
    assertThat(lift).as("ten deciles of two customers").hasSize(10)
        .allSatisfy(r -> assertThat(r.getLong(1)).as("customers").isEqualTo(2L));
    assertThat(lift.stream().map(r -> r.getLong(2)).toList()).as("churners per decile")
        .containsExactly(2L, 1L, 1L, 1L, 0L, 0L, 1L, 0L, 0L, 0L);
    Row first = lift.get(0);
    assertThat(first.getInt(0)).as("decile").isEqualTo(1);
    assertThat(first.getDouble(3)).as("churn rate").isCloseTo(1.0, within(1e-12));
    assertThat(first.getDouble(4)).as("lift = 1.0 / 0.3").isCloseTo(1.0 / 0.3, within(1e-12));
    assertThat(first.getDouble(5)).as("gain: 2 of 6 churners").isCloseTo(2.0 / 6, within(1e-12));
    Row third = lift.get(2);
    assertThat(third.getDouble(5)).as("gain at 30 %: 4 of 6").isCloseTo(4.0 / 6, within(1e-12));
    assertThat(third.getDouble(6)).as("cumulative lift at 30 %: (4/6) / 0.3").isCloseTo((4.0 / 6) / 0.3, within(1e-12));
    assertThat(lift.get(9).getDouble(5)).as("every churner by decile 10").isCloseTo(1.0, within(1e-12));
    assertThat(lift.get(9).getDouble(6)).as("cumulative lift of everyone").isCloseTo(1.0, within(1e-12));
  }

  @Test
  void tiedScoresShareADecile(SparkSession spark) {
    var b = frame(SCHEMA);
    for (int i = 0; i < 10; i++) {
      b.row(i < 3 ? 1.0 : 0.0, 0.5);
    }
    List<Row> lift = ChurnMetrics.liftTable(b.build(spark), "p");
    assertThat(lift).as("one score, one decile").hasSize(1);
    assertThat(lift.get(0).getLong(1)).as("customers").isEqualTo(10L);
    assertThat(lift.get(0).getDouble(4)).as("lift of a constant score").isCloseTo(1.0, within(1e-12));
  }

  @Test
  void calibrationTableByEqualWidthBins(SparkSession spark) {
    Dataset<Row> df = frame(SCHEMA)
        .row(0.0, 0.05).row(0.0, 0.15).row(1.0, 0.12)   // bin 1 of 4: [0, 0.25)
        .row(1.0, 0.60).row(0.0, 0.70)                  // bin 3: [0.5, 0.75)
        .row(1.0, 0.90).row(1.0, 1.00)                  // bin 4: [0.75, 1], 1.0 included
        .build(spark);
    List<Row> table = ChurnMetrics.calibrationTable(df, "p", 4);
    assertThat(table.stream().map(r -> r.getInt(0)).toList()).as("non-empty bins").containsExactly(1, 3, 4);
    Row b1 = table.get(0);
    assertThat(b1.getDouble(1)).as("lower").isEqualTo(0.0);
    assertThat(b1.getDouble(2)).as("upper").isEqualTo(0.25);
    assertThat(b1.getLong(3)).as("customers").isEqualTo(3L);
    assertThat(b1.getDouble(4)).as("mean predicted (0.05 + 0.15 + 0.12) / 3").isCloseTo(0.32 / 3, within(1e-12));
    assertThat(b1.getDouble(5)).as("observed 1 of 3").isCloseTo(1.0 / 3, within(1e-12));
    assertThat(table.get(1).getDouble(4)).as("bin 3 mean predicted").isCloseTo(0.65, within(1e-12));
    assertThat(table.get(1).getDouble(5)).as("bin 3 observed").isCloseTo(0.5, within(1e-12));
    assertThat(table.get(2).getDouble(5)).as("bin 4 observed").isCloseTo(1.0, within(1e-12));
  }

  @Test
  void logLossAndBrier(SparkSession spark) {
    Dataset<Row> df = frame(SCHEMA).row(1.0, 0.8).row(0.0, 0.4).row(1.0, 0.5).row(0.0, 0.0).build(spark);
    ChurnMetrics.Losses l = ChurnMetrics.losses(df, "p");
    assertThat(l.rows()).as("rows").isEqualTo(4L);
    assertThat(l.positiveRate()).as("positive rate").isEqualTo(0.5);
    // -(ln 0.8 + ln 0.6 + ln 0.5 + ln(1 - 1e-15)) / 4; p = 0 is clipped, not infinite.
    double expected = -(Math.log(0.8) + Math.log(0.6) + Math.log(0.5) + Math.log1p(-1e-15)) / 4;
    assertThat(l.logLoss()).as("log loss").isCloseTo(expected, within(1e-12));
    assertThat(l.brier()).as("Brier (0.04 + 0.16 + 0.25 + 0) / 4").isCloseTo(0.1125, within(1e-12));
  }

  @Test
  void aucOfAHandRankedFixture(SparkSession spark) {
    // Positives at scores 0.9, 0.7, 0.4; negatives at 0.8, 0.3, 0.2. Of the 9 positive-negative
    // pairs the positive ranks higher in 7 (0.7 < 0.8, 0.4 < 0.8 fail): AUC-ROC = 7/9.
    // PR points (recall, precision): (1/3, 1), (1/3, 1/2), (2/3, 2/3), (1, 3/4), then (1, 3/5),
    // (1, 1/2); trapezoids from (0, 1): 1/3 + 0 + 1/3 * (1/2 + 2/3) / 2 + 1/3 * (2/3 + 3/4) / 2.
    Dataset<Row> df = frame(SCHEMA).row(1.0, 0.9).row(0.0, 0.8).row(1.0, 0.7).row(1.0, 0.4).row(0.0, 0.3)
        .row(0.0, 0.2).build(spark);
    assertThat(ChurnMetrics.aucRoc(df, "p")).as("AUC-ROC").isCloseTo(7.0 / 9, within(1e-12));
    double pr = 1.0 / 3 + (1.0 / 3) * (0.5 + 2.0 / 3) / 2 + (1.0 / 3) * (2.0 / 3 + 0.75) / 2;
    assertThat(ChurnMetrics.aucPr(df, "p")).as("AUC-PR (trapezoidal, as MLlib)").isCloseTo(pr, within(1e-12));
  }
}
