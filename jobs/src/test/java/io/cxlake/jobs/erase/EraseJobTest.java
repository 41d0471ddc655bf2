package io.cxlake.jobs.erase;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.Suppression;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.ingest.LandingFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure over the ingest fixture: customer C1 has a customer row (and a duplicate), orders, a
 * ticket, surveys, web events (one anonymous, stitched to C1) and quarantined rows of each source.
 */
@ExtendWith(SparkExtension.class)
class EraseJobTest {
  private static final AsOf AS_OF = AsOf.parse("2026-11-22");
  /** C1 (as a whole token: not C10) or its contacts. */
  private static final Pattern C1 = WarehouseScan.anyOf(List.of("C1", "c1@example.com", "+49 1"));

  private static CxConfig conf() {
    return CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-12-31T00:00:00Z",
        "ingest.max-quarantine-share", "1"));
  }

  private static RunStats ingest(SparkSession spark, Path landing, TableCatalog catalog) {
    return IngestJob.run(spark, IngestConfig.from(conf(), landing.toString(), catalog, AS_OF), "run-ingest");
  }

  private static RunStats erase(SparkSession spark, TableCatalog catalog, boolean vacuum) {
    return EraseJob.run(spark, new EraseConfig(catalog, List.of("C1", " C1 "), vacuum, 0, PrivacySecret.from(conf())),
        "run-erase");
  }

  @Test
  void anErasedCustomerLeavesEveryTableStaysOutOfTheNextIngestAndVacuumLeavesNoFile(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    ingest(spark, landing, catalog);
    assertThat(WarehouseScan.tablesMentioning(spark, catalog, C1)).as("the fixture has C1 in every source")
        .hasSizeGreaterThanOrEqualTo(6);

    RunStats erased = erase(spark, catalog, false);
    assertThat(WarehouseScan.tablesMentioning(spark, catalog, C1)).as("no row of any table mentions C1 or its contacts")
        .isEmpty();
    assertThat(erased.details()).as("counts per table, never the ids")
        .containsEntry("customers_requested", "1").containsEntry("customers_found", "1")
        .containsEntry("customers.rows_deleted", "1").containsEntry("transactions.rows_deleted", "2")
        .containsEntry("web_events.rows_deleted", "2").containsEntry("suppression.keys_added", "4")
        .doesNotContainValue("C1");
    assertThat(erased.details().get("quarantine.rows_deleted"))
        .as("C1's duplicate customer and order line, ticket, survey, and the event of its anonymous id").isEqualTo("5");
    assertThat(DeltaIO.read(spark, catalog.path(Suppression.TABLE)).collectAsList())
        .extracting(r -> r.<String>getAs(Suppression.KEY_TYPE))
        .containsExactlyInAnyOrder("customer_id", "email", "phone", "anonymous_id");
    assertThat(DeltaIO.read(spark, catalog.path(Suppression.TABLE)).toJSON().collectAsList())
        .as("keyed hashes only").noneMatch(json -> C1.matcher(json).find());

    RunStats again = ingest(spark, landing, catalog);
    assertThat(WarehouseScan.tablesMentioning(spark, catalog, C1)).as("the unchanged landing zone does not bring C1 back")
        .isEmpty();
    assertThat(again.details()).as("dropped rows are counted, and counts reconcile")
        .containsEntry("customers.rows_suppressed", "2").containsEntry("transactions.rows_suppressed", "3")
        .containsEntry("web_events.rows_suppressed", "3").containsEntry("surveys.rows_suppressed", "2")
        .containsEntry("customers.rows_loaded", "1");
    assertThat(again.rowsIn()).isEqualTo(again.rowsOut() + again.rowsQuarantined()
        + again.details().entrySet().stream().filter(e -> e.getKey().endsWith(".rows_suppressed"))
            .mapToLong(e -> Long.parseLong(e.getValue())).sum());

    // Until VACUUM, the files of earlier versions still hold C1 (time travel sees them).
    assertThat(WarehouseScan.filesMentioning(spark, warehouse, C1)).as("old versions before --vacuum").isNotEmpty();
    assertThat(erase(spark, catalog, true).details()).as("a rerun, with --vacuum: nothing left to delete")
        .containsEntry("suppression.keys_added", "0").containsEntry("customers.rows_deleted", "0");
    assertThat(WarehouseScan.filesMentioning(spark, warehouse, C1))
        .as("no data file, commit, checkpoint or statistic of any version holds C1").isEmpty();
    assertThat(DeltaIO.read(spark, catalog.path(Quarantine.TABLE)).count()).as("other rows kept").isPositive();
    List<Row> history = io.delta.tables.DeltaTable.forPath(spark, catalog.path(Quarantine.TABLE)).history()
        .select(col("version")).collectAsList();
    assertThat(history).as("the rewritten table starts a new history").hasSizeLessThanOrEqualTo(2);
  }
}
