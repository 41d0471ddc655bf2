package io.cxlake.jobs.cli;

import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;

/** What a job prints when it ends: its counts, then what it found. */
final class Summary {
  private Summary() {}

  static String line(String job, AsOf asOf, RunStats stats) {
    String counts = String.format("%s --as-of %s: rows_in=%d rows_out=%d rows_quarantined=%d",
        job, asOf, stats.rowsIn(), stats.rowsOut(), stats.rowsQuarantined());
    return stats.finding().isEmpty() ? counts : counts + System.lineSeparator() + "  " + stats.finding();
  }
}
