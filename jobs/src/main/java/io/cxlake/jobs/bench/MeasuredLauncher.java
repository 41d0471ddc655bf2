package io.cxlake.jobs.bench;

import io.cxlake.jobs.pipeline.PipelineJob;
import io.cxlake.jobs.pipeline.PipelineRunner.JobLauncher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs pipeline jobs through another launcher and measures each: wall time, the Spark work of its
 * tasks ({@link SparkWork}) and the driver's peak heap in use, sampled every 50 ms (garbage not
 * yet collected included). In local mode the driver JVM runs the tasks too, so it includes theirs.
 */
public final class MeasuredLauncher implements JobLauncher {
  private static final long HEAP_SAMPLE_MS = 50;
  private final JobLauncher inner;
  private final SparkWork work;
  private final List<Measurement> measurements = new ArrayList<>();

  public MeasuredLauncher(JobLauncher inner, SparkWork work) {
    this.inner = inner;
    this.work = work;
  }

  @Override
  public void check(PipelineJob job) {
    inner.check(job);
  }

  @Override
  public void launch(PipelineJob job) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong heapPeak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
    // Sampled, not the pools' own peaks: those peak at different moments, so their sum overstates.
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-heap-sampler");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleAtFixedRate(() -> heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0, HEAP_SAMPLE_MS, TimeUnit.MILLISECONDS);
    SparkWork.Totals before = work.snapshot();
    long started = System.nanoTime();
    try {
      inner.launch(job);
    } finally {
      sampler.shutdownNow();
    }
    long nanos = System.nanoTime() - started;
    measurements.add(new Measurement(job, nanos / 1e9, work.snapshot().since(before), heapPeak.get()));
  }

  /** The jobs launched so far, in order. */
  public List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  /**
   * One job's run.
   *
   * @param job the pipeline job
   * @param seconds wall time
   * @param work its Spark tasks' metrics
   * @param heapPeakBytes the driver's largest sampled heap in use while it ran
   */
  public record Measurement(PipelineJob job, double seconds, SparkWork.Totals work, long heapPeakBytes) {}
}
