package io.cxlake.jobs.cli;

import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;

/** The one line a job prints when it ends. */
final class Summary {
  private Summary() {}

  static String line(String job, AsOf asOf, RunStats stats) {
    return String.format("%s --as-of %s: rows_in=%d rows_out=%d rows_quarantined=%d",
        job, asOf, stats.rowsIn(), stats.rowsOut(), stats.rowsQuarantined());
  }
}
