package io.cxlake.jobs.kpis;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CxKpis;
import java.util.Map;
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
    FeatureInputs inputs = FeatureInputs.read(new JobInputs(spark, catalog, "compute KPIs"));
    String path = catalog.path(CxKpis.TABLE);
    DeltaIO.replacePartition(spark, KpiMetrics.build(inputs, config), CxKpis.TABLE, path, CxKpis.AS_OF_DATE,
        config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    return new RunStats(written, written, 0, Map.of("table", path));
  }
}
