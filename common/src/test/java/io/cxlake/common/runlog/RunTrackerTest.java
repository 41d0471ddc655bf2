package io.cxlake.common.runlog;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A STARTED row before the body, a closing row after it; a body that never returns stays STARTED. */
@ExtendWith(SparkExtension.class)
class RunTrackerTest {
  private static final AsOf AS_OF = AsOf.parse("2026-11-22");

  @Test
  void everyRunIsOpenedBeforeItsBodyAndClosedAfterIt(SparkSession spark, @TempDir Path warehouse) throws Exception {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    String path = catalog.path(RunLog.TABLE);
    RunTracker.track(spark, catalog, "ok", AS_OF, runId -> {
      List<Row> during = DeltaIO.read(spark, path).filter(col(RunLog.RUN_ID).equalTo(runId)).collectAsList();
      assertThat(during).as("the STARTED row exists while the body runs")
          .extracting(r -> r.<String>getAs(RunLog.STATUS)).containsExactly(RunLog.STATUS_STARTED);
      return RunTracker.RunStats.of(3, 2);
    });
    assertThatThrownBy(() -> RunTracker.track(spark, catalog, "broken", AS_OF, runId -> {
      throw new IllegalStateException("Cannot run: boom");
    })).hasMessage("Cannot run: boom");

    assertThat(DeltaIO.read(spark, path).orderBy(RunLog.STARTED_AT, RunLog.ENDED_AT).collectAsList())
        .extracting(r -> r.<String>getAs(RunLog.JOB) + " " + r.<String>getAs(RunLog.STATUS))
        .containsExactly("ok STARTED", "ok SUCCEEDED", "broken STARTED", "broken FAILED");
    assertThat(RunTracker.unfinished(spark, catalog)).as("every run closed").isEmpty();

    // A run killed inside its body: the process died before the tracker could close it.
    Row started = RowFactory.create("run-killed", "killed", Date.valueOf("2026-11-22"),
        Timestamp.valueOf("2026-11-22 10:00:00"), null, RunLog.STATUS_STARTED, null, null, null, Map.of(), null);
    DeltaIO.append(spark, spark.createDataFrame(List.of(started), RunLog.TABLE.schema()), RunLog.TABLE, path);
    assertThat(RunTracker.unfinished(spark, catalog)).as("the killed run, by its STARTED row")
        .extracting(RunTracker.Unfinished::job).containsExactly("killed");

    // Its retry for the same date closed: the kill is history, not something to report on every run.
    RunTracker.track(spark, catalog, "killed", AS_OF, runId -> RunTracker.RunStats.of(1, 1));
    assertThat(RunTracker.unfinished(spark, catalog)).as("redone by a later run").isEmpty();
  }
}
