package io.cxlake.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.privacy.Suppressions;
import io.cxlake.common.quality.ContractValidation;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.Suppression;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.PointInTime;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code ingest} job: validates every landing source against the input contract, upserts
 * clean rows into its silver Delta table (by key, so reruns never duplicate), sends every broken
 * row to {@code quarantine} with a reason, drops the rows of erased customers (the {@code suppression}
 * list), and reconciles {@code rows_in = rows_loaded + rows_quarantined + rows_suppressed} per source,
 * failing the run if they differ. A source with more than {@code ingest.max-quarantine-share} of its
 * rows quarantined fails the run before it is loaded.
 *
 * <p>A source whose landing files, settings, suppression list, customers and silver table are all
 * unchanged since its last read is not read again ({@link LandingState}): that read's result
 * stands, and its quarantine slice is carried to the new as-of day. {@code --full-refresh} reads
 * every source.
 *
 * <p>Each read takes the source's whole landing folder: rows with timestamps after the as-of date are
 * legitimate history and are loaded too (every downstream job filters by its own as-of), while
 * timestamps after the wall-clock time are impossible and quarantined. Customers are ingested
 * first, so the other sources can be checked against them.
 */
public final class IngestJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "ingest";

  private IngestJob() {}

  /**
   * Counts of one source's ingest, and the earliest timestamp among its rows quarantined as later
   * than the wall clock (null when none).
   */
  public record SourceCounts(long rowsIn, long rowsLoaded, long rowsQuarantined, long rowsSuppressed,
      Map<String, Long> byReason, Timestamp futureFrom) {}

  /** Runs the ingest and returns the run-log stats, with per-source counts in the details. */
  public static RunStats run(SparkSession spark, IngestConfig config, String runId) {
    // Each source's quarantine slice of the day, written in one commit after the loop: a Delta write
    // per source took a fifth of a small ingest's driver time (docs/benchmarks.md).
    Map<String, Dataset<Row>> quarantineSlices = new TreeMap<>();
    try {
      return readSources(spark, config, runId, quarantineSlices);
    } finally {
      quarantineSlices.values().forEach(Dataset::unpersist);
    }
  }

  private static RunStats readSources(SparkSession spark, IngestConfig config, String runId,
      Map<String, Dataset<Row>> quarantineSlices) {
    Map<String, String> details = new LinkedHashMap<>();
    long in = 0;
    long loaded = 0;
    long quarantined = 0;
    long suppressed = 0;
    List<String> unchanged = new ArrayList<>();
    Progress progress = Progress.of(NAME);
    TableCatalog catalog = config.catalog();
    Map<String, LandingState.Recorded> before = LandingState.recorded(spark, catalog);
    Map<String, LandingState.Recorded> after = new TreeMap<>();
    long suppressionVersion = DeltaIO.dataVersion(spark, catalog.path(Suppression.TABLE));
    // Customers are ingested first, so their version, taken at the first source checked against
    // them, is the one every unknown-customer check of this run sees.
    Long customersVersion = null;
    for (SourceContract source : Sources.ALL) {
      SourceSettings settings = config.sources().get(source.name());
      String location = settings.location(config.landing());
      List<FileStatus> listed = LandingReader.dataFileStatuses(spark, location);
      List<String> files = listed.stream().map(f -> f.getPath().toString()).toList();
      if (files.isEmpty()) {
        if (Sources.MANDATORY.contains(source.name())) {
          throw new IllegalArgumentException("Cannot ingest " + source.name()
              + ": the source is required and has no data files (" + location + ")");
        }
        if (DeltaIO.exists(spark, catalog.path(Quarantine.TABLE))) {
          // An absent source leaves no stale quarantine rows from an earlier run of the date.
          quarantineSlices.put(source.name(), spark.createDataFrame(new ArrayList<Row>(), Quarantine.TABLE.schema()));
        }
        details.put(source.name() + ".status", "absent");
        continue;
      }
      Set<LandingState.FileStamp> stamps = LandingState.stamp(spark, listed);
      if (checkedAgainstCustomers(source) && customersVersion == null) {
        customersVersion = DeltaIO.dataVersion(spark, catalog.path(Customers.TABLE));
      }
      LandingState.Dependencies dependencies = new LandingState.Dependencies(LandingState.fingerprint(config, settings),
          suppressionVersion, checkedAgainstCustomers(source) ? customersVersion : -1);
      String silverPath = catalog.path(Sources.table(source));
      Optional<LandingState.Recorded> recorded = config.fullRefresh() ? Optional.empty()
          : Optional.ofNullable(before.get(source.name()));
      Optional<String> changed = LandingState.changed(recorded, stamps, dependencies,
          DeltaIO.dataVersion(spark, silverPath), config.asOf().date(), config.now());
      Optional<Dataset<Row>> carried = changed.isEmpty()
          ? carriedQuarantine(spark, config, source, recorded.get()) : Optional.empty();
      if (changed.isEmpty() && carried.isEmpty()) {
        changed = Optional.of("its quarantined rows changed since");
      }
      if (carried.isPresent()) {
        LandingState.Recorded r = recorded.get();
        if (!r.quarantineAsOf().equals(config.asOf().date())) {
          quarantineSlices.put(source.name(), carried.get());
        }
        after.put(source.name(), new LandingState.Recorded(stamps, r.readAsOf(), config.asOf().date(), dependencies,
            r.silverVersion(), r.rowsQuarantined(), r.futureFrom()));
        details.put(source.name() + ".status", "unchanged since " + r.readAsOf());
        details.put(source.name() + ".files", String.valueOf(files.size()));
        unchanged.add(source.name());
        continue;
      }
      progress.phase(source.name() + ": validating " + files.size() + (files.size() == 1 ? " file" : " files"));
      SourceCounts counts = ingestSource(spark, config, settings, location, files, runId, progress, quarantineSlices);
      after.put(source.name(), new LandingState.Recorded(stamps, config.asOf().date(), config.asOf().date(),
          dependencies, DeltaIO.dataVersion(spark, silverPath), counts.rowsQuarantined(), counts.futureFrom()));
      details.put(source.name() + ".status", "read" + (config.fullRefresh() ? " (full refresh)"
          : changed.map(why -> " (" + why + ")").orElse("")));
      in += counts.rowsIn();
      loaded += counts.rowsLoaded();
      quarantined += counts.rowsQuarantined();
      details.put(source.name() + ".files", String.valueOf(files.size()));
      details.put(source.name() + ".rows_in", String.valueOf(counts.rowsIn()));
      details.put(source.name() + ".rows_loaded", String.valueOf(counts.rowsLoaded()));
      details.put(source.name() + ".rows_quarantined", String.valueOf(counts.rowsQuarantined()));
      details.put(source.name() + ".rows_suppressed", String.valueOf(counts.rowsSuppressed()));
      suppressed += counts.rowsSuppressed();
      counts.byReason().forEach((reason, n) -> details.put(source.name() + ".quarantined." + reason, String.valueOf(n)));
    }
    writeQuarantine(spark, config, quarantineSlices);
    if (!after.equals(before)) {
      LandingState.write(spark, catalog, after, runId);
    }
    return new RunStats(in, loaded, quarantined, details).withFinding(String.format(java.util.Locale.ROOT,
        "loaded %,d of %,d landing rows; quarantined %,d%s%s", loaded, in, quarantined, quarantined == 0 ? ""
            : " (" + String.join(", ", details.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".rows_quarantined") && !e.getValue().equals("0"))
                .map(e -> e.getKey().replace(".rows_quarantined", "") + " " + e.getValue()).toList()) + ")",
        suppressed == 0 ? "" : String.format(java.util.Locale.ROOT, "; dropped %,d rows of erased customers",
            suppressed))
        + (unchanged.isEmpty() ? "" : "; unchanged since their last read, not read again: "
            + String.join(", ", unchanged)));
  }

  /**
   * The quarantine rows of the source's recorded read, re-dated to the as-of day (they keep the run
   * id that judged them); empty when that slice no longer holds what the read quarantined (an
   * erasure deleted rows, retention removed the day), and the source is then read again.
   */
  private static Optional<Dataset<Row>> carriedQuarantine(SparkSession spark, IngestConfig config,
      SourceContract source, LandingState.Recorded recorded) {
    Dataset<Row> slice = DeltaIO.readOrEmpty(spark, Quarantine.TABLE, config.catalog().path(Quarantine.TABLE))
        .filter(col(Quarantine.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(recorded.quarantineAsOf())))
            .and(col(Quarantine.SOURCE).equalTo(source.name())));
    return slice.count() == recorded.rowsQuarantined()
        ? Optional.of(slice.withColumn(Quarantine.AS_OF_DATE, config.asOf().dateLit())) : Optional.empty();
  }

  private static SourceCounts ingestSource(SparkSession spark, IngestConfig config, SourceSettings settings,
      String location, List<String> files, String runId, Progress progress,
      Map<String, Dataset<Row>> quarantineSlices) {
    SourceContract source = settings.contract();
    TableCatalog catalog = config.catalog();
    Dataset<Row> landed = LandingReader.read(spark, settings, location, files, config.secret());
    // Rows of erased customers are dropped before validation: counted, never loaded or quarantined.
    Dataset<Row> raw = landed;
    long suppressed = 0;
    long rowsIn;
    String suppressionPath = catalog.path(Suppression.TABLE);
    if (DeltaIO.exists(spark, suppressionPath) && !Suppressions.identifierColumns(source).isEmpty()) {
      Dataset<Row> flagged = Suppressions.flag(landed, source, DeltaIO.read(spark, suppressionPath), config.secret());
      rowsIn = 0;
      for (Row r : flagged.groupBy(col(Suppressions.SUPPRESSED)).agg(count(lit(1))).collectAsList()) {
        rowsIn += r.getLong(1);
        suppressed += r.getBoolean(0) ? r.getLong(1) : 0;
      }
      raw = flagged.filter(col(Suppressions.SUPPRESSED).unary_$bang()).drop(Suppressions.SUPPRESSED);
    } else {
      rowsIn = -1;
    }
    Dataset<Row> classified = validate(raw, source, config, knownCustomers(spark, catalog, source))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> byReason = new LinkedHashMap<>();
      long good = 0;
      Timestamp futureFrom = null;
      for (Row r : classified.groupBy(col(ContractValidation.REASON_CODE))
          .agg(count(lit(1)), min(earliestFutureTimestamp(source, config.now()))).collectAsList()) {
        if (r.isNullAt(0)) {
          good = r.getLong(1);
        } else {
          byReason.put(r.getString(0), r.getLong(1));
          if (r.getString(0).equals(Quarantine.Reason.FUTURE_TIMESTAMP.name())) {
            futureFrom = r.getTimestamp(2);
          }
        }
      }
      long bad = byReason.values().stream().mapToLong(Long::longValue).sum();
      if (rowsIn < 0) {
        rowsIn = raw.count();
      }
      if (rowsIn != good + bad + suppressed) {
        throw new IllegalStateException("Cannot reconcile ingest of " + source.name() + ": rows_in " + rowsIn
            + " != rows_loaded " + good + " + rows_quarantined " + bad + " + rows_suppressed " + suppressed
            + " (" + location + ")");
      }
      progress.phase(String.format(java.util.Locale.ROOT, "%s: loading %,d rows into silver, quarantining %,d",
          source.name(), good, bad));
      // Kept (small: bad rows only) for the run's one quarantine write, as classified is released
      // below; the count fills that cache from classified and checks it against the judged count.
      Dataset<Row> rejected = quarantineRows(config, source, runId,
          classified.filter(col(ContractValidation.REASON_CODE).isNotNull())).persist(StorageLevel.MEMORY_AND_DISK());
      quarantineSlices.put(source.name(), rejected);
      long kept = rejected.count();
      if (kept != bad) {
        throw new IllegalStateException("Cannot reconcile the quarantine of " + source.name() + ": " + kept
            + " rows kept != " + bad + " judged bad (" + location + ")");
      }
      long judged = good + bad;
      if (judged > 0 && (double) bad / judged > config.maxQuarantineShare()) {
        // The quarantine is written before failing, so the refused source's bad rows can be inspected.
        writeQuarantine(spark, config, quarantineSlices);
        throw new IllegalStateException(String.format(java.util.Locale.ROOT, "Cannot ingest %s: %,d of %,d rows "
            + "(%.0f %%) broke the contract, more than ingest.max-quarantine-share %s allows; a wrong export or "
            + "column mapping is likely. Reasons: %s; see the quarantine table (%s)", source.name(), bad, judged,
            100.0 * bad / judged, config.maxQuarantineShare(), byReason, location));
      }
      TableSpec silver = Sources.table(source);
      Dataset<Row> clean = enrich(classified.filter(col(ContractValidation.REASON_CODE).isNull()), source, config)
          .withColumn(SilverHistory.SOURCE_FILE, col(ContractValidation.SOURCE_FILE));
      DeltaIO.mergeVersions(spark, clean, silver, catalog.path(silver), changedAt(source, config));
      return new SourceCounts(rowsIn, good, bad, suppressed, byReason, futureFrom);
    } finally {
      classified.unpersist();
    }
  }

  /**
   * The earliest of a row's timestamps that are later than the clock: for a row quarantined as
   * future, no later than the moment its verdict can change (a conservative bound when it has several).
   */
  private static Column earliestFutureTimestamp(SourceContract source, Instant clock) {
    Column now = lit(Timestamp.from(clock));
    List<Column> future = source.columns().entrySet().stream()
        .filter(e -> e.getValue().equals(DataTypes.TimestampType))
        .map(e -> when(col(e.getKey()).gt(now), col(e.getKey()))).toList();
    if (future.isEmpty()) {
      return lit(null).cast(DataTypes.TimestampType);
    }
    return future.size() == 1 ? future.get(0) : least(future.toArray(Column[]::new));
  }

  /** Contract rules, duplicate keys and unknown customers: every row gets a verdict, none is dropped. */
  static Dataset<Row> validate(Dataset<Row> raw, SourceContract source, IngestConfig config,
      Optional<Dataset<Row>> knownCustomers) {
    Dataset<Row> classified = ContractValidation.classify(raw, source, config.now(),
        config.sources().get(source.name()).timestampFormat(), config.maxValues(source));
    classified = ContractValidation.flagDuplicates(classified, source, config.secret());
    if (knownCustomers.isPresent()) {
      classified = ContractValidation.flagUnknownCustomers(classified, source, knownCustomers.get(), config.secret());
    }
    return classified;
  }

  /**
   * When a changed row's new values took effect: the source's updated_ts when the export has it,
   * else the start of the as-of day. The ingest of day D sees a change made by the end of D, so
   * the start of D keeps it out of D-1's point-in-time reads and in D's.
   */
  private static Column changedAt(SourceContract source, IngestConfig config) {
    Column dayStart = config.asOf().daysBeforeLit(1);
    return source.columns().containsKey(SilverHistory.UPDATED_TS)
        ? coalesce(col(SilverHistory.UPDATED_TS), dayStart) : dayStart;
  }

  /** The loaded customer ids, for sources that reference customers. */
  private static Optional<Dataset<Row>> knownCustomers(SparkSession spark, TableCatalog catalog, SourceContract source) {
    if (!checkedAgainstCustomers(source)) {
      return Optional.empty();
    }
    String path = catalog.path(Customers.TABLE);
    if (!DeltaIO.exists(spark, path)) {
      return Optional.empty();
    }
    return Optional.of(PointInTime.current(DeltaIO.read(spark, path)).select(Customers.CUSTOMER_ID));
  }

  /** Whether the source's rows are checked against the loaded customers (unknown-customer rule). */
  private static boolean checkedAgainstCustomers(SourceContract source) {
    return source.customerColumn().isPresent() && !source.name().equals(Customers.CONTRACT.name());
  }

  /** Derived silver columns: order-line amounts, web sessions and identity stitching. */
  static Dataset<Row> enrich(Dataset<Row> clean, SourceContract source, IngestConfig config) {
    if (source.name().equals(Transactions.CONTRACT.name())) {
      Column discount = coalesce(col(Transactions.DISCOUNT), lit(0.0));
      return clean
          .withColumn(Transactions.STATUS, coalesce(col(Transactions.STATUS), lit(Transactions.STATUS_COMPLETED)))
          .withColumn(Transactions.DISCOUNT, discount)
          .withColumn(Transactions.NET_AMOUNT,
              col(Transactions.QUANTITY).multiply(col(Transactions.UNIT_PRICE)).minus(discount));
    }
    if (source.name().equals(WebEvents.CONTRACT.name())) {
      return WebIdentity.stitch(WebIdentity.sessionize(clean, config.sessionGapMinutes()));
    }
    return clean;
  }

  private static Dataset<Row> quarantineRows(IngestConfig config, SourceContract source, String runId,
      Dataset<Row> bad) {
    return bad.select(
        config.asOf().dateLit().as(Quarantine.AS_OF_DATE),
        lit(runId).as(Quarantine.RUN_ID),
        lit(source.name()).as(Quarantine.SOURCE),
        col(ContractValidation.SOURCE_FILE).as(Quarantine.SOURCE_FILE),
        col(ContractValidation.REASON_CODE).as(Quarantine.REASON_CODE),
        col(ContractValidation.REASON).as(Quarantine.REASON),
        col(ContractValidation.RAW_KEY).as(Quarantine.RECORD_KEY),
        col(ContractValidation.RAW_RECORD).as(Quarantine.RAW_RECORD));
  }

  /**
   * Replaces the day's quarantine slice of every source in the map, empty ones too, in one commit:
   * each read source's bad rows, each unchanged source's carried rows, nothing for an absent one.
   */
  private static void writeQuarantine(SparkSession spark, IngestConfig config, Map<String, Dataset<Row>> slices) {
    if (slices.isEmpty()) {
      return;
    }
    DeltaIO.replaceWhere(spark, slices.values().stream().reduce(Dataset::unionByName).orElseThrow(), Quarantine.TABLE,
        config.catalog().path(Quarantine.TABLE), Quarantine.AS_OF_DATE + " = DATE'" + config.asOf() + "' AND "
            + Quarantine.SOURCE + " IN ('" + String.join("', '", slices.keySet()) + "')");
  }
}
