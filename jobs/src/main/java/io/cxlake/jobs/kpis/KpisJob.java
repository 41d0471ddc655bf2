package io.cxlake.jobs.kpis;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CxKpis;
import java.util.List;
import java.util.Map;
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
    FeatureInputs inputs = FeatureInputs.read(new JobInputs(spark, catalog, "compute KPIs")).at(config.asOf());
    String path = catalog.path(CxKpis.TABLE);
    DeltaIO.replacePartition(spark, KpiMetrics.build(inputs, config), CxKpis.TABLE, path, CxKpis.AS_OF_DATE,
        config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    List<Row> nps = DeltaIO.read(spark, path).filter(col(CxKpis.AS_OF_DATE).equalTo(config.asOf().dateLit())
            .and(col(CxKpis.METRIC).equalTo(CxKpis.NPS)).and(col(CxKpis.PERIOD_GRAIN).equalTo("month"))
            .and(col(CxKpis.DIMENSION).equalTo(CxKpis.ALL)).and(col(CxKpis.PERIOD_COMPLETE)))
        .orderBy(col(CxKpis.PERIOD_START).desc()).limit(1).select(CxKpis.PERIOD_START, CxKpis.VALUE).collectAsList();
    return new RunStats(written, written, 0, Map.of("table", path)).withFinding(nps.isEmpty() || nps.get(0).isNullAt(1)
        ? String.format(java.util.Locale.ROOT, "%,d KPI rows; no complete month of NPS yet", written)
        : String.format(java.util.Locale.ROOT, "%,d KPI rows; NPS %.1f in the month of %s", written,
            nps.get(0).getDouble(1), nps.get(0).getDate(0)));
  }
}
