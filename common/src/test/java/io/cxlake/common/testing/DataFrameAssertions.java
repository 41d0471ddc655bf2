package io.cxlake.common.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SparkSession;

/**
 * spark-testing-base's DataFrame equality (schema and rows, order-insensitive, with a readable
 * diff) on the shared session: its JUnit 4 base class would otherwise start a Spark of its own.
 */
public final class DataFrameAssertions {
  private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase() {
    @Override
    public SparkSession spark() {
      return SparkExtension.session();
    }

    @Override
    public SQLContext sqlContext() {
      return SparkExtension.session().sqlContext();
    }
  };

  private DataFrameAssertions() {}

  /**
   * Same schema and the same multiset of rows, in any order. Rows are compared as JSON, because
   * spark-testing-base's row comparison joins on every column and Spark cannot compare maps.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    org.assertj.core.api.Assertions.assertThat(actual.schema()).as("schema").isEqualTo(expected.schema());
    BASE.assertDataFrameNoOrderEquals(expected.toJSON().toDF("row"), actual.toJSON().toDF("row"));
  }
}
