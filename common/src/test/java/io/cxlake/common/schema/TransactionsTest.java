package io.cxlake.common.schema;

import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.testing.SparkExtension;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A sum of money never turns into NaN: a non-finite order line fails the query and is named. */
@ExtendWith(SparkExtension.class)
class TransactionsTest {
  private static final StructType LINES = new StructType()
      .add(Transactions.TRANSACTION_ID, DataTypes.StringType)
      .add(Transactions.NET_AMOUNT, DataTypes.DoubleType);

  @Test
  void finiteAmountsAddUp(SparkSession spark) {
    Dataset<Row> lines = spark.createDataFrame(List.of(RowFactory.create("t1", 2.5), RowFactory.create("t2", 4.0),
        RowFactory.create("t3", null)), LINES);
    assertThat(lines.agg(sum(Transactions.netAmount())).first().getDouble(0)).isEqualTo(6.5);
  }

  @Test
  void nanOrInfinityFailsNamingTheLine(SparkSession spark) {
    for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
      Dataset<Row> lines = spark.createDataFrame(List.of(RowFactory.create("t1", 2.5), RowFactory.create("t9", bad)),
          LINES);
      assertThatThrownBy(() -> lines.agg(sum(Transactions.netAmount())).first())
          .hasStackTraceContaining("Cannot add up transactions.net_amount")
          .hasStackTraceContaining("order line t9");
    }
  }
}
