package io.cxlake.jobs.bench;

import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What the Spark tasks of a session did, added up from their metrics as they end: shuffle bytes
 * read and written, bytes spilled, records read from storage and task time. A benchmark takes a
 * {@link #snapshot()} before and after a job and reports the difference.
 */
public final class SparkWork extends SparkListener {
  private static final long DRAIN_TIMEOUT_MS = 30_000;
  private final LongAdder shuffleRead = new LongAdder();
  private final LongAdder shuffleWritten = new LongAdder();
  private final LongAdder spilled = new LongAdder();
  private final LongAdder recordsRead = new LongAdder();
  private final LongAdder taskMillis = new LongAdder();
  private final LongAdder tasks = new LongAdder();
  private final SparkContext context;

  private SparkWork(SparkContext context) {
    this.context = context;
  }

  /** A listener registered on the session's context; it counts from now on. */
  public static SparkWork attach(SparkContext context) {
    SparkWork work = new SparkWork(context);
    context.addSparkListener(work);
    return work;
  }

  /**
   * Totals so far, after the listener bus has delivered every event of the tasks that ended (events
   * arrive asynchronously, so a snapshot without the wait would miss a job's last tasks).
   */
  public Totals snapshot() {
    try {
      context.listenerBus().waitUntilEmpty(DRAIN_TIMEOUT_MS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot measure the Spark work: the listener bus did not drain in "
          + DRAIN_TIMEOUT_MS + " ms", e);
    }
    return new Totals(shuffleRead.sum(), shuffleWritten.sum(), spilled.sum(), recordsRead.sum(), taskMillis.sum(),
        tasks.sum());
  }

  /** Removes the listener. */
  public void detach() {
    context.removeSparkListener(this);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics m = taskEnd.taskMetrics();
    if (m == null) {
      return; // a task that failed before it reported metrics
    }
    shuffleRead.add(m.shuffleReadMetrics().totalBytesRead());
    shuffleWritten.add(m.shuffleWriteMetrics().bytesWritten());
    spilled.add(m.memoryBytesSpilled() + m.diskBytesSpilled());
    recordsRead.add(m.inputMetrics().recordsRead());
    taskMillis.add(m.executorRunTime());
    tasks.increment();
  }

  /**
   * Cumulative task metrics.
   *
   * @param shuffleReadBytes shuffle bytes read (local and remote)
   * @param shuffleWriteBytes shuffle bytes written
   * @param spillBytes bytes spilled, in memory and on disk
   * @param recordsRead records read from files and tables
   * @param taskMillis executor run time of the tasks
   * @param tasks tasks that ended
   */
  public record Totals(long shuffleReadBytes, long shuffleWriteBytes, long spillBytes, long recordsRead,
      long taskMillis, long tasks) {
    /** This minus an earlier snapshot. */
    public Totals since(Totals earlier) {
      return new Totals(shuffleReadBytes - earlier.shuffleReadBytes, shuffleWriteBytes - earlier.shuffleWriteBytes,
          spillBytes - earlier.spillBytes, recordsRead - earlier.recordsRead, taskMillis - earlier.taskMillis,
          tasks - earlier.tasks);
    }
  }
}
