package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The suppression table: who has been erased, as keyed hashes only. {@code erase} adds to it and
 * ingest drops every landing row that matches it, so an unchanged landing zone never brings an
 * erased customer back.
 */
public final class Suppression {
  public static final String KEY_TYPE = "key_type";
  public static final String KEY_HASH = "key_hash";
  public static final String ERASED_AT = "erased_at";
  public static final String RUN_ID = "run_id";

  /** What a suppression key identifies. */
  public enum KeyType {
    /** A customers.customer_id (and every source's customer column). */
    CUSTOMER_ID,
    /** A customers.email. */
    EMAIL,
    /** A customers.phone. */
    PHONE,
    /** A web_events.anonymous_id once stitched to an erased customer. */
    ANONYMOUS_ID;

    /** The value stored in {@link #KEY_TYPE}. */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final TableSpec TABLE = new TableSpec(
      "suppression",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(KEY_TYPE, DataTypes.StringType, "customer_id, email, phone or anonymous_id."),
          field(KEY_HASH, DataTypes.StringType,
              "HMAC-SHA256 (privacy.hash-salt) of the trimmed lower-case value; never the value itself."),
          field(ERASED_AT, DataTypes.TimestampType, "When the erase run that added the key started (UTC)."),
          field(RUN_ID, DataTypes.StringType, "The erase run (see run_log).")
      }),
      List.of(),
      List.of(KEY_TYPE, KEY_HASH),
      "Erased customers as keyed hashes: ingest drops every landing row that matches (counted as rows_suppressed "
          + "in run_log), so an erasure survives the next load of an unchanged landing zone.");

  private Suppression() {}
}
