package io.cxlake.jobs.segment;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RFM quintiles with ties, and the named grid, on hand-built tables. */
@ExtendWith(SparkExtension.class)
class RfmTest {
  /** The grid as documented in docs/segments-recommendations.md, R = 5 (top) to 1, FM = 1 to 5. */
  private static final String[] DOCUMENTED = {
      "New | Potential Loyalist | Potential Loyalist | Champions | Champions",
      "Promising | Potential Loyalist | Potential Loyalist | Loyal | Loyal",
      "About to Sleep | About to Sleep | Need Attention | Loyal | Loyal",
      "Hibernating | Hibernating | At Risk | At Risk | Cannot Lose Them",
      "Lost | Lost | At Risk | At Risk | Cannot Lose Them"};

  @Test
  void gridNamesEveryCellAsDocumentedInSparkAndOnTheDriver(SparkSession spark) {
    StructType schema = new StructType().add("r", DataTypes.IntegerType).add("fm", DataTypes.IntegerType);
    List<Row> cells = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      for (int fm = 1; fm <= 5; fm++) {
        cells.add(RowFactory.create(r, fm));
      }
    }
    List<Row> named = spark.createDataFrame(cells, schema)
        .select(col("r"), col("fm"), Rfm.gridSegment(col("r"), col("fm")).as("segment"))
        .orderBy("r", "fm").collectAsList();
    for (Row row : named) {
      int r = row.getInt(0);
      int fm = row.getInt(1);
      String documented = DOCUMENTED[5 - r].split(" \\| ")[fm - 1];
      assertThat(row.getString(2)).as("Spark R=%d FM=%d", r, fm).isEqualTo(documented);
      assertThat(Rfm.segmentOf(r, fm)).as("driver R=%d FM=%d", r, fm).isEqualTo(documented);
    }
    assertThat(named.stream().map(r -> r.getString(2)).distinct().count()).as("the eleven named segments").isEqualTo(11);
    assertThatThrownBy(() -> Rfm.segmentOf(6, 1)).hasMessage("Cannot name RFM cell: scores must be 1-5 (R 6, FM 1)");
  }

  @Test
  void quintilesShareScoresOnTiesAndNameTheSegments(SparkSession spark) {
    // Ten purchasers: score = 1 + floor(5 x worse / 10), worse = purchasers with a strictly worse value.
    Fixtures.Builder b = Fixtures.frame(Customer360.TABLE.schema());
    Object[][] customers = {
        // id, recency days, occasions, monetary
        {"C01", 1.2, 10L, 1000.0}, {"C02", 1.9, 1L, 20.0}, {"C03", 5.0, 3L, 300.0}, {"C04", 10.0, 1L, 50.0},
        {"C05", 20.0, 1L, 20.0}, {"C06", 40.0, 2L, 150.0}, {"C07", 60.0, 5L, 500.0}, {"C08", 100.0, 1L, 80.0},
        {"C09", 200.0, 8L, 900.0}, {"C10", 400.0, 1L, 10.0}};
    for (Object[] c : customers) {
      b.with(Customer360.CUSTOMER_ID, c[0], Customer360.LAST_ORDER_TS, ts("2026-01-01T00:00:00"),
          Customer360.RECENCY_DAYS, c[1], Customer360.PURCHASE_OCCASIONS, c[2], Customer360.MONETARY_TOTAL, c[3]);
    }
    b.with(Customer360.CUSTOMER_ID, "C11", Customer360.PURCHASE_OCCASIONS, 0L);
    Dataset<Row> scored = Rfm.score(b.build(spark));

    List<String> actual = scored.orderBy(Segments.CUSTOMER_ID).collectAsList().stream()
        .map(r -> r.getAs(Segments.CUSTOMER_ID) + " " + r.getAs(Segments.RECENCY_DAYS) + " " + r.getAs(Segments.RFM_SCORE)
            + " " + r.getAs(Segments.FM_SCORE) + " " + r.getAs(Segments.RFM_SEGMENT))
        .toList();
    assertThat(actual).as("customer, whole recency days, RFM code, FM score, segment (worked out by hand)")
        .containsExactly(
            "C01 1 555 5 Champions",
            "C02 1 511 1 New",                  // same whole day as C01: same recency score
            "C03 5 444 4 Loyal",
            "C04 10 412 2 Potential Loyalist",  // FM = ceil((1 + 2) / 2) = 2
            "C05 20 311 1 About to Sleep",      // 20.0 ties with C02 on monetary: both M = 1
            "C06 40 333 3 Need Attention",      // five one-purchase customers below: F = 1 + floor(25 / 10) = 3
            "C07 60 244 4 At Risk",
            "C08 100 213 2 Hibernating",
            "C09 200 155 5 Cannot Lose Them",
            "C10 400 111 1 Lost",
            "C11 null null null Prospects");
  }
}
