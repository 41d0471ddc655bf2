package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The run_log table: a STARTED row when a job run begins and a SUCCEEDED or FAILED row with the same
 * run id when it ends; a run killed in between keeps only its STARTED row.
 */
public final class RunLog {
  public static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String AS_OF_DATE = "as_of_date";
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";
  public static final String STATUS = "status";
  public static final String ROWS_IN = "rows_in";
  public static final String ROWS_OUT = "rows_out";
  public static final String ROWS_QUARANTINED = "rows_quarantined";
  public static final String DETAILS = "details";
  public static final String MESSAGE = "message";

  public static final String STATUS_STARTED = "STARTED";
  public static final String STATUS_SUCCEEDED = "SUCCEEDED";
  public static final String STATUS_FAILED = "FAILED";

  public static final TableSpec TABLE = new TableSpec(
      "run_log",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(RUN_ID, DataTypes.StringType, "Unique id of the run."),
          field(JOB, DataTypes.StringType, "Job (command) name."),
          field(AS_OF_DATE, DataTypes.DateType, "As-of date the run computed."),
          field(STARTED_AT, DataTypes.TimestampType, "Wall-clock start (UTC)."),
          field(ENDED_AT, DataTypes.TimestampType, "Wall-clock end (UTC); null on the STARTED row."),
          field(STATUS, DataTypes.StringType,
              "STARTED (written before the job writes anything), then SUCCEEDED or FAILED in a second row."),
          field(ROWS_IN, DataTypes.LongType, "Rows read (ingest: landing rows)."),
          field(ROWS_OUT, DataTypes.LongType, "Rows written to the job's main output."),
          field(ROWS_QUARANTINED, DataTypes.LongType, "Rows sent to quarantine."),
          field(DETAILS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
              "Per-source or per-table counts and settings of the run."),
          field(MESSAGE, DataTypes.StringType, "Error message of a failed run; null when it succeeded.")
      }),
      List.of(),
      List.of(RUN_ID, STATUS),
      "Two rows per job run, STARTED and then SUCCEEDED or FAILED: what ran, for which as-of date, how long, and "
          + "the row counts. A STARTED row without a second row is a run that was killed (or is still running).");

  private RunLog() {}
}
