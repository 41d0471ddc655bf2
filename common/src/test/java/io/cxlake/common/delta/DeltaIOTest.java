package io.cxlake.common.delta;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.testing.SparkExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Upserts by key never duplicate a key, first loads included. */
@ExtendWith(SparkExtension.class)
class DeltaIOTest {
  @Test
  void twoConcurrentFirstLoadsNeverDuplicateAKey(SparkSession spark, @TempDir Path warehouse) throws Exception {
    TableSpec table = Sources.table(Customers.CONTRACT);
    String path = warehouse.resolve("customers").toString();
    Dataset<Row> rows = spark.range(200).select(functions.concat(functions.lit("C"), col("id").cast("string"))
        .as(Customers.CUSTOMER_ID));
    for (var f : table.schema().fields()) {
      if (!f.name().equals(Customers.CUSTOMER_ID)) {
        rows = rows.withColumn(f.name(), functions.lit(null).cast(f.dataType()));
      }
    }
    Dataset<Row> load = rows;
    DeltaIO.ensureTable(spark, table, path);
    // Both writers see the empty table, then commit: the loser must fail or merge, never append.
    CyclicBarrier start = new CyclicBarrier(2);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          DeltaIO.mergeByKey(spark, load, table, path);
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      writers.add(t);
      t.start();
    }
    for (Thread t : writers) {
      t.join();
    }
    assertThat(failures).as("a writer that lost the race fails with Delta's conflict, nothing else")
        .allSatisfy(e -> assertThat(e.getClass().getName()).contains("Concurrent"));
    Dataset<Row> loaded = DeltaIO.read(spark, path);
    assertThat(loaded.count()).as("every key once").isEqualTo(200);
    assertThat(loaded.select(Customers.CUSTOMER_ID).distinct().count()).isEqualTo(200);
  }
}
