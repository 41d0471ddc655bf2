package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The attribute history of the silver tables (slowly changing dimension, type 2). A row whose
 * values change in a later load is not overwritten: its current version is closed and the new
 * values become a new version, so a job at a past cut-off reads the values as they were then
 * ({@code io.cxlake.common.time.PointInTime}). A key has one current version ({@link #VALID_TO}
 * null) and any number of closed ones.
 */
public final class SilverHistory {
  /**
   * When the version took effect: the source's {@link #UPDATED_TS} when the export has one, else
   * the start of the as-of day of the ingest that first saw the values; null for a key's first
   * version, which holds from the start (its own event timestamp still places it in time).
   */
  public static final String VALID_FROM = "valid_from";
  /** Lineage column of every silver table: the landing file the version was loaded from. */
  public static final String SOURCE_FILE = SilverTables.SOURCE_FILE;
  /** When the next version took effect (exclusive); null while the version is current. */
  public static final String VALID_TO = "valid_to";
  /**
   * Optional contract column of the mutable sources (customers, products, transactions,
   * support_tickets): when the source system last changed the row. Sets {@link #VALID_FROM} of a
   * changed row, and among rows of one key in the landing zone the latest one is loaded.
   */
  public static final String UPDATED_TS = "updated_ts";
  /** The comment of {@link #UPDATED_TS} in the silver tables. */
  static final String UPDATED_TS_COMMENT = "When the source system last changed the row (UTC), when the export has it; "
      + "sets valid_from of a changed row.";

  /**
   * Columns whose change alone makes no new version: lineage (a row delivered again in another
   * file), the source's change time, and the version columns themselves.
   */
  public static final List<String> UNTRACKED = List.of(SilverTables.SOURCE_FILE, UPDATED_TS, VALID_FROM, VALID_TO);

  /**
   * Silver columns a writer may leave out, written as null: the version columns (a row loaded
   * outside the ingest's merge is a first version) and the optional change time.
   */
  public static final List<String> OPTIONAL = List.of(UPDATED_TS, VALID_FROM, VALID_TO);

  private SilverHistory() {}

  /** The version columns every silver table ends with. */
  static List<StructField> fields() {
    return List.of(
        field(VALID_FROM, DataTypes.TimestampType, "When this version took effect (UTC): updated_ts, else the start of the as-of day of the "
            + "ingest that saw the change; null for a key's first version."),
        field(VALID_TO, DataTypes.TimestampType, "When the next version took effect (UTC, exclusive); null for the current version."));
  }
}
