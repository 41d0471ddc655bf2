package io.cxlake.common.runlog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.time.AsOf;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a job body and records it in {@code run_log}: a {@code STARTED} row before the body writes
 * anything, closed by a {@code SUCCEEDED} or {@code FAILED} row with the same run id, so an operator
 * sees every attempt (Airflow retries included) with its counts or its error, and a run that was
 * killed shows as a {@code STARTED} row that nothing closed. Both rows are blind appends, which
 * never conflict with a concurrent job's.
 */
public final class RunTracker {
  private RunTracker() {}

  /**
   * What a job reports about its run.
   *
   * @param finding what the run found, in one line for a person (the job's summary line); empty if
   *     nothing beyond the counts
   */
  public record RunStats(long rowsIn, long rowsOut, long rowsQuarantined, Map<String, String> details,
      String finding) {
    public RunStats {
      details = Map.copyOf(details);
      finding = finding == null ? "" : finding;
    }

    public RunStats(long rowsIn, long rowsOut, long rowsQuarantined, Map<String, String> details) {
      this(rowsIn, rowsOut, rowsQuarantined, details, "");
    }

    /** Stats of a job that only reads and writes, with no quarantine. */
    public static RunStats of(long rowsIn, long rowsOut) {
      return new RunStats(rowsIn, rowsOut, 0, Map.of());
    }

    /** The same stats with what the run found. */
    public RunStats withFinding(String text) {
      return new RunStats(rowsIn, rowsOut, rowsQuarantined, details, text);
    }
  }

  /** A job body: does the work and reports counts. */
  @FunctionalInterface
  public interface Body {
    RunStats run(String runId) throws Exception;
  }

  /**
   * Runs the body and logs it. Exceptions are rethrown unchanged after logging.
   *
   * @return the body's stats
   */
  public static RunStats track(SparkSession spark, TableCatalog catalog, String job, AsOf asOf, Body body)
      throws Exception {
    String runId = UUID.randomUUID().toString();
    Instant start = Instant.now();
    write(spark, catalog, runId, job, asOf, start, RunLog.STATUS_STARTED, null, null);
    try {
      RunStats stats = body.run(runId);
      write(spark, catalog, runId, job, asOf, start, RunLog.STATUS_SUCCEEDED, stats, null);
      return stats;
    } catch (Exception | Error e) {
      try {
        write(spark, catalog, runId, job, asOf, start, RunLog.STATUS_FAILED, null, String.valueOf(e.getMessage()));
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    }
  }

  /** A run that started and was never closed: killed, or still running. */
  public record Unfinished(String runId, String job, java.time.LocalDate asOf, Instant startedAt) {}

  /**
   * The latest run of each job and as-of date when it has a STARTED row and no closing row (killed,
   * or still running), oldest first. An earlier killed attempt that a later run redid is left out.
   */
  public static List<Unfinished> unfinished(SparkSession spark, TableCatalog catalog) {
    String path = catalog.path(RunLog.TABLE);
    if (!DeltaIO.exists(spark, path)) {
      return List.of();
    }
    Dataset<Row> log = DeltaIO.read(spark, path);
    Dataset<Row> closed = log.filter(col(RunLog.STATUS).notEqual(RunLog.STATUS_STARTED)).select(RunLog.RUN_ID);
    // Only the latest attempt of a job and date: a killed run that a retry has since redone is history.
    Dataset<Row> latest = log.filter(col(RunLog.STATUS).equalTo(RunLog.STATUS_STARTED))
        .groupBy(RunLog.JOB, RunLog.AS_OF_DATE)
        .agg(max_by(col(RunLog.RUN_ID), col(RunLog.STARTED_AT)).as(RunLog.RUN_ID));
    return log.filter(col(RunLog.STATUS).equalTo(RunLog.STATUS_STARTED))
        .join(latest.select(RunLog.RUN_ID), new String[] {RunLog.RUN_ID}, "left_semi")
        .join(closed, new String[] {RunLog.RUN_ID}, "left_anti")
        .orderBy(RunLog.STARTED_AT)
        .collectAsList().stream()
        .map(r -> new Unfinished(r.getAs(RunLog.RUN_ID), r.getAs(RunLog.JOB),
            r.<Date>getAs(RunLog.AS_OF_DATE).toLocalDate(), r.<Timestamp>getAs(RunLog.STARTED_AT).toInstant()))
        .toList();
  }

  private static void write(SparkSession spark, TableCatalog catalog, String runId, String job, AsOf asOf,
      Instant start, String status, RunStats stats, String message) {
    Row row = RowFactory.create(
        runId,
        job,
        Date.valueOf(asOf.date()),
        Timestamp.from(start),
        status.equals(RunLog.STATUS_STARTED) ? null : Timestamp.from(Instant.now()),
        status,
        stats == null ? null : stats.rowsIn(),
        stats == null ? null : stats.rowsOut(),
        stats == null ? null : stats.rowsQuarantined(),
        stats == null ? Map.of() : stats.details(),
        message);
    DeltaIO.append(spark, spark.createDataFrame(List.of(row), RunLog.TABLE.schema()), RunLog.TABLE,
        catalog.path(RunLog.TABLE));
  }
}
