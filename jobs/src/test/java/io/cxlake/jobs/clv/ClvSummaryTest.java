package io.cxlake.jobs.clv;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The BTYD summary on hand-computed fixtures, as-of 2026-03-31. */
@ExtendWith(SparkExtension.class)
class ClvSummaryTest {
  private static final AsOf AS_OF = AsOf.parse("2026-03-31");

  private static ClvConfig config(Map<String, String> overrides) {
    return ClvConfig.from(CxConfig.load(Optional.empty(), overrides), new TableCatalog("/tmp/unused"), AS_OF,
        Optional.of(LocalDate.parse("2026-06-30")));
  }

  private static Dataset<Row> transactions(SparkSession spark) {
    var f = frame(Transactions.TABLE.schema());
    // C1: two orders on 03-01 (merged), one on 03-08, a fully returned order, a cancelled one, and later ones.
    line(f, "L1", "O1", "C1", "2026-03-01T09:00:00", "completed", 10.0);
    line(f, "L2", "O2", "C1", "2026-03-01T18:00:00", "completed", 5.0);
    line(f, "L3", "O3", "C1", "2026-03-08T10:00:00", "completed", 20.0);
    line(f, "L4", "O3", "C1", "2026-03-08T10:00:00", "returned", 7.0);
    line(f, "L5", "O4", "C1", "2026-03-15T10:00:00", "returned", 9.0);
    line(f, "L6", "O5", "C1", "2026-03-20T10:00:00", "cancelled", 9.0);
    line(f, "L7", "O6", "C1", "2026-04-02T10:00:00", "completed", 30.0);
    line(f, "L8", "O7", "C1", "2026-04-02T15:00:00", "completed", 30.0);
    line(f, "L9", "O8", "C1", "2026-07-01T00:00:00", "completed", 30.0);
    // C2: one purchase on the as-of day itself.
    line(f, "L10", "O9", "C2", "2026-03-31T23:59:59", "completed", 40.0);
    // C3: first purchase after the as-of day only.
    line(f, "L11", "O10", "C3", "2026-04-01T00:00:00", "completed", 40.0);
    return f.build(spark);
  }

  private static void line(io.cxlake.common.testing.Fixtures.Builder f, String id, String order, String customer,
      String at, String status, double net) {
    f.with(Transactions.TRANSACTION_ID, id, Transactions.ORDER_ID, order, Transactions.CUSTOMER_ID, customer,
        Transactions.ORDER_TS, ts(at), Transactions.QUANTITY, 1, Transactions.UNIT_PRICE, net,
        Transactions.DISCOUNT, 0.0, Transactions.STATUS, status, Transactions.NET_AMOUNT, net);
  }

  private static Dataset<Row> noCustomers(SparkSession spark) {
    return spark.createDataFrame(java.util.List.of(), Customers.TABLE.schema());
  }

  @Test
  void summaryMergesSameDayPurchasesAndSkipsReturnsCancellationsAndTheFuture(SparkSession spark) {
    Dataset<Row> summary = ClvSummary.calibration(transactions(spark), noCustomers(spark), config(Map.of()))
        .orderBy(ClvSummary.CUSTOMER_ID);
    assertThat(summary.collectAsList())
        .extracting(r -> tuple(r.getAs(ClvSummary.CUSTOMER_ID), r.getAs(ClvSummary.X), r.getAs(ClvSummary.T_X_DAYS),
            r.getAs(ClvSummary.T_DAYS), r.getAs(ClvSummary.MEAN_REPEAT_VALUE), r.getAs(ClvSummary.SEGMENT)))
        .as("customer, x, t_x days, T days, mean repeat value, segment")
        .containsExactly(
            tuple("C1", 1L, 7, 30, 20.0, "all"),
            tuple("C2", 0L, 0, 0, null, "all"));
  }

  @Test
  void withoutMergingEveryOrderIsAPurchaseAndReturnedOrdersCanCount(SparkSession spark) {
    Row c1 = ClvSummary.calibration(transactions(spark), noCustomers(spark),
            config(Map.of("clv.merge-same-day-purchases", "false", "clv.count-returned-orders", "true")))
        .filter("customer_id = 'C1'").first();
    assertThat((long) c1.getAs(ClvSummary.X)).as("O1, O2, O3, O4: four purchases").isEqualTo(3);
    assertThat((double) c1.getAs(ClvSummary.MEAN_REPEAT_VALUE)).as("(5 + 20 + 0) / 3").isEqualTo(25.0 / 3);
  }

  @Test
  void compressionCountsCustomersPerDistinctRow(SparkSession spark) {
    Dataset<Row> twice = transactions(spark).union(transactions(spark)
        .withColumn(Transactions.CUSTOMER_ID, org.apache.spark.sql.functions.concat(
            org.apache.spark.sql.functions.col(Transactions.CUSTOMER_ID), org.apache.spark.sql.functions.lit("b"))));
    Dataset<Row> compressed = ClvSummary.compress(
        ClvSummary.calibration(twice, noCustomers(spark), config(Map.of()))).orderBy(ClvSummary.X);
    assertThat(compressed.collectAsList()).extracting(r -> r.getAs(ClvSummary.WEIGHT)).as("weights")
        .containsExactly(2L, 2L);
  }

