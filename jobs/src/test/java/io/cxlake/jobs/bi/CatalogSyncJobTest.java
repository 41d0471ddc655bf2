package io.cxlake.jobs.bi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** catalog sync writes Trino's file metastore: tables by location, _latest views, idempotent. */
@ExtendWith(SparkExtension.class)
class CatalogSyncJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void registersWhatExistsOnceAndAddsNewTablesOnTheNextRun(SparkSession spark, @TempDir Path warehouse)
      throws Exception {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    CatalogConfig config = new CatalogConfig(catalog, warehouse.resolve("metastore").toString(), Optional.empty(),
        "cxlake");
    DeltaIO.ensureTable(spark, Customer360.TABLE, catalog.path(Customer360.TABLE));

    RunStats first = CatalogSyncJob.run(spark, config);
    Path metastore = warehouse.resolve("metastore");
    assertThat(metastore.resolve(".gold.trinoSchema")).as("schema gold").isRegularFile();
    JsonNode table = JSON.readTree(metastore.resolve("gold/customer_360/.trinoSchema").toFile());
    assertThat(table.get("externalLocation").asText()).as("registered by its location")
        .isEqualTo("file://" + catalog.path(Customer360.TABLE));
    assertThat(table.get("parameters").get("spark.sql.sources.provider").asText()).isEqualTo("DELTA");
    assertThat(table.get("writerVersion").asText()).as("the Trino version served").isEqualTo("476");

    JsonNode view = JSON.readTree(metastore.resolve("gold/customer_360_latest/.trinoSchema").toFile());
    assertThat(view.get("tableType").asText()).isEqualTo("VIRTUAL_VIEW");
    String text = view.get("viewOriginalText").asText();
    JsonNode definition = JSON.readTree(new String(Base64.getDecoder().decode(
        text.substring("/* Presto View: ".length(), text.length() - " */".length())), StandardCharsets.UTF_8));
    assertThat(definition.get("originalSql").asText()).as("the newest as-of date only")
        .isEqualTo("SELECT * FROM gold.customer_360 WHERE as_of_date = (SELECT max(as_of_date) FROM gold.customer_360)");
    assertThat(definition.get("columns")).as("one column per table column").hasSize(Customer360.TABLE.columns().size());
    assertThat(columnType(definition, Customer360.CATEGORY_SHARES)).isEqualTo("map(varchar, double)");
    assertThat(columnType(definition, Customer360.LAST_ORDER_TS)).isEqualTo("timestamp(3) with time zone");
    assertThat(first.details()).as("one table and its view").containsEntry("tables", "1").containsEntry("views", "1");

    long modified = Files.getLastModifiedTime(metastore.resolve("gold/customer_360/.trinoSchema")).toMillis();
    RunStats again = CatalogSyncJob.run(spark, config);
    assertThat(again.rowsOut()).as("a rerun changes nothing").isZero();
    assertThat(Files.getLastModifiedTime(metastore.resolve("gold/customer_360/.trinoSchema")).toMillis())
        .as("the file is not rewritten").isEqualTo(modified);

    DeltaIO.ensureTable(spark, Transactions.TABLE, catalog.path(Transactions.TABLE));
    RunStats later = CatalogSyncJob.run(spark, config);
    assertThat(later.rowsOut()).as("the silver schema and its first table").isEqualTo(2);
    assertThat(metastore.resolve("silver/transactions/.trinoSchema")).isRegularFile();
    assertThat(metastore.resolve("silver/transactions_latest")).as("silver tables are no snapshots").doesNotExist();
  }

  private static String columnType(JsonNode definition, String column) {
    for (JsonNode c : definition.get("columns")) {
      if (c.get("name").asText().equals(column)) {
        return c.get("type").asText();
      }
    }
    throw new AssertionError("no column " + column);
  }
}
