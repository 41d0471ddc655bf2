package io.cxlake.jobs.customer360;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.ingest.LandingFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** customer360 over real Delta tables written by a real ingest. */
@ExtendWith(SparkExtension.class)
class Customer360JobTest {
  private static final AsOf AS_OF = AsOf.parse("2026-03-31");

  /** A landing zone with only the two required sources, as CDNOW or Online Retail have. */
  private static TableCatalog ingestMinimal(SparkSession spark, Path landing, Path warehouse) throws Exception {
    LandingFixture.write(landing, "customers", "c.csv", "customer_id", "C1", "C2");
    LandingFixture.write(landing, "transactions", "t.csv",
        "transaction_id,order_id,customer_id,order_ts,quantity,unit_price",
        "T1,O1,C1,2026-03-01 10:00:00,1,30",
        "T2,O2,C1,2026-03-20 10:00:00,2,10",
        "T3,O3,C2,2026-04-02 10:00:00,1,99");
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    IngestJob.run(spark, IngestConfig.from(CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-05-01T00:00:00Z")),
        landing.toString(), catalog, AS_OF), "run-1");
    return catalog;
  }

  @Test
  void runsOnCustomersAndTransactionsAloneAndRerunsIdempotently(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws Exception {
    TableCatalog catalog = ingestMinimal(spark, landing, warehouse);
    Customer360Config config = Customer360Config.from(CxConfig.defaults(), catalog, AS_OF);
    Customer360Job.run(spark, config);
    Dataset<Row> first = DeltaIO.read(spark, catalog.path(Customer360.TABLE));
    Dataset<Row> snapshot = spark.createDataFrame(first.collectAsList(), first.schema());

    List<Row> rows = first.orderBy(Customer360.CUSTOMER_ID).collectAsList();
    assertThat(rows).extracting(r -> r.getAs(Customer360.CUSTOMER_ID)).as("both customers, C2's order is later")
        .containsExactly("C1", "C2");
    Row c1 = rows.get(0);
    assertThat((long) c1.getAs(Customer360.ORDERS)).as("orders").isEqualTo(2);
    assertThat((double) c1.getAs(Customer360.MONETARY_TOTAL)).as("30 + 2 x 10").isEqualTo(50.0);
    assertThat((long) c1.getAs(Customer360.TICKETS_TOTAL)).as("absent source counts 0").isZero();
    assertThat((Object) c1.getAs(Customer360.MEAN_CSAT)).as("absent source rates null").isNull();
    assertThat((long) rows.get(1).getAs(Customer360.ORDERS)).as("C2's order after the as-of day").isZero();

    Customer360Job.run(spark, config);
    DataFrameAssertions.assertSameRows(snapshot, DeltaIO.read(spark, catalog.path(Customer360.TABLE)));

    Customer360Job.run(spark, Customer360Config.from(CxConfig.defaults(), catalog, AsOf.parse("2026-04-30")));
    assertThat(DeltaIO.read(spark, catalog.path(Customer360.TABLE)).groupBy(Customer360.AS_OF_DATE).count().count())
        .as("another date adds a partition").isEqualTo(2);
  }

  @Test
  void tablesAndColumnsCarryTheirComments(SparkSession spark, @TempDir Path landing, @TempDir Path warehouse)
      throws Exception {
    TableCatalog catalog = ingestMinimal(spark, landing, warehouse);
    Customer360Job.run(spark, Customer360Config.from(CxConfig.defaults(), catalog, AS_OF));
    String table = "delta.`" + catalog.path(Customer360.TABLE) + "`";
    List<Row> described = spark.sql("DESCRIBE TABLE " + table).collectAsList().stream()
        .filter(r -> !r.getString(0).isBlank() && !r.getString(0).startsWith("#")).toList();
    assertThat(described).as("every column commented")
        .allSatisfy(r -> assertThat(r.getString(2)).as("comment of " + r.getString(0)).isNotBlank());
    assertThat(spark.sql("DESCRIBE DETAIL " + table).first().<String>getAs("description"))
        .as("table comment").isEqualTo(Customer360.TABLE.comment());
  }

  @Test
  void failedRunIsLoggedWithItsMessage(SparkSession spark, @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    Customer360Config config = Customer360Config.from(CxConfig.defaults(), catalog, AS_OF);
    assertThatThrownBy(() -> RunTracker.track(spark, catalog, Customer360Job.NAME, AS_OF,
        runId -> Customer360Job.run(spark, config)))
        .hasMessageStartingWith("Cannot build customer_360: silver transactions do not exist, run ingest first");
    Row logged = DeltaIO.read(spark, catalog.path(RunLog.TABLE))
        .filter(col(RunLog.STATUS).notEqual(RunLog.STATUS_STARTED)).first();
    assertThat((String) logged.getAs(RunLog.STATUS)).as("status").isEqualTo(RunLog.STATUS_FAILED);
    assertThat((String) logged.getAs(RunLog.MESSAGE)).as("message").startsWith("Cannot build customer_360");
  }
}
