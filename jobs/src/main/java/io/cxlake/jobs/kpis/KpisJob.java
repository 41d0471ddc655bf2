package io.cxlake.jobs.kpis;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code kpis} job: CX KPIs per day, week and month (surveys, support, sales, web) from data
 * before the end of the as-of day, written in long format to the {@code cx_kpis} partition of that
 * date (a rerun replaces it). Needs the silver transactions from {@code ingest}; the other
 * sources are optional and their metrics are simply absent without them.
 */
public final class KpisJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "kpis";

  private KpisJob() {}

  /** Reads the silver tables, computes the KPIs and writes them. */
  public static RunStats run(SparkSession spark, KpisConfig config) {
    TableCatalog catalog = config.catalog();
    KpiInputs inputs = new KpiInputs(
        DeltaIO.readRequired(spark, Transactions.TABLE, catalog.path(Transactions.TABLE), "compute KPIs", "ingest"),
        silver(spark, catalog, SupportTickets.TABLE),
        silver(spark, catalog, WebEvents.TABLE),
        silver(spark, catalog, Surveys.TABLE));
    String path = catalog.path(CxKpis.TABLE);
    DeltaIO.replacePartition(spark, KpiMetrics.build(inputs, config), CxKpis.TABLE, path, CxKpis.AS_OF_DATE,
        config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    return new RunStats(written, written, 0, Map.of("table", path));
  }

  private static Dataset<Row> silver(SparkSession spark, TableCatalog catalog, TableSpec table) {
    return DeltaIO.readOrEmpty(spark, table, catalog.path(table));
  }
}