  private static Dataset<Row> compressedRows(SparkSession spark, Object... xTxTWeight) {
    var f = frame(new org.apache.spark.sql.types.StructType()
        .add(ClvSummary.SEGMENT, "string").add(ClvSummary.X, "long").add(ClvSummary.T_X_DAYS, "int")
        .add(ClvSummary.T_DAYS, "int").add(ClvSummary.WEIGHT, "long"));
    for (int i = 0; i < xTxTWeight.length; i += 4) {
      f.with(ClvSummary.SEGMENT, "all", ClvSummary.X, xTxTWeight[i], ClvSummary.T_X_DAYS, xTxTWeight[i + 1],
          ClvSummary.T_DAYS, xTxTWeight[i + 2], ClvSummary.WEIGHT, xTxTWeight[i + 3]);
    }
    return f.build(spark);
  }

  @Test
  void coarseningRoundsHalfUpToWholeWeeksAndSumsWeights(SparkSession spark) {
    Dataset<Row> exact = compressedRows(spark,
        1L, 3, 10, 5L, // 3 -> 0 weeks, 10 -> 7
        1L, 0, 9, 2L, // 0 -> 0, 9 -> 7: merges with the row above
        1L, 4, 11, 1L, // 4 -> 7 (half up from 3.5 days), 11 -> 14
        0L, 0, 730, 4L); // 730 -> 728
    assertThat(ClvSummary.coarsen(exact, 7).orderBy(ClvSummary.X, ClvSummary.T_X_DAYS).collectAsList())
        .extracting(r -> tuple(r.getAs(ClvSummary.X), r.getAs(ClvSummary.T_X_DAYS), r.getAs(ClvSummary.T_DAYS),
            r.getAs(ClvSummary.WEIGHT)))
        .as("x, t_x days, T days, weight on the weekly grid")
        .containsExactly(tuple(0L, 0, 728, 4L), tuple(1L, 0, 7, 7L), tuple(1L, 7, 14, 1L));
  }

  @Test
  void fitRowsStayExactUntilTheyExceedTheLimitThenCoarsen(SparkSession spark) {
    Object[] grid = new Object[4 * 1200];
    for (int i = 0; i < 1200; i++) {
      grid[4 * i] = 1L;
      grid[4 * i + 1] = i % 40;
      grid[4 * i + 2] = 40 + i / 40;
      grid[4 * i + 3] = 1L;
    }
    Dataset<Row> exact = compressedRows(spark, grid);
    ClvJob.FitRows small = ClvJob.fitRows(exact, 1200);
    assertThat(small.resolutionDays()).as("1200 rows within a limit of 1200: exact").isEqualTo(1);
    assertThat(small.rows()).hasSize(1200);
    ClvJob.FitRows coarse = ClvJob.fitRows(exact, 1000);
    assertThat(coarse.resolutionDays()).as("over the limit: whole weeks").isEqualTo(7);
    assertThat(coarse.rows()).as("t_x 0..39 days -> weeks 0..6 (x7), T 40..69 days -> weeks 6..10 (x5)")
        .hasSize(35);
    assertThat(coarse.rows().stream().mapToLong(r -> r.getLong(4)).sum()).as("weights keep every customer")
        .isEqualTo(1200);
  }

  @Test
  void holdoutCountsMergedPurchasesAfterTheCutoffUpToTheHoldoutEnd(SparkSession spark) {
    Dataset<Row> holdout = ClvSummary.holdoutActuals(transactions(spark), config(Map.of())).orderBy(ClvSummary.CUSTOMER_ID);
    assertThat(holdout.collectAsList()).extracting(r -> tuple(r.getString(0), r.getLong(1)))
        .as("C1: 04-02 (merged) but not 07-01; C3: 04-01")
        .containsExactly(tuple("C1", 1L), tuple("C3", 1L));
  }

  @Test
  void configRejectsBadValuesByName() {
    assertThatThrownBy(() -> config(Map.of("clv.time-unit", "months")))
        .hasMessage("Cannot configure clv.time-unit: expected days or weeks (months)");
    assertThatThrownBy(() -> config(Map.of("clv.max-fit-rows", "10")))
        .hasMessage("Cannot configure clv.max-fit-rows: must be at least 1000 (10)");
    assertThatThrownBy(() -> config(Map.of("clv.segment-column", "email")))
        .hasMessageStartingWith("Cannot configure clv.segment-column: expected one of");
    assertThatThrownBy(() -> ClvConfig.from(CxConfig.defaults(), new TableCatalog("/tmp/unused"), AS_OF,
        Optional.of(LocalDate.parse("2026-03-31"))))
        .hasMessage("Cannot configure --holdout-end: must be after --as-of 2026-03-31 (2026-03-31)");
  }
}
