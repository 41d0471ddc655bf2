package io.cxlake.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

/** MLlib's ranking metrics as the job calls them, against numbers worked out by hand. */
@ExtendWith(SparkExtension.class)
class RankingEvalTest {
  @Test
  void precisionRecallMapAndCoverageMatchTheHandComputation(SparkSession spark) {
    List<Row> lists = new ArrayList<>();
    String[][] ranked = {{"A", "p1", "p2", "p3", "p4"}, {"B", "p5", "p6"}, {"D", "p8"}};
    for (String[] r : ranked) {
      for (int i = 1; i < r.length; i++) {
        lists.add(RowFactory.create(r[0], i, r[i]));
      }
    }
    StructType listSchema = new StructType().add("customer_id", DataTypes.StringType)
        .add("rank", DataTypes.IntegerType).add("product_id", DataTypes.StringType);
    StructType pairSchema = new StructType().add("customer_id", DataTypes.StringType)
        .add("product_id", DataTypes.StringType);
    Dataset<Row> relevant = spark.createDataFrame(List.of(
        RowFactory.create("A", "p2"), RowFactory.create("A", "p4"), RowFactory.create("A", "p9"),
        RowFactory.create("B", "p5"),
        RowFactory.create("C", "p7")), pairSchema);

    RankingEval.Metrics m = RankingEval.evaluate(spark.createDataFrame(lists, listSchema), relevant, 10, 3);
    // k = 3. A: top 3 = p1 p2 p3, one hit (p2 at 2) of 3 relevant: P 1/3, R 1/3, AP (1/2) / min(3, 3) = 1/6.
    //        B: top 3 = p5 p6, hit at 1 of 1 relevant: P 1/3, R 1, AP 1 / min(1, 3) = 1.
    //        C: no list: 0, 0, 0.  D: nothing relevant, so not a test customer.
    assertThat(m.users()).as("customers with a relevant product").isEqualTo(3);
    assertThat(m.precision()).as("precision@3 = (1/3 + 1/3 + 0) / 3").isCloseTo(2.0 / 9, within(1e-12));
    assertThat(m.recall()).as("recall@3 = (1/3 + 1 + 0) / 3").isCloseTo(4.0 / 9, within(1e-12));
    assertThat(m.map()).as("MAP@3 = (1/6 + 1 + 0) / 3").isCloseTo(7.0 / 18, within(1e-12));
    assertThat(m.coverage()).as("p1 p2 p3 p5 p6 of 10 products (D's p8 is not evaluated)").isEqualTo(0.5);

    RankingEval.Metrics at10 = RankingEval.evaluate(spark.createDataFrame(lists, listSchema), relevant, 10, 10);
    // k = 10. A: hits p2 at 2 and p4 at 4: AP = (1/2 + 2/4) / min(3, 10) = 1/3; P = 2/10.
    assertThat(at10.map()).as("MAP@10 = (1/3 + 1 + 0) / 3").isCloseTo(4.0 / 9, within(1e-12));
    assertThat(at10.precision()).as("precision@10 = (2/10 + 1/10 + 0) / 3").isCloseTo(0.1, within(1e-12));
  }
}
