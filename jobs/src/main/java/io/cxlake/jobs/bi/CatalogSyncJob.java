package io.cxlake.jobs.bi;

import io.cxlake.common.runlog.RunTracker.RunStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code catalog sync} job: registers every silver and gold table of the warehouse, by its
 * location, in a metastore other engines read, with {@code <table>_latest} views of the snapshot
 * tables ({@link CatalogEntries}). By default it writes the file metastore that {@code serve}'s
 * Trino reads; with {@code catalog.trino-url} it registers through a running Trino in that Trino's
 * own metastore (a Hive Metastore, AWS Glue). Idempotent: a rerun changes nothing, and a table
 * written for the first time since the last run is added.
 */
public final class CatalogSyncJob {
  /** Job name in the run log; the command is {@code catalog sync}. */
  public static final String NAME = "catalog-sync";

  private CatalogSyncJob() {}

  /** Finds the tables, registers them and their views. */
  public static RunStats run(SparkSession spark, CatalogConfig config) {
    CatalogEntries.Entries entries = CatalogEntries.of(spark, config.catalog());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("tables", String.valueOf(entries.tables().size()));
    details.put("views", String.valueOf(entries.views().size()));
    long changed;
    if (config.trinoUrl().isPresent()) {
      TrinoRegistrar.Changes changes = TrinoRegistrar.register(config.trinoUrl().get(), config.trinoUser(), entries);
      details.put("target", config.trinoUrl().get());
      details.put("registered", String.join(",", changes.registered()));
      changed = changes.registered().size() + changes.views();
    } else {
      FileMetastore.Changes changes = new FileMetastore(config.metastoreDir(),
          spark.sparkContext().hadoopConfiguration()).write(entries);
      details.put("target", config.metastoreDir());
      details.put("unchanged", String.valueOf(changes.unchanged()));
      changed = changes.written().size();
    }
    details.put("changed", String.valueOf(changed));
    return new RunStats(entries.tables().size() + entries.views().size(), changed, 0, details)
        .withFinding(String.format(java.util.Locale.ROOT, "%d tables and %d _latest views registered in %s (%d changed)",
            entries.tables().size(), entries.views().size(), details.get("target"), changed));
  }
}
