package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.bi.CatalogConfig;
import io.cxlake.jobs.bi.CatalogSyncJob;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cxlake catalog sync}. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = {
        "catalog sync: register every silver and gold table of the warehouse, by its location, in a metastore",
        "other engines read, with a <table>_latest view of the newest as-of date of every snapshot table.",
        "By default it writes the file metastore that 'cxlake serve' reads (catalog.metastore-dir, default",
        "<warehouse>/metastore); with catalog.trino-url it registers through a running Trino in its own metastore",
        "(Hive Metastore, AWS Glue): docs/bi.md. A rerun changes nothing. --as-of only dates the run_log row."})
final class CatalogCommand extends JobCommand {
  /** What the command does; {@code sync} is the one action. */
  enum Action {
    sync
  }

  @Parameters(index = "0", paramLabel = "ACTION", description = "sync")
  Action action;

  @Override
  String jobName() {
    return CatalogSyncJob.NAME;
  }

  /** Registration does not depend on a date; the run log records today when none is given. */
  @Override
  AsOf asOf() {
    return common.asOf == null ? new AsOf(LocalDate.now(ZoneOffset.UTC)) : AsOf.parse(common.asOf);
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return CatalogSyncJob.run(spark, CatalogConfig.from(common.config(), catalog));
  }
}
