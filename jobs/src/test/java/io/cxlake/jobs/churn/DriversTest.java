package io.cxlake.jobs.churn;

import static io.cxlake.common.testing.Fixtures.frame;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cxlake.common.testing.SparkExtension;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The top drivers column and the class weights, in built-in column expressions. */
@ExtendWith(SparkExtension.class)
class DriversTest {
  private static final StructType SCHEMA = new StructType()
      .add("c", DataTypes.createArrayType(DataTypes.DoubleType))
      .add("v", DataTypes.createArrayType(DataTypes.DoubleType));

  @Test
  void topDriversByAbsoluteContributionWithDirectionValueAndTypical(SparkSession spark) {
    List<String> names = List.of("a", "b", "c", "d", "e");
    double[] typical = {1, 41, 3, 0.25, 1234.5};
    Row r = frame(SCHEMA).row(List.of(0.1, -0.9, 0.0, 0.5, -0.2), List.of(1.0, 143.0, 3.0, 0.5, 2000.0)).build(spark)
        .select(Drivers.top(col("c"), col("v"), names, typical, 3).as("top")).first();
    List<Row> top = r.getList(0);
    assertThat(top).as("three largest by |contribution|")
        .extracting(d -> d.getString(0), d -> d.getDouble(1), d -> d.getString(2), d -> d.getDouble(3),
            d -> d.getDouble(4), d -> d.getString(5))
        .containsExactly(
            tuple("b", -0.9, "lowers", 143.0, 41.0, "b = 143 vs 41 typical lowers risk"),
            tuple("d", 0.5, "raises", 0.5, 0.25, "d = 0.50 vs 0.25 typical raises risk"),
            tuple("e", -0.2, "lowers", 2000.0, 1234.5, "e = 2000 vs 1234.50 typical lowers risk"));

    Row sparse = frame(SCHEMA).row(List.of(0.0, 0.3, 0.0), List.of(1.0, 1.0, 1.0)).build(spark)
        .select(Drivers.top(col("c"), col("v"), List.of("a", "b", "c"), new double[] {1, 1, 1}, 3).as("top")).first();
    assertThat(sparse.<Row>getList(0)).as("a zero contribution is never a driver")
        .extracting(d -> d.getString(0)).containsExactly("b");
  }

  @Test
  void aCategoryIsADriverOnlyForItsMembers(SparkSession spark) {
    List<String> names = List.of("nps_class=detractor", "nps_class=promoter", "recency_days");
    double[] typical = {0.12, 0.4, 41};
    // A promoter: the linear model credits "not a detractor" too, which is not a driver.
    Row r = frame(SCHEMA).row(List.of(-0.8, -0.5, 0.3), List.of(0.0, 1.0, 60.0)).build(spark)
        .select(Drivers.top(col("c"), col("v"), names, typical, 3).as("top")).first();
    assertThat(r.<Row>getList(0)).as("drivers of a promoter")
        .extracting(d -> d.getString(0), d -> d.isNullAt(3), d -> d.getString(5))
        .containsExactly(tuple("nps_class=promoter", true, "nps_class=promoter (40% of customers) lowers risk"),
            tuple("recency_days", false, "recency_days = 60 vs 41 typical raises risk"));
  }

  @Test
  void valuesAndTypicalOnTheFeaturesOwnScale(SparkSession spark) {
    StructType schema = new StructType().add(ChurnPipelines.FEATURES, new org.apache.spark.ml.linalg.VectorUDT());
    List<String> names = List.of(io.cxlake.common.schema.Customer360.RECENCY_DAYS,
        ChurnFeatures.BTYD_NO_PURCHASE_LOGIT, io.cxlake.common.schema.Customer360.ORDERS_90D, "country=DE");
    var rows = frame(schema)
        .row(org.apache.spark.ml.linalg.Vectors.dense(Math.log1p(143), 0.0, 2, 1))
        .row(org.apache.spark.ml.linalg.Vectors.dense(Math.log1p(41), Math.log(3), 4, 0))
        .row(org.apache.spark.ml.linalg.Vectors.dense(Math.log1p(10), Math.log(3), 6, 0))
        .row(org.apache.spark.ml.linalg.Vectors.dense(Math.log1p(41), Math.log(3), 4, 1))
        .build(spark);
    double[] first = rows.select(Drivers.values(names)).first().<Double>getList(0).stream()
        .mapToDouble(Double::doubleValue).toArray();
    assertThat(first).as("log1p undone, log-odds as a probability, counts as is, one-hot 1")
        .containsExactly(new double[] {143, 0.5, 2, 1}, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(Drivers.typical(rows.withColumn(Drivers.VALUES, Drivers.values(names)), names))
        .as("medians, and the share in the category")
        .containsExactly(new double[] {41, 0.75, 4, 0.5}, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void balancedWeightsGiveEachClassHalfTheWeight(SparkSession spark) {
    StructType schema = new StructType().add(ChurnFeatures.LABEL, DataTypes.DoubleType);
    var rows = frame(schema).row(1.0).row(0.0).row(0.0).row(0.0).build(spark);
    Trainer.ClassCounts counts = Trainer.counts(rows);
    assertThat(counts).as("counts").isEqualTo(new Trainer.ClassCounts(4, 1));
    List<Row> weighted = Trainer.weighted(rows, counts, true).orderBy(col(ChurnFeatures.LABEL).desc()).collectAsList();
    // 4 / (2 x 1) = 2 for the churner, 4 / (2 x 3) = 2/3 for the others: 2 = 3 x 2/3.
    assertThat(weighted).extracting(w -> w.getDouble(1)).as("weights")
        .containsExactly(2.0, 2.0 / 3, 2.0 / 3, 2.0 / 3);
    assertThat(Trainer.weighted(rows, counts, false).collectAsList()).extracting(w -> w.getDouble(1))
        .as("unweighted").containsOnly(1.0);
  }
}
