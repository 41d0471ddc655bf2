package io.cxlake.jobs.ingest;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.IngestedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What ingest last read of each landing source (the {@code ingested_files} table), and whether a
 * source can be skipped. Ingest loads every row of a source whatever its as-of date, so reading
 * unchanged files again under unchanged dependencies merges nothing new: skipping the source gives
 * the same silver table. The dependencies are the source's settings and the ingest rules, the
 * suppression list, the silver customers the unknown-customer check used, and the source's own
 * silver table (an erase or a manual fix changes its version). A skip carries the source's
 * quarantine slice forward to the new as-of day, so each day's quarantine stays complete.
 */
final class LandingState {
  /**
   * Version of what validation and enrichment make of a landing row. Bump it when a rule changes,
   * so the next ingest reads every source again instead of keeping rows judged by the old rules.
   */
  static final int RULES_VERSION = 1;

  private LandingState() {}

  /** One landing file as the file system describes it. */
  record FileStamp(String file, long sizeBytes, Timestamp modifiedAt, String checksum) {}

  /** What a read of a source depended on, besides its files and its own silver table. */
  record Dependencies(String fingerprint, long suppressionVersion, long customersVersion) {}

  /** The recorded read of a source. */
  record Recorded(Set<FileStamp> files, LocalDate readAsOf, LocalDate quarantineAsOf, Dependencies dependencies,
      long silverVersion, long rowsQuarantined, Timestamp futureFrom) {}

  /**
   * Size and modification time of each listed file and, where the file system keeps one, its
   * checksum (HDFS; s3a with {@code fs.s3a.etag.checksum.enabled}; elsewhere none, at no cost).
   */
  static Set<FileStamp> stamp(SparkSession spark, List<FileStatus> files) {
    Set<FileStamp> out = new HashSet<>();
    for (FileStatus status : files) {
      Path path = status.getPath();
      try {
        FileChecksum checksum = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileChecksum(path);
        out.add(new FileStamp(path.toString(), status.getLen(), new Timestamp(status.getModificationTime()),
            checksum == null ? null : checksum.getAlgorithmName() + ":" + HexFormat.of().formatHex(checksum.getBytes())));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the checksum of a landing file: " + e.getMessage() + " (" + path
            + ")", e);
      }
    }
    return Set.copyOf(out);
  }

