package io.cxlake.jobs.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.jobs.erase.WarehouseScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The right to erasure on a copy of the demo's warehouse: three customers (one with tickets, web
 * events and surveys, and the smallest and largest ids, which are the minimum and maximum of every
 * customer-keyed file's statistics) are erased with {@code --vacuum} and no retention. Then no file
 * under the warehouse, of any version, holds their ids, e-mails or phones; and a re-ingest of the
 * same landing zone and the daily jobs that write customer rows do not bring them back.
 */
@ExtendWith(SparkExtension.class)
class ErasureIT {
  @Test
  void erasedCustomersLeaveNoTraceAndDoNotComeBack(SparkSession spark) throws Exception {
    DemoIT.Demo demo = DemoIT.demo();
    Path dir = demo.dir().resolve("erasure");
    Path warehouse = dir.resolve("warehouse");
    ItSupport.deleteRecursively(dir);
    ItSupport.copy(demo.warehouse(), warehouse);
    TableCatalog catalog = new TableCatalog(warehouse.toString());

    List<String> ids = chooseCustomers(spark, catalog);
    List<String> needles = new ArrayList<>(ids);
    for (Row r : silver(spark, catalog, Customers.CONTRACT.name()).filter(col(Customers.CUSTOMER_ID).isin(ids.toArray()))
        .collectAsList()) {
      for (String pii : List.of(Customers.EMAIL, Customers.PHONE)) {
        if (!r.isNullAt(r.fieldIndex(pii))) {
          needles.add(r.getAs(pii));
        }
      }
    }
    assertThat(needles).as("three ids and their contacts").hasSizeGreaterThanOrEqualTo(5);
    Pattern them = WarehouseScan.anyOf(needles);
    assertThat(WarehouseScan.filesMentioning(spark, warehouse, them)).as("the demo holds them before").isNotEmpty();

    Path idsFile = Files.write(dir.resolve("erase.txt"), List.of("# erasure requests", ids.get(0), ids.get(1)));
    // In this JVM: the erasure, not a process, is under test (the two cold JVMs cost 47 s together).
    String erased = ItSupport.cxlakeInProcess("erase", "--warehouse", warehouse.toString(),
        "--ids-file", idsFile.toString(), "--customer-id", ids.get(2), "--vacuum",
        "--conf", "privacy.vacuum-retention-hours=0", "--conf", "privacy.demo-data=true");
    assertThat(erased).as("the summary counts, never names").contains("erased 3 customers (3 found in customers)")
        .doesNotContain(ids.toArray(String[]::new));
    assertThat(WarehouseScan.filesMentioning(spark, warehouse, them))
        .as("no Parquet file, commit, checkpoint, statistic, export or report of any version holds them").isEmpty();

    ItSupport.cxlakeInProcess("run", "--as-of", asOf(spark, catalog), "--landing",
        demo.dir().resolve("demo/landing").toString(), "--warehouse", warehouse.toString(), "--conf",
        "privacy.demo-data=true", "--only", "ingest,customer360,clv,churn-score,segment,actions,export-actions");
    assertThat(WarehouseScan.tablesMentioning(spark, catalog, them)).as("back after re-ingest and the daily jobs").isEmpty();
    Row ingest = DeltaIO.read(spark, catalog.path(RunLog.TABLE))
        .filter(col(RunLog.JOB).equalTo("ingest").and(col(RunLog.STATUS).equalTo(RunLog.STATUS_SUCCEEDED)))
        .orderBy(col(RunLog.ENDED_AT).desc()).first();
    Map<String, String> details = ingest.getJavaMap(ingest.fieldIndex(RunLog.DETAILS));
    assertThat(Long.parseLong(details.get("customers.rows_suppressed"))).as("their customer rows dropped")
        .isGreaterThanOrEqualTo(3);
    assertThat(Long.parseLong(details.get("transactions.rows_suppressed"))).as("and their orders").isPositive();
  }

  /** One customer with tickets, web events and surveys, and the smallest and largest customer ids. */
  private static List<String> chooseCustomers(SparkSession spark, TableCatalog catalog) {
    var withEverything = silver(spark, catalog, SupportTickets.CONTRACT.name()).select(SupportTickets.CUSTOMER_ID)
        .intersect(silver(spark, catalog, WebEvents.CONTRACT.name()).select(WebEvents.CUSTOMER_ID))
        .intersect(silver(spark, catalog, Surveys.CONTRACT.name()).select(Surveys.CUSTOMER_ID))
        .orderBy(SupportTickets.CUSTOMER_ID).first().<String>getAs(0);
    var customers = silver(spark, catalog, Customers.CONTRACT.name()).select(Customers.CUSTOMER_ID);
    String first = customers.orderBy(Customers.CUSTOMER_ID).first().getString(0);
    String last = customers.orderBy(col(Customers.CUSTOMER_ID).desc()).first().getString(0);
    return List.of(withEverything, first, last);
  }

  private static String asOf(SparkSession spark, TableCatalog catalog) {
    return DeltaIO.read(spark, catalog.path(RunLog.TABLE)).agg(org.apache.spark.sql.functions.max(RunLog.AS_OF_DATE))
        .first().getDate(0).toString();
  }

  private static org.apache.spark.sql.Dataset<Row> silver(SparkSession spark, TableCatalog catalog, String source) {
    TableSpec t = TableCatalog.SILVER.stream().filter(s -> s.name().equals(source)).findFirst().orElseThrow();
    return DeltaIO.read(spark, catalog.path(t));
  }

}
