package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake ingest}. */
@Command(name = IngestJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Validate every landing source against the input contract, upsert clean rows into silver Delta tables,",
        "quarantine broken rows with a reason, and reconcile rows_in = rows_loaded + rows_quarantined.",
        "Column names, formats and timestamp patterns of each source are configurable (sources.*).",
        "A source whose files and dependencies are unchanged since its last read is not read again",
        "(ingested_files); --full-refresh reads every source."})
final class IngestCommand extends JobCommand {
  @Option(names = "--full-refresh",
      description = "Read every source again, even one whose landing files, settings, suppression list, customers "
          + "and silver table are unchanged since its last read.")
  boolean fullRefresh;

  @Override
  String jobName() {
    return IngestJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return IngestJob.run(spark, IngestConfig.from(common.config(), common.landing(), catalog, asOf)
        .withFullRefresh(fullRefresh), runId);
  }
}
