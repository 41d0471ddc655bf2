package io.cxlake.common.runlog;

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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a job body and appends its row to {@code run_log} whether it succeeds or fails, so an
 * operator sees every attempt (Airflow retries included) with its counts or its error.
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

  private static void write(SparkSession spark, TableCatalog catalog, String runId, String job, AsOf asOf,
      Instant start, String status, RunStats stats, String message) {
    Row row = RowFactory.create(
        runId,
        job,
        Date.valueOf(asOf.date()),
        Timestamp.from(start),
        Timestamp.from(Instant.now()),
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
