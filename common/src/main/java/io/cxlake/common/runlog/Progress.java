package io.cxlake.common.runlog;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a long job is doing, one line per phase on standard error, each with the time the phase
 * before it took: a person at a terminal sees the job move, and a scheduler's log (Airflow) gets
 * one line per phase and nothing more. Spark's own console progress bar is switched on by
 * {@code SparkSessionFactory} for terminals only.
 */
public final class Progress {
  private final String job;
  private final PrintStream out;
  private long phaseStarted;
  private String phase;

  private Progress(String job, PrintStream out) {
    this.job = job;
    this.out = out;
  }

  /** The progress of one run of a job, printed to standard error. */
  public static Progress of(String job) {
    return new Progress(job, System.err);
  }

  /** Starts a phase, e.g. {@code "web_events: validating 1,266,598 rows"}. */
  public void phase(String what) {
    long now = System.nanoTime();
    String previous = phase == null ? "" : String.format(Locale.ROOT, "  (%s: %.1f s)", phase,
        (now - phaseStarted) / 1e9);
    out.println(job + ": " + what + previous);
    out.flush();
    phase = what;
    phaseStarted = now;
  }
}
