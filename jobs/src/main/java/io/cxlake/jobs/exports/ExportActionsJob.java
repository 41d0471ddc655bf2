package io.cxlake.jobs.exports;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.privacy.Pseudonyms;
import io.cxlake.common.runlog.Findings;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.time.AsOf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code export-actions} job: the day's deliverable next best actions (status deliver, so
 * consent and suppression already applied), one folder per channel and day, as CSV and as JSON
 * lines with a stable schema a channel tool or a reverse-ETL job picks up:
 * {@code <warehouse>/exports/actions/channel=<channel>/as_of_date=<day>/actions.csv} and
 * {@code actions.jsonl}. The customer is a keyed pseudonym (HMAC-SHA256 of customer_id with
 * privacy.hash-salt), never the id or a contact detail. Each folder is written aside and renamed
 * into place, so a reader never sees a half-written file, and a rerun replaces the day's files (a
 * channel without actions any more loses its folder of the day).
 */
public final class ExportActionsJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "export-actions";
  /** The export's columns, in order: the schema channel tools rely on. */
  public static final String CUSTOMER_KEY = "customer_key";
  public static final List<String> COLUMNS = List.of(NextBestActions.AS_OF_DATE, CUSTOMER_KEY,
      NextBestActions.ACTION, NextBestActions.CAMPAIGN, NextBestActions.CHANNEL, NextBestActions.PRIORITY,
      NextBestActions.PRODUCT_ID, NextBestActions.REASON, NextBestActions.EXPECTED_VALUE);
  static final String CSV = "actions.csv";
  static final String JSON = "actions.jsonl";
  private static final String PARTITION = "_channel";

  private ExportActionsJob() {}

  /**
   * Settings of one export.
   *
   * @param secret the pseudonymization secret ({@code privacy.hash-salt})
   */
  public record Config(TableCatalog catalog, AsOf asOf, String secret) {
    public Config {
      Objects.requireNonNull(catalog, "catalog");
      Objects.requireNonNull(asOf, "asOf");
      Objects.requireNonNull(secret, "secret");
    }

    /** The root of the action exports. */
    public String root() {
      return catalog.root() + "/exports/actions";
    }
  }

  /** The export rows of the day: deliverable actions, pseudonymous, in the stable column order. */
  public static Dataset<Row> rows(Dataset<Row> actionsOfTheDay, String secret) {
    return actionsOfTheDay.filter(col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER))
        .withColumn(CUSTOMER_KEY, Pseudonyms.hmac(col(NextBestActions.CUSTOMER_ID), secret))
        .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /** Reads the day's actions and writes one CSV and one JSON-lines file per channel. */
  public static RunStats run(SparkSession spark, Config config) {
    AsOf asOf = config.asOf();
    // A day without actions exports nothing (and clears an earlier export of the day), not an error.
    Dataset<Row> day = new JobInputs(spark, config.catalog(), "export next best actions").required(NextBestActions.TABLE)
        .filter(col(NextBestActions.AS_OF_DATE).equalTo(asOf.dateLit()));
    Dataset<Row> rows = rows(day, config.secret()).cache();
    try {
      Path root = new Path(config.root());
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path staging = new Path(root, "_staging-" + asOf.date());
      fs.delete(staging, true);
      // One file per channel and format (a channel's actions of one day fit one file comfortably),
      // ordered by priority. Partitioned by a copy, so the files keep the channel column; sorted by
      // it first, or the partitioned writer re-sorts by it alone and loses the priority order.
      Dataset<Row> perChannel = rows.withColumn(PARTITION, col(NextBestActions.CHANNEL))
          .repartition(col(PARTITION)).sortWithinPartitions(PARTITION, NextBestActions.PRIORITY, CUSTOMER_KEY);
      perChannel.write().partitionBy(PARTITION).option("header", "true").csv(new Path(staging, "csv").toString());
      // Nulls written out: every line has every field of the schema.
      perChannel.write().partitionBy(PARTITION).option("ignoreNullFields", "false")
          .json(new Path(staging, "json").toString());
      Map<String, String> details = new LinkedHashMap<>();
      List<String> channels = publish(fs, root, staging, asOf);
      fs.delete(staging, true);
      details.put("channels", String.join(",", channels));
      details.put("folder", config.root());
      long exported = rows.count();
      return new RunStats(exported, exported, 0, details).withFinding(exported == 0
          ? "no deliverable actions on " + asOf.date()
          : "exported to " + config.root() + ": " + Findings.countsBy(rows, NextBestActions.CHANNEL));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot export next best actions: " + e.getMessage() + " (" + config.root() + ")",
          e);
    } finally {
      rows.unpersist();
    }
  }

  /** Moves each channel's files into its folder of the day; returns the channels exported. */
  private static List<String> publish(FileSystem fs, Path root, Path staging, AsOf asOf) throws IOException {
    String day = NextBestActions.AS_OF_DATE + "=" + asOf.date();
    List<String> channels = new java.util.ArrayList<>();
    Path csv = new Path(staging, "csv");
    if (fs.exists(csv)) {
      for (FileStatus staged : fs.listStatus(csv, p -> p.getName().startsWith(PARTITION + "="))) {
        String channel = staged.getPath().getName().substring(PARTITION.length() + 1);
        Path folder = new Path(root, NextBestActions.CHANNEL + "=" + channel);
        Path ready = new Path(folder, "_" + day + ".ready");
        fs.delete(ready, true);
        fs.mkdirs(ready);
        fs.rename(onlyPart(fs, staged.getPath(), ".csv"), new Path(ready, CSV));
        fs.rename(onlyPart(fs, new Path(new Path(staging, "json"), staged.getPath().getName()), ".json"),
            new Path(ready, JSON));
        Path target = new Path(folder, day);
        fs.delete(target, true);
        if (!fs.rename(ready, target)) {
          throw new IOException("rename of " + ready + " to " + target + " failed");
        }
        channels.add(channel);
      }
    }
    // A channel exported by an earlier run of the day but without actions now keeps nothing of the day.
    if (fs.exists(root)) {
      for (FileStatus channel : fs.listStatus(root, p -> p.getName().startsWith(NextBestActions.CHANNEL + "="))) {
        String name = channel.getPath().getName();
        if (!channels.contains(name.substring(name.indexOf('=') + 1))) {
          fs.delete(new Path(channel.getPath(), day), true);
        }
      }
    }
    return channels;
  }

  private static Path onlyPart(FileSystem fs, Path dir, String suffix) throws IOException {
    FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-") && p.getName().endsWith(suffix));
    if (parts.length != 1) {
      throw new IOException("expected one " + suffix + " part file in " + dir + ", found " + parts.length);
    }
    return parts[0].getPath();
  }
}
