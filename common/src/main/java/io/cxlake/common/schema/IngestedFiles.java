package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The ingested_files table: one row per landing file of each source that the last ingest read,
 * with what that read depended on. Ingest skips a source whose files and dependencies are all
 * unchanged, which gives the same silver tables as reading it again.
 */
public final class IngestedFiles {
  public static final String SOURCE = "source";
  public static final String FILE = "file";
  public static final String SIZE_BYTES = "size_bytes";
  public static final String MODIFIED_AT = "modified_at";
  public static final String CHECKSUM = "checksum";
  public static final String READ_AS_OF = "read_as_of";
  public static final String QUARANTINE_AS_OF = "quarantine_as_of";
  public static final String RUN_ID = "run_id";
  public static final String FINGERPRINT = "fingerprint";
  public static final String SUPPRESSION_VERSION = "suppression_version";
  public static final String CUSTOMERS_VERSION = "customers_version";
  public static final String SILVER_VERSION = "silver_version";
  public static final String ROWS_QUARANTINED = "rows_quarantined";
  public static final String FUTURE_FROM = "future_from";

  public static final TableSpec TABLE = new TableSpec(
      "ingested_files",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(SOURCE, DataTypes.StringType, "Landing source (customers, transactions, ...)."),
          field(FILE, DataTypes.StringType, "Full path of the landing file."),
          field(SIZE_BYTES, DataTypes.LongType, "File size when it was read."),
          field(MODIFIED_AT, DataTypes.TimestampType, "File modification time when it was read."),
          field(CHECKSUM, DataTypes.StringType,
              "The file system's checksum of the file (HDFS, S3 with ETag checksums), null where it offers none."),
          field(READ_AS_OF, DataTypes.DateType, "As-of date of the ingest that last read the source's files."),
          field(QUARANTINE_AS_OF, DataTypes.DateType,
              "As-of date whose quarantine slice holds the source's rejected rows (a skip carries it forward)."),
          field(RUN_ID, DataTypes.StringType, "Ingest run that last read or skipped the source."),
          field(FINGERPRINT, DataTypes.StringType,
              "Hash of the source's settings and ingest rules version; other settings mean another read."),
          field(SUPPRESSION_VERSION, DataTypes.LongType, "Delta version of the suppression list the read applied; -1 none."),
          field(CUSTOMERS_VERSION, DataTypes.LongType,
              "Delta version of silver customers the unknown-customer check used; -1 when not checked."),
          field(SILVER_VERSION, DataTypes.LongType, "Delta version of the source's silver table after the read."),
          field(ROWS_QUARANTINED, DataTypes.LongType, "Rows of the source the read quarantined."),
          field(FUTURE_FROM, DataTypes.TimestampType,
              "Earliest timestamp of the rows quarantined as later than the wall clock: once the clock passes it, a "
                  + "new read may accept them. Null when there are none.")
      }),
      List.of(),
      List.of(SOURCE, FILE),
      "What ingest last read of each landing source: its files (size, modification time, checksum) and what the "
          + "read depended on. A source whose files, settings, suppression list, customers and silver table are "
          + "unchanged is skipped; ingest --full-refresh reads everything again.");

  private IngestedFiles() {}
}
