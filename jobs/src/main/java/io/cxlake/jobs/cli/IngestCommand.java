package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake ingest}. */
@Command(name = IngestJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Validate every landing source against the input contract, upsert clean rows into silver Delta tables,",
        "quarantine broken rows with a reason, and reconcile rows_in = rows_loaded + rows_quarantined.",
        "Column names, formats and timestamp patterns of each source are configurable (sources.*)."})
final class IngestCommand extends JobCommand {
  @Override
  String jobName() {
    return IngestJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return IngestJob.run(spark, IngestConfig.from(common.config(), common.landing(), catalog, asOf), runId);
  }
}
