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
  @Test
  void topDriversByAbsoluteContributionWithDirection(SparkSession spark) {
    StructType schema = new StructType().add("c", DataTypes.createArrayType(DataTypes.DoubleType));
    Row r = frame(schema).row(List.of(0.1, -0.9, 0.0, 0.5, -0.2)).build(spark)
        .select(Drivers.top(col("c"), List.of("a", "b", "c", "d", "e"), 3).as("top")).first();
    List<Row> top = r.getList(0);
    assertThat(top).as("three largest by |contribution|")
        .extracting(d -> d.getString(0), d -> d.getDouble(1), d -> d.getString(2))
        .containsExactly(tuple("b", -0.9, "lowers"), tuple("d", 0.5, "raises"), tuple("e", -0.2, "lowers"));

    Row sparse = frame(schema).row(List.of(0.0, 0.3, 0.0)).build(spark)
        .select(Drivers.top(col("c"), List.of("a", "b", "c"), 3).as("top")).first();
    assertThat(sparse.<Row>getList(0)).as("a zero contribution is never a driver")
        .extracting(d -> d.getString(0)).containsExactly("b");
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
