package io.cxlake.common.delta;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.spark.Concurrently;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Delta Lake reads and writes in the three shapes jobs need: replace one as-of partition
 * (idempotent snapshots), merge by key (silver upserts) and append (run log). Every write first
 * creates the table from its {@link TableSpec}, so table and column comments are in the log from
 * the first commit, and conforms the data to the spec's column order and types.
 */
public final class DeltaIO {
  /** Delta's log directory inside a table's directory. */
  private static final String DELTA_LOG = "_delta_log";
  /** Prefix of the merge-key columns of a versioned merge. */
  private static final String MERGE_KEY = "_merge_";
  /** A versioned merge's load row replaces a current version (else its key is new). */
  private static final String REPLACES = "_replaces";
  /** When a load row's values took effect, as the caller says. */
  private static final String EFFECTIVE = "_effective";
  /** When a changed row's new version starts and the version it replaces ends. */
  private static final String CHANGED_AT = "_changed_at";
  /** True on the copy of a load row that meets the key's current version, false on its new version. */
  private static final String MATCH_COPY = "_match_copy";

  private DeltaIO() {}

  /** Whether a Delta table exists at the path. */
  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /** The table's latest version, or -1 when there is no table. */
  public static long version(SparkSession spark, String path) {
    return exists(spark, path) ? DeltaTable.forPath(spark, path).history(1).first().<Long>getAs("version") : -1;
  }

  /** Operations that rewrite or remove files without changing what the table reads. */
  private static final List<String> LAYOUT_OPERATIONS = List.of("OPTIMIZE", "VACUUM START", "VACUUM END");