  /**
   * A keyed hash of everything else a read of the source depends on ({@link #settingsText}), keyed
   * with the secret, which also keys the quarantine's masked values: the stored value reveals none
   * of them, and another secret means another read.
   */
  static String fingerprint(IngestConfig config, SourceSettings settings) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(settingsText(config, settings).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot fingerprint the settings of a source: " + e.getMessage() + " ("
          + settings.contract().name() + ")", e);
    }
  }

  /**
   * The rules version, every setting of the source (maps sorted: their own iteration order changes
   * from one JVM to the next) and the ingest settings a read applies to it. A component added to
   * {@link SourceSettings} belongs here too.
   */
  static String settingsText(IngestConfig config, SourceSettings s) {
    return String.join("|", "rules=" + RULES_VERSION, "source=" + s.contract().name(), "format=" + s.format(),
        "path=" + s.path(), "columns=" + new TreeMap<>(s.columns()), "timestamp=" + s.timestampFormat().orElse(""),
        "delimiter=" + s.csvDelimiter(), "encoding=" + s.encoding(), "multiline=" + s.multiline(),
        "max=" + new TreeMap<>(config.maxValues(s.contract())), "session-gap=" + config.sessionGapMinutes(),
        "max-quarantine-share=" + config.maxQuarantineShare());
  }

  /** The recorded read of every source: one row per landing file, collected once per run. */
  static Map<String, Recorded> recorded(SparkSession spark, TableCatalog catalog) {
    String path = catalog.path(IngestedFiles.TABLE);
    if (!DeltaIO.exists(spark, path)) {
      return Map.of();
    }
    Map<String, List<Row>> bySource = DeltaIO.read(spark, path).collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs(IngestedFiles.SOURCE), TreeMap::new, Collectors.toList()));
    Map<String, Recorded> out = new TreeMap<>();
    bySource.forEach((source, rows) -> {
      Row r = rows.get(0);
      out.put(source, new Recorded(
          rows.stream().map(f -> new FileStamp(f.getAs(IngestedFiles.FILE), f.<Long>getAs(IngestedFiles.SIZE_BYTES),
              f.getAs(IngestedFiles.MODIFIED_AT), f.getAs(IngestedFiles.CHECKSUM))).collect(Collectors.toSet()),
          r.<Date>getAs(IngestedFiles.READ_AS_OF).toLocalDate(),
          r.<Date>getAs(IngestedFiles.QUARANTINE_AS_OF).toLocalDate(),
          new Dependencies(r.getAs(IngestedFiles.FINGERPRINT), r.<Long>getAs(IngestedFiles.SUPPRESSION_VERSION),
              r.<Long>getAs(IngestedFiles.CUSTOMERS_VERSION)),
          r.<Long>getAs(IngestedFiles.SILVER_VERSION), r.<Long>getAs(IngestedFiles.ROWS_QUARANTINED),
          r.<Timestamp>getAs(IngestedFiles.FUTURE_FROM)));
    });
    return out;
  }

  /**
   * Why the source has to be read again, or empty when the recorded read still holds. An as-of
   * before the recorded read's is read again too: its quarantine slice was never written. So is a
   * source once the wall clock ({@code clock}) reaches a timestamp its read quarantined as future.
   */
  static Optional<String> changed(Optional<Recorded> recorded, Set<FileStamp> files, Dependencies now,
      long silverVersion, LocalDate asOf, Instant clock) {
    if (recorded.isEmpty()) {
      return Optional.of("no recorded read");
    }
    Recorded r = recorded.get();
    if (!r.files().equals(files)) {
      return Optional.of("files added, changed or removed");
    }
    if (!r.dependencies().fingerprint().equals(now.fingerprint())) {
      return Optional.of("settings or ingest rules changed");
    }
    if (r.dependencies().suppressionVersion() != now.suppressionVersion()) {
      return Optional.of("suppression list changed");
    }
    if (r.dependencies().customersVersion() != now.customersVersion()) {
      return Optional.of("customers changed");
    }
    if (r.silverVersion() != silverVersion) {
      return Optional.of("silver table written since");
    }
    if (r.futureFrom() != null && !clock.isBefore(r.futureFrom().toInstant())) {
      return Optional.of("the clock passed a quarantined future timestamp (" + r.futureFrom().toInstant() + ")");
    }
    if (asOf.isBefore(r.quarantineAsOf())) {
      return Optional.of("as-of before the recorded read's " + r.quarantineAsOf());
    }
    return Optional.empty();
  }

  /**
   * Replaces the table with the reads of this run, once at its end: a run that fails half-way
   * records nothing, and the sources it did load then differ by their silver version. A source
   * absent from the landing zone is forgotten, so files that come back are read.
   */
  static void write(SparkSession spark, TableCatalog catalog, Map<String, Recorded> reads, String runId) {
    List<Row> rows = new ArrayList<>();
    reads.forEach((source, read) -> read.files().stream().sorted(Comparator.comparing(FileStamp::file))
        .forEach(f -> rows.add(IngestedFiles.TABLE.row()
            .set(IngestedFiles.SOURCE, source).set(IngestedFiles.FILE, f.file())
            .set(IngestedFiles.SIZE_BYTES, f.sizeBytes()).set(IngestedFiles.MODIFIED_AT, f.modifiedAt())
            .set(IngestedFiles.CHECKSUM, f.checksum())
            .set(IngestedFiles.READ_AS_OF, Date.valueOf(read.readAsOf()))
            .set(IngestedFiles.QUARANTINE_AS_OF, Date.valueOf(read.quarantineAsOf()))
            .set(IngestedFiles.RUN_ID, runId)
            .set(IngestedFiles.FINGERPRINT, read.dependencies().fingerprint())
            .set(IngestedFiles.SUPPRESSION_VERSION, read.dependencies().suppressionVersion())
            .set(IngestedFiles.CUSTOMERS_VERSION, read.dependencies().customersVersion())
            .set(IngestedFiles.SILVER_VERSION, read.silverVersion())
            .set(IngestedFiles.ROWS_QUARANTINED, read.rowsQuarantined())
            .set(IngestedFiles.FUTURE_FROM, read.futureFrom())
            .build())));
    DeltaIO.replaceWhere(spark, spark.createDataFrame(rows, IngestedFiles.TABLE.schema()), IngestedFiles.TABLE,
        catalog.path(IngestedFiles.TABLE), "true");
  }
}
