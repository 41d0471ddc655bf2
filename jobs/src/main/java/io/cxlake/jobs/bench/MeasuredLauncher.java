package io.cxlake.jobs.bench;

import io.cxlake.jobs.pipeline.PipelineJob;
import io.cxlake.jobs.pipeline.PipelineRunner.JobLauncher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs pipeline jobs through another launcher and measures each: wall time, the Spark work of its
 * tasks ({@link SparkWork}) and the driver's peak heap. In local mode the driver JVM runs the
 * tasks too, so the heap peak includes their memory.
 */
public final class MeasuredLauncher implements JobLauncher {
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
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    SparkWork.Totals before = work.snapshot();
    long started = System.nanoTime();
    inner.launch(job);
    long nanos = System.nanoTime() - started;
    // The sum of the pools' peaks: an upper bound of the heap in use at any one moment.
    long heapPeak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    measurements.add(new Measurement(job, nanos / 1e9, work.snapshot().since(before), heapPeak));
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
   * @param heapPeakBytes the driver's peak heap while it ran (sum of the heap pools' peaks)
   */
  public record Measurement(PipelineJob job, double seconds, SparkWork.Totals work, long heapPeakBytes) {}
}