  /**
   * The version of the table's last commit that changed its data (compaction and VACUUM do not), or
   * -1 when there is no table: whether anyone wrote since, unmoved by maintenance.
   */
  public static long dataVersion(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      return -1;
    }
    Row last = DeltaTable.forPath(spark, path).history().filter(col("operation").isin(LAYOUT_OPERATIONS.toArray())
        .unary_$bang()).agg(functions.max("version")).first();
    return last.isNullAt(0) ? -1 : last.getLong(0);
  }

  /** Reads a Delta table. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().format("delta").load(path);
  }

  /**
   * Reads a table a job cannot run without, failing with what to run first when it is missing.
   *
   * @param action what the job was doing, for the message ("build customer_360")
   * @param producer the command that writes the table ("ingest")
   */
  public static Dataset<Row> readRequired(SparkSession spark, TableSpec table, String path, String action,
      String producer) {
    if (!exists(spark, path)) {
      throw new IllegalStateException("Cannot " + action + ": " + table.layer().folder() + " " + table.name()
          + " do not exist, run " + producer + " first (" + path + ")");
    }
    return read(spark, path);
  }

  /**
   * Reads a Delta table, or an empty frame of its schema when it does not exist: an optional
   * source that the landing zone never had reads as empty, so features from it are 0 or null.
   */
  public static Dataset<Row> readOrEmpty(SparkSession spark, TableSpec table, String path) {
    if (exists(spark, path)) {
      return read(spark, path);
    }
    return spark.createDataFrame(List.of(), table.schema());
  }

  /** Creates the table with its comments and partitioning if it does not exist yet. */
  public static void ensureTable(SparkSession spark, TableSpec table, String path) {
    if (exists(spark, path)) {
      return;
    }
    List<String> entries = entries(spark, path);
    if (entries.equals(List.of(DELTA_LOG))) {
      createOverLeftovers(spark, table, path);
      return;
    }
    if (!entries.isEmpty()) {
      // Not a table of ours: creating one here would hide these files, and VACUUM would delete them.
      throw new IllegalStateException("Cannot create table " + table.name() + ": its directory holds files but no "
          + "Delta table (" + path + ": " + String.join(", ", entries.subList(0, Math.min(3, entries.size())))
          + (entries.size() > 3 ? ", ..." : "") + ")");
    }
    DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).comment(table.comment());
    for (StructField f : table.schema().fields()) {
      builder = builder.addColumn(f);
    }
    if (!table.partitionColumns().isEmpty()) {
      builder = builder.partitionedBy(table.partitionColumns().toArray(String[]::new));
    }
    builder.execute();
  }

  /**
   * Selects the table's columns in order, cast to its types; fails naming the first missing column
   * so a job bug never writes a half-empty table. Only a silver table's
   * {@link SilverHistory#OPTIONAL} columns may be missing, and are null.
   */
  public static Dataset<Row> conform(Dataset<Row> data, TableSpec table) {
    List<String> present = Arrays.asList(data.columns());
    Column[] cols = new Column[table.schema().fields().length];
    int i = 0;
    for (StructField f : table.schema().fields()) {
      if (!present.contains(f.name()) && table.layer() == TableSpec.Layer.SILVER
          && SilverHistory.OPTIONAL.contains(f.name())) {
        cols[i++] = lit(null).cast(f.dataType()).as(f.name());
        continue;
      }
      if (!present.contains(f.name())) {
        throw new IllegalStateException(
            "Cannot write " + table.name() + ": column is missing from the result (" + f.name() + ")");
      }
      cols[i++] = col(f.name()).cast(f.dataType()).as(f.name());
    }
    return data.select(cols);
  }

  /**
   * Replaces the rows of one as-of date and leaves every other date untouched: a rerun for the
   * same date yields the same table, never duplicates.
   */
  public static void replacePartition(
      SparkSession spark, Dataset<Row> data, TableSpec table, String path, String dateColumn, LocalDate date) {
    replaceWhere(spark, data, table, path, dateColumn + " = DATE'" + date + "'");
  }

  /**
   * Replaces the rows matching a SQL predicate with the data (which must all match it): the
   * idempotent write of a slice, such as one source's quarantine of one as-of date.
   */
  public static void replaceWhere(
      SparkSession spark, Dataset<Row> data, TableSpec table, String path, String predicate) {
    ensureTable(spark, table, path);
    conform(data, table)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        // A table written by an earlier release gains the columns added since (nullable, at the end).
        .option("mergeSchema", "true")
        .save(path);
  }

  /**
   * A numeric metric of the table's latest commit, e.g. {@code numOutputRows} of a write: the row
   * count of an output without a second pass over the data.
   */
  public static long lastCommitMetric(SparkSession spark, String path, String metric) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
    java.util.Map<String, String> metrics = last.getJavaMap(0);
    String value = metrics == null ? null : metrics.get(metric);
    String added = metrics == null ? null : metrics.getOrDefault("numFiles", metrics.get("numAddedFiles"));
    if (value == null && (added == null || "0".equals(added))) {
      // A write of no rows (an as-of before any data) adds no file and may record no metric at all.
      return 0;
    }
    if (value == null) {
      throw new IllegalStateException("Cannot read commit metric: the latest commit has no " + metric + " (" + path + ")");
    }
    return Long.parseLong(value);
  }

  /** Delta's default minimum VACUUM retention: below it, its safety check has to be turned off. */
  private static final int MIN_SAFE_RETENTION_HOURS = 168;
  private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  private static final String RETENTION_IGNORED = "spark.databricks.delta.vacuum.retentionWindowIgnore.enabled";
  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /**
   * VACUUMs tables, two at a time: removes the files no version of the last {@code retentionHours}
   * hours reads, and returns how many files each lost, in the order of the paths (-1 where Delta did
   * not log the VACUUM, as on s3a). Delta refuses less
   * than {@value #MIN_SAFE_RETENTION_HOURS} hours unless its check is off, which this call does for
   * its own VACUUMs only (so a reader older than that may lose its files). Synchronized because the
   * settings it changes belong to the whole session: two callers at once would restore each other's.
   */
  public static synchronized List<Long> vacuum(SparkSession spark, List<String> paths, int retentionHours) {
    if (retentionHours < 1) {
      throw new IllegalArgumentException("Cannot vacuum: retention must be at least 1 hour (" + retentionHours + ")");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(RETENTION_CHECK, String.valueOf(retentionHours >= MIN_SAFE_RETENTION_HOURS));
    // Delta 4 otherwise ignores the retention given and applies delta.deletedFileRetentionDuration.
    settings.put(RETENTION_IGNORED, "false");
    // VACUUM lists a table's folders in this many tasks whatever their number (Spark's default is
    // 10,000: half a minute of empty tasks on a small machine); a few per core still overlap the
    // round trips of an object store.
    settings.put(LISTING_PARALLELISM, String.valueOf(4 * spark.sparkContext().defaultParallelism()));
    Map<String, String> before = new LinkedHashMap<>();
    settings.keySet().forEach(k -> before.put(k, spark.conf().get(k, null)));
    try {
      settings.forEach(spark.conf()::set);
      return Concurrently.map(paths, path -> {
        long last = version(spark, path);
        DeltaTable.forPath(spark, path).vacuum(retentionHours);
        // Delta logs VACUUM in the table's history only on some file systems (not s3a), and another
        // writer may commit meanwhile: the count comes from this VACUUM's own END commit, if any.
        List<Row> end = DeltaTable.forPath(spark, path).history().filter(col("version").gt(last)
            .and(col("operation").equalTo("VACUUM END"))).select("operationMetrics").collectAsList();
        return end.isEmpty() ? -1L : Long.parseLong(end.get(0).<String, String>getJavaMap(0)
            .getOrDefault("numDeletedFiles", "0"));
      }, path -> "vacuum " + path);
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }

  /** Appends rows. */
  public static void append(SparkSession spark, Dataset<Row> data, TableSpec table, String path) {
    ensureTable(spark, table, path);
    conform(data, table).write().format("delta").mode("append").save(path);
  }

  /**
   * Merges a load into a versioned silver table ({@link SilverHistory}): new keys are inserted as
   * their first version (valid_from null); a key whose tracked values changed has its current
   * version closed and the new values inserted as a version valid from {@code effective} (never
   * before the version it replaces); unchanged keys are left alone, so a rerun commits no rewrite.
   * The data must be unique by key.
   *
   * @param effective when a changed row's new values took effect, evaluated on the load's row
   */
  public static void mergeVersions(SparkSession spark, Dataset<Row> data, TableSpec table, String path,
      Column effective) {
    List<String> keys = table.keyColumns();
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("Cannot merge into " + table.name() + ": the table has no key");
    }
    ensureTable(spark, table, path);
    addMissingColumns(spark, table, path);
    Column noTime = lit(null).cast(DataTypes.TimestampType);
    Dataset<Row> load = conform(data.withColumn(SilverHistory.VALID_FROM, noTime)
        .withColumn(SilverHistory.VALID_TO, noTime), table);
    // A load row meets a key's current version only; a null merge key (a new version) meets none.
    String on = keys.stream().map(k -> "t.`" + k + "` = s.`" + MERGE_KEY + k + "`")
        .collect(Collectors.joining(" AND ")) + " AND t.`" + SilverHistory.VALID_TO + "` IS NULL";
    Map<String, String> insert = new LinkedHashMap<>();
    table.columns().forEach(c -> insert.put("`" + c + "`", "s.`" + c + "`"));
    if (read(spark, path).isEmpty()) {
      // A first load has nothing to update: an insert-only merge joins nothing against the empty
      // target (cheap, unlike a full merge of tens of millions of rows), and unlike a blind append
      // it is a transaction that read the table, so a concurrent first load makes one of the two
      // fail with Delta's ConcurrentAppendException instead of both appending every key.
      DeltaTable.forPath(spark, path).as("t").merge(withMergeKeys(load, keys).as("s"), expr(on))
          .whenNotMatched().insertExpr(insert).execute();
      return;
    }
    List<String> tracked = table.columns().stream()
        .filter(c -> !keys.contains(c) && !SilverHistory.UNTRACKED.contains(c)).toList();
    Column changed = tracked.stream().map(c -> col("s.`" + c + "`").eqNullSafe(col("t.`" + c + "`")).unary_$bang())
        .reduce(Column::or).orElse(lit(false));
    Column sameKey = keys.stream().map(k -> col("s.`" + k + "`").equalTo(col("t.`" + k + "`")))
        .reduce(Column::and).orElseThrow();
    Dataset<Row> current = read(spark, path).filter(col(SilverHistory.VALID_TO).isNull());
    // One join of the load with the current versions finds the new keys and the changed ones; the
    // merge then touches only those, so a reload of unchanged data commits nothing but its scan.
    Column effectiveInLoad = col("s.`" + EFFECTIVE + "`");
    Dataset<Row> compared = load.withColumn(EFFECTIVE, effective).as("s").join(current.as("t"), sameKey, "left")
        .filter(col("t.`" + keys.get(0) + "`").isNull().or(changed))
        .select(col("s.*"), col("t.`" + keys.get(0) + "`").isNotNull().as(REPLACES),
            greatest(effectiveInLoad, coalesce(col("t.`" + SilverHistory.VALID_FROM + "`"), effectiveInLoad))
                .as(CHANGED_AT));
    // A changed key's row goes to the merge twice: once matching its current version (closed) and
    // once with a null merge key (inserted as the new version). One explode makes both copies from
    // one computation of the load; a union of two filtered branches would compute it twice.
    Column matchCopy = col(MATCH_COPY);
    Dataset<Row> source = compared.withColumn(MATCH_COPY,
        explode(when(col(REPLACES), array(lit(true), lit(false))).otherwise(array(lit(true)))));
    for (String k : keys) {
      source = source.withColumn(MERGE_KEY + k, when(matchCopy, col(k)));
    }
    source = source.withColumn(SilverHistory.VALID_FROM,
        when(matchCopy, col(SilverHistory.VALID_FROM)).otherwise(col(CHANGED_AT)));
    DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), expr(on))
        .whenMatched().updateExpr(Map.of("`" + SilverHistory.VALID_TO + "`", "s.`" + CHANGED_AT + "`"))
        .whenNotMatched().insertExpr(insert)
        .execute();
  }

  /** The names in the path's directory, sorted; none when it does not exist. */
  private static List<String> entries(SparkSession spark, String path) {
    Path dir = new Path(path);
    try {
      FileSystem fs = dir.getFileSystem(spark.sessionState().newHadoopConf());
      return fs.exists(dir) ? Arrays.stream(fs.listStatus(dir)).map(f -> f.getPath().getName()).sorted().toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the table at " + path + ": its directory cannot be listed", e);
    }
  }

  /**
   * Creates the table in a directory that holds a log directory but no commit: what a run killed
   * while it created the table leaves. CREATE TABLE IF NOT EXISTS takes any non-empty
   * path for a table (Delta's catalog only lists the directory), does nothing and then fails with
   * DELTA_TABLE_NOT_FOUND; an empty append asks the log instead, so it commits the first version, or
   * conflicts with a run that created the table meanwhile. The comment follows in a second commit.
   */
  private static void createOverLeftovers(SparkSession spark, TableSpec table, String path) {
    spark.createDataFrame(List.of(), table.schema()).write().format("delta").mode("append")
        .partitionBy(table.partitionColumns().toArray(String[]::new)).save(path);
    spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES ('comment' = '"
        + table.comment().replace("\\", "\\\\").replace("'", "\\'") + "')");
  }

  /**
   * Adds the columns of the table's definition that a table written by an earlier release lacks
   * (null in its rows), so an upgrade needs no migration: e.g. the version columns, which make
   * every existing row a current first version.
   */
  private static void addMissingColumns(SparkSession spark, TableSpec table, String path) {
    List<String> present = Arrays.asList(read(spark, path).columns());
    String missing = Arrays.stream(table.schema().fields()).filter(f -> !present.contains(f.name()))
        .map(f -> "`" + f.name() + "` " + f.dataType().sql()
            + (f.getComment().isDefined() ? " COMMENT '" + f.getComment().get().replace("'", "\\'") + "'" : ""))
        .collect(Collectors.joining(", "));
    if (!missing.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (" + missing + ")");
    }
  }

  /** The merge-key columns that meet each load row with its key's current version, if any. */
  private static Dataset<Row> withMergeKeys(Dataset<Row> rows, List<String> keys) {
    Dataset<Row> out = rows;
    for (String k : keys) {
      out = out.withColumn(MERGE_KEY + k, col(k));
    }
    return out;
  }
}
