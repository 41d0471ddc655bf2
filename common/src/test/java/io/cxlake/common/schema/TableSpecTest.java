package io.cxlake.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Date;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TableSpecTest {
  private static TableSpec.RowBuilder complete() {
    return RunLog.TABLE.row()
        .set(RunLog.RUN_ID, "r1")
        .set(RunLog.JOB, "ingest")
        .set(RunLog.AS_OF_DATE, Date.valueOf("2026-03-31"))
        .setNull(RunLog.STARTED_AT, RunLog.ENDED_AT, RunLog.ROWS_IN, RunLog.ROWS_OUT, RunLog.ROWS_QUARANTINED,
            RunLog.DETAILS, RunLog.MESSAGE)
        .set(RunLog.STATUS, RunLog.STATUS_SUCCEEDED);
  }

  @Test
  void aRowIsBuiltByColumnNameInTheTablesOrder() {
    Row row = complete().set(RunLog.ROWS_IN, 7L).build();
    assertThat(row.size()).as("one value per column").isEqualTo(RunLog.TABLE.columns().size());
    assertThat(row.get(RunLog.TABLE.columns().indexOf(RunLog.ROWS_IN))).as("rows_in at its position").isEqualTo(7L);
    assertThat(row.get(RunLog.TABLE.columns().indexOf(RunLog.JOB))).as("job at its position").isEqualTo("ingest");
  }

  @Test
  void aMisspeltColumnFailsWhenItIsSet() {
    assertThatThrownBy(() -> complete().set("rows_inn", 7L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a row of run_log: no such column (rows_inn)");
  }

  @Test
  void aColumnLeftUnsetFailsWhenTheRowIsBuilt() {
    assertThatThrownBy(() -> RunLog.TABLE.row().set(RunLog.RUN_ID, "r1").set(RunLog.JOB, "ingest").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot build a row of run_log: columns not set (as_of_date, started_at, ");
  }

  @Test
  void aValueOfTheWrongTypeFailsWhenItIsSet() {
    assertThatThrownBy(() -> complete().set(RunLog.ROWS_IN, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a row of run_log: column rows_in is bigint, not Integer (7)");
  }

  @Test
  void aCopyIsIndependentOfTheBuilderItCameFrom() {
    TableSpec.RowBuilder shared = complete();
    Row first = shared.copy().set(RunLog.JOB, "clv").build();
    Row second = shared.build();
    assertThat(first.<String>getAs(1)).as("the copy's value").isEqualTo("clv");
    assertThat(second.<String>getAs(1)).as("the original keeps its own").isEqualTo("ingest");
  }
}
