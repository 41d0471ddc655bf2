package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The quarantine table: every landing row that broke the contract, with why. */
public final class Quarantine {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String RUN_ID = "run_id";
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String REASON_CODE = "reason_code";
  public static final String REASON = "reason";
  public static final String RECORD_KEY = "record_key";
  public static final String RAW_RECORD = "raw_record";

  /** Reason codes, one per class of contract violation. */
  public enum Reason {
    /** A required column is null or blank. */
    MISSING_REQUIRED,
    /** A value cannot be parsed as its contract type. */
    UNPARSABLE,
    /**
     * A categorical value outside its documented domain, a negative price or discount, a NaN or
     * infinite number, or a value above its plausible maximum.
     */
    INVALID_VALUE,
    /** A negative quantity on a completed sale. */
    NEGATIVE_QUANTITY,
    /** A survey or CSAT score outside the range of its type. */
    SCORE_OUT_OF_RANGE,
    /** A timestamp later than the wall-clock time of the ingest. */
    FUTURE_TIMESTAMP,
    /** A second row with a key already loaded from this landing zone. */
    DUPLICATE_KEY,
    /** A customer_id that is not in the customers source. */
    UNKNOWN_CUSTOMER
  }

  public static final TableSpec TABLE = new TableSpec(
      "quarantine",
      TableSpec.Layer.GOLD,
      new StructType(new org.apache.spark.sql.types.StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the ingest run that quarantined the row."),
          field(RUN_ID, DataTypes.StringType, "Run that quarantined the row (see run_log)."),
          field(SOURCE, DataTypes.StringType, "Landing source: customers, transactions, ..."),
          field(SOURCE_FILE, DataTypes.StringType, "Landing file the row came from."),
          field(REASON_CODE, DataTypes.StringType,
              "MISSING_REQUIRED, UNPARSABLE, INVALID_VALUE, NEGATIVE_QUANTITY, SCORE_OUT_OF_RANGE, "
                  + "FUTURE_TIMESTAMP, DUPLICATE_KEY or UNKNOWN_CUSTOMER (the first rule broken)."),
          field(REASON, DataTypes.StringType, "Human-readable reason naming the column and value."),
          field(RECORD_KEY, DataTypes.StringType, "The row's key value as found, if any."),
          field(RAW_RECORD, DataTypes.StringType,
              "The raw record as JSON of the landing columns; for DUPLICATE_KEY and UNKNOWN_CUSTOMER rows, which "
                  + "passed every per-row check, the contract columns as parsed. E-mail and phone replaced by "
                  + "hmac:<keyed HMAC-SHA256>; a line that cannot be split into columns only as its length, field "
                  + "counts and keyed hash, never its text.")
      }),
      List.of(AS_OF_DATE),
      List.of(),
      "Landing rows that broke the input contract, per ingest as-of date. Never silently dropped: "
          + "rows_in = rows_loaded + rows_quarantined for every ingest (see run_log).");

  private Quarantine() {}
}
