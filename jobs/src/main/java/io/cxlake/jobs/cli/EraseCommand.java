package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.erase.EraseConfig;
import io.cxlake.jobs.erase.EraseJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake erase}: the right to erasure (docs/privacy.md). */
@Command(name = EraseJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Erase customers: delete them from every silver and gold table and every as-of date, from the quarantine",
        "and the exported actions, and add their keyed hashes to the suppression list that ingest applies, so the",
        "next ingest of the same landing zone does not bring them back. --vacuum also removes the files that",
        "still hold them (privacy.vacuum-retention-hours; 0 removes them now and drops the tables' history).",
        "The run log records counts per table, never the ids."})
final class EraseCommand extends JobCommand {
  @Option(names = "--customer-id", paramLabel = "ID", arity = "1..*",
      description = "Customers to erase (customer_id); repeatable.")
  List<String> customerIds = new ArrayList<>();

  @Option(names = "--ids-file", paramLabel = "FILE",
      description = "A file of customer ids, one per line (blank lines and lines starting with # ignored).")
  Path idsFile;

  @Option(names = "--vacuum", description = "VACUUM the tables erased from (see privacy.vacuum-retention-hours).")
  boolean vacuum;

  @Override
  String jobName() {
    return EraseJob.NAME;
  }

  /** An erasure is not point-in-time: it is logged under today (UTC) unless --as-of says otherwise. */
  @Override
  AsOf asOf() {
    return common.asOf == null ? new AsOf(LocalDate.now(ZoneOffset.UTC)) : common.requiredAsOf(jobName());
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) throws IOException {
    List<String> ids = new ArrayList<>(customerIds);
    if (idsFile != null) {
      if (!Files.isRegularFile(idsFile)) {
        throw new IllegalArgumentException("Cannot erase: --ids-file does not exist (" + idsFile + ")");
      }
      Files.readAllLines(idsFile, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(ids::add);
    }
    return EraseJob.run(spark, new EraseConfig(catalog, ids, vacuum,
        common.config().getInt("privacy.vacuum-retention-hours"), PrivacySecret.from(common.config())), runId);
  }
}
