package io.cxlake.jobs.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.privacy.Pseudonyms;
import io.cxlake.common.privacy.Suppressions;
import io.cxlake.common.quality.ContractValidation;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.Suppression;
import io.cxlake.common.schema.Suppression.KeyType;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.WebEvents;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * The {@code erase} job: the right to erasure. Deletes the given customers from every silver and
 * gold table with a customer column (every as-of partition), from the quarantine (by their id and by
 * the keyed hashes of their e-mail and phone), and from the exported action files; adds their keyed
 * hashes to the {@code suppression} list, which ingest applies, so the next load of an unchanged
 * landing zone does not bring them back. With {@code vacuum}, Delta VACUUM then removes the data
 * files of every table that may hold customers once they are older than the retention; a retention
 * of 0 hours also drops those tables' Delta history, whose commit files keep per-file min/max
 * statistics of columns (a customer id, an e-mail) for {@code delta.logRetentionDuration}.
 *
 * <p>The suppression list is written first, so an erase that dies half-way still keeps the customers
 * out of the next ingest, and a rerun finishes the deletes. Nothing logged or returned names a
 * customer: the run log gets counts per table.
 */
public final class EraseJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "erase";
  private static final String ID = "_erase_id";
  private static final String LOWER_ID = "_erase_lower_id";
  private static final String NEEDLE = "_erase_needle";
  /** The columns that name a customer in any table: the id, and web events' stitched id. */
  private static final List<String> CUSTOMER_COLUMNS = List.of(WebEvents.CUSTOMER_ID, WebEvents.RESOLVED_CUSTOMER_ID);
  private static final String OLD_SUFFIX = "._erase_old";

  private EraseJob() {}

  /** Erases the customers and returns the run-log stats: rows deleted per table, keys added. */
  public static RunStats run(SparkSession spark, EraseConfig config, String runId) {
    TableCatalog catalog = config.catalog();
    restoreInterrupted(spark, catalog);
    Progress progress = Progress.of(NAME);
    Instant started = Instant.now();
    Dataset<Row> ids = spark.createDataset(config.customerIds(), Encoders.STRING()).toDF(ID);
    progress.phase("deriving the keys of " + config.customerIds().size() + " customers");
    // Everything that identifies the customers is derived (and kept) before their rows go, from every
    // version of their profile: an e-mail they changed is theirs too.
    Dataset<Row> profiles = silver(spark, catalog, Customers.CONTRACT.name())
        .join(ids, col(Customers.CUSTOMER_ID).equalTo(col(ID)), "left_semi")
        .select(Customers.CUSTOMER_ID, Customers.EMAIL, Customers.PHONE)
        .localCheckpoint();
    long found = profiles.select(Customers.CUSTOMER_ID).distinct().count();
    Dataset<Row> anonymous = silver(spark, catalog, WebEvents.CONTRACT.name())
        .join(ids, col(WebEvents.CUSTOMER_ID).equalTo(col(ID)).or(col(WebEvents.RESOLVED_CUSTOMER_ID).equalTo(col(ID))),
            "left_semi")
        .select(WebEvents.ANONYMOUS_ID).distinct().localCheckpoint();
    Dataset<Row> keys = Suppressions.keys(ids, KeyType.CUSTOMER_ID, ID, config.secret())
        .union(Suppressions.keys(profiles, KeyType.EMAIL, Customers.EMAIL, config.secret()))
        .union(Suppressions.keys(profiles, KeyType.PHONE, Customers.PHONE, config.secret()))
        .union(Suppressions.keys(anonymous, KeyType.ANONYMOUS_ID, WebEvents.ANONYMOUS_ID, config.secret()))
        .distinct();
    Dataset<Row> needles = quarantineNeedles(ids, profiles, anonymous, config.secret()).localCheckpoint();
    Set<String> exportKeys = new HashSet<>(ids.select(Pseudonyms.hmac(col(ID), config.secret()))
        .as(Encoders.STRING()).collectAsList());

    Map<String, String> details = new LinkedHashMap<>();
    details.put("customers_requested", String.valueOf(config.customerIds().size()));
    details.put("customers_found", String.valueOf(found));
    long added = addToSuppression(spark, catalog, keys, runId, started);
    details.put("suppression.keys_added", String.valueOf(added));

    long deleted = 0;
    List<TableSpec> erasable = new ArrayList<>();
    int touched = 0;
    for (TableSpec table : TableCatalog.all()) {
      String path = catalog.path(table);
      boolean quarantine = table.equals(Quarantine.TABLE);
      if (table.equals(Suppression.TABLE) || !DeltaIO.exists(spark, path)
          || (!quarantine && customerColumns(table).isEmpty())) {
        continue;
      }
      progress.phase("deleting from " + table.name());
      long n = quarantine ? deleteFromQuarantine(spark, path, needles)
          : mergeDelete(spark, path, ids, customerColumns(table).stream().map(c -> col("t." + c).equalTo(col("s." + ID)))
              .reduce(Column::or).orElseThrow());
      details.put(table.name() + ".rows_deleted", String.valueOf(n));
      deleted += n;
      erasable.add(table);
      touched += n > 0 ? 1 : 0;
    }
    progress.phase("removing their lines from the exported actions");
    long exportFiles = scrubExports(spark, catalog, exportKeys);
    details.put("exports.files_rewritten", String.valueOf(exportFiles));

    if (config.vacuum()) {
      // Every table that may hold customers, not only today's: an earlier erase without --vacuum
      // left old files behind too.
      progress.phase("vacuuming " + erasable.size() + " tables (retention " + config.retentionHours() + " h)");
      if (config.retentionHours() == 0) {
        erasable.forEach(table -> dropHistory(spark, table, catalog.path(table)));
      } else {
        DeltaIO.vacuum(spark, erasable.stream().map(catalog::path).toList(), config.retentionHours());
      }
      details.put("vacuum.retention_hours", String.valueOf(config.retentionHours()));
      details.put("vacuum.tables", String.valueOf(erasable.size()));
    }
    return new RunStats(config.customerIds().size(), deleted, 0, details).withFinding(String.format(Locale.ROOT,
        "erased %,d customers (%,d found in customers): deleted %,d rows from %,d tables, %,d export files "
            + "rewritten, %,d keys added to the suppression list%s", config.customerIds().size(), found, deleted,
        touched, exportFiles, added, !config.vacuum() ? "; old versions stay until VACUUM (--vacuum)"
            : config.retentionHours() == 0 ? "; files vacuumed and table history dropped"
            : "; files older than " + config.retentionHours() + " h vacuumed"));
  }

  private static List<String> customerColumns(TableSpec table) {
    return CUSTOMER_COLUMNS.stream().filter(table.columns()::contains).toList();
  }

  private static Dataset<Row> silver(SparkSession spark, TableCatalog catalog, String source) {
    TableSpec table = TableCatalog.SILVER.stream().filter(t -> t.name().equals(source)).findFirst().orElseThrow();
    return DeltaIO.readOrEmpty(spark, table, catalog.path(table));
  }

  /**
   * What marks a quarantined row as theirs, lower-case: the id and their anonymous web ids as JSON
   * string values ({@code "c42"}), the masked e-mail and phone ({@code hmac:...}), and the e-mail and
   * phone in clear, which rows quarantined before masking covered every field may still hold.
   */
  private static Dataset<Row> quarantineNeedles(Dataset<Row> ids, Dataset<Row> profiles, Dataset<Row> anonymous,
      String secret) {
    Column lowerId = lower(trim(col(ID)));
    Column lowerAnonymous = lower(trim(col(WebEvents.ANONYMOUS_ID)));
    List<Dataset<Row>> parts = new ArrayList<>(List.of(
        ids.select(lowerId.as(LOWER_ID), concat(lit("\""), lowerId, lit("\"")).as(NEEDLE)),
        anonymous.filter(lowerAnonymous.notEqual("")).select(lit(null).cast("string").as(LOWER_ID),
            concat(lit("\""), lowerAnonymous, lit("\"")).as(NEEDLE))));
    for (String pii : List.of(Customers.EMAIL, Customers.PHONE)) {
      Dataset<Row> present = profiles.filter(col(pii).isNotNull().and(trim(col(pii)).notEqual("")));
      parts.add(present.select(lit(null).cast("string").as(LOWER_ID),
          lower(ContractValidation.maskPii(col(pii), secret)).as(NEEDLE)));
      parts.add(present.select(lit(null).cast("string").as(LOWER_ID), lower(trim(col(pii))).as(NEEDLE)));
    }
    return parts.stream().reduce(Dataset::union).orElseThrow();
  }

  private static long addToSuppression(SparkSession spark, TableCatalog catalog, Dataset<Row> keys, String runId,
      Instant started) {
    String path = catalog.path(Suppression.TABLE);
    DeltaIO.ensureTable(spark, Suppression.TABLE, path);
    // Only new keys: a rerun adds nothing and keeps the first erasure's time.
    Dataset<Row> fresh = keys.join(DeltaIO.read(spark, path).select(Suppression.KEY_TYPE, Suppression.KEY_HASH),
            new String[] {Suppression.KEY_TYPE, Suppression.KEY_HASH}, "left_anti")
        .withColumn(Suppression.ERASED_AT, lit(Timestamp.from(started)))
        .withColumn(Suppression.RUN_ID, lit(runId))
        .localCheckpoint();
    long n = fresh.count();
    if (n > 0) {
      DeltaIO.append(spark, fresh, Suppression.TABLE, path);
    }
    return n;
  }

  private static long deleteFromQuarantine(SparkSession spark, String path, Dataset<Row> needles) {
    Column byKey = col("t." + Quarantine.SOURCE).equalTo(Customers.CONTRACT.name())
        .and(lower(trim(col("t." + Quarantine.RECORD_KEY))).equalTo(col("s." + LOWER_ID)));
    Column inRecord = instr(lower(col("t." + Quarantine.RAW_RECORD)), col("s." + NEEDLE)).gt(0);
    // An unconditional delete is the one merge that may match a row from several needles.
    return mergeDelete(spark, path, needles, byKey.or(inRecord));
  }

  /** Deletes the target rows ({@code t}) that match a source row ({@code s}); returns how many. */
  private static long mergeDelete(SparkSession spark, String path, Dataset<Row> source, Column condition) {
    long before = DeltaIO.version(spark, path);
    DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), condition).whenMatched().delete().execute();
    return DeltaIO.version(spark, path) == before ? 0 : DeltaIO.lastCommitMetric(spark, path, "numTargetRowsDeleted");
  }

  /**
   * Removes every line that holds an erased customer's export key from the files under
   * {@code <warehouse>/exports}; returns how many files were rewritten. Export files are one day of
   * one channel each, so they are streamed line by line on the driver.
   */
  private static long scrubExports(SparkSession spark, TableCatalog catalog, Set<String> keys) {
    Path root = new Path(catalog.root() + "/exports");
    long rewritten = 0;
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return 0;
      }
      List<Path> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        if (!p.getName().startsWith(".") && !p.getName().startsWith("_")) {
          files.add(p);
        }
      }
      for (Path file : files) {
        if (scrub(fs, file, keys)) {
          rewritten++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot erase from the exports: " + e.getMessage() + " (" + root + ")", e);
    }
    return rewritten;
  }

  private static boolean scrub(FileSystem fs, Path file, Set<String> keys) throws IOException {
    Path fresh = new Path(file.getParent(), "_" + file.getName() + ".erase");
    boolean changed = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(fs.create(fresh, true), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String l = line;
        if (keys.stream().anyMatch(l::contains)) {
          changed = true;
        } else {
          out.write(line);
          out.write('\n');
        }
      }
    }
    if (changed) {
      fs.delete(file, false);
      fs.rename(fresh, file);
    } else {
      fs.delete(fresh, false);
    }
    return changed;
  }

  /** Puts back a table whose history rewrite was killed between its two renames. */
  private static void restoreInterrupted(SparkSession spark, TableCatalog catalog) {
    for (TableSpec table : TableCatalog.all()) {
      Path current = new Path(catalog.path(table));
      Path old = new Path(catalog.path(table) + OLD_SUFFIX);
      try {
        FileSystem fs = current.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(current) && fs.exists(old) && !fs.rename(old, current)) {
          throw new IOException("rename failed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot restore " + table.name() + " after an interrupted erase: "
            + e.getMessage() + " (" + old + ")", e);
      }
    }
  }

  /**
   * Rewrites a table as a new Delta table holding its current rows only, then swaps the folders:
   * the old commit files, checkpoints and statistics go with the old folder. A run killed between
   * the two renames leaves the old folder aside, and the next erase puts it back first
   * ({@link #restoreInterrupted}).
   */
  private static void dropHistory(SparkSession spark, TableSpec table, String path) {
    Path current = new Path(path);
    Path fresh = new Path(path + "._erase_rewrite");
    Path old = new Path(path + OLD_SUFFIX);
    try {
      FileSystem fs = current.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(fresh, true);
      fs.delete(old, true);
      DeltaIO.ensureTable(spark, table, fresh.toString());
      DeltaIO.append(spark, DeltaIO.read(spark, path), table, fresh.toString());
      if (!fs.rename(current, old) || !fs.rename(fresh, current)) {
        throw new IOException("rename failed");
      }
      fs.delete(old, true);
      // The session's cached log of the path describes the old folder's versions.
      DeltaLog.clearCache();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot drop the history of " + table.name() + ": " + e.getMessage()
          + " (" + path + ")", e);
    }
  }
}
