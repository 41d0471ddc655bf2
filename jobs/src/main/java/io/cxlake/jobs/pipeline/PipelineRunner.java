package io.cxlake.jobs.pipeline;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs a {@link PipelinePlan} job by job and stops at the first failure with a message that names
 * the job and the command that resumes from it. Resuming is safe because every job replaces its
 * as-of partition when rerun.
 */
public final class PipelineRunner {
  private PipelineRunner() {}

  /** Starts one job; the command line runs the job's command in the same JVM and Spark session. */
  public interface JobLauncher {
    /**
     * Checks, before any job runs, that this one can be launched (its command exists, its
     * arguments parse), so a typo in the pipeline file does not stop a run halfway.
     *
     * @throws IllegalArgumentException with a "Cannot ..." message when it cannot
     */
    void check(PipelineJob job);

    /** Runs the job to completion; any exception is its failure. */
    void launch(PipelineJob job) throws Exception;
  }

  /** A job failed; the message names it, the jobs that succeeded before it, and how to resume. */
  public static final class PipelineFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String job;

    PipelineFailedException(String message, String job, Throwable cause) {
      super(message, cause);
      this.job = job;
    }

    /** The job that failed. */
    public String job() {
      return job;
    }
  }

  /**
   * Runs the plan.
   *
   * @param plan the jobs, in order
   * @param launcher starts each job
   * @param out progress lines
   * @param resumeCommand the command line that reruns the same selection from a given job
   * @return the jobs that ran, all successfully
   * @throws PipelineFailedException when a job fails; later jobs do not run
   */
  public static List<String> run(PipelinePlan plan, JobLauncher launcher, PrintWriter out,
      UnaryOperator<String> resumeCommand) {
    plan.jobs().forEach(launcher::check);
    if (!plan.skipped().isEmpty()) {
      out.println("pipeline: skipping disabled " + plan.skipped().stream()
          .map(j -> j.note().isEmpty() ? j.name() : j.name() + " (" + j.note() + ")")
          .collect(Collectors.joining(", ")));
    }
    if (plan.jobs().isEmpty()) {
      out.println("pipeline: nothing to run, every selected job is disabled");
      out.flush();
      return List.of();
    }
    out.println("pipeline: " + plan.jobs().stream().map(PipelineJob::name).collect(Collectors.joining(" -> ")));
    out.flush();
    long started = System.nanoTime();
    List<String> succeeded = new ArrayList<>();
    int n = plan.jobs().size();
    for (int i = 0; i < n; i++) {
      PipelineJob job = plan.jobs().get(i);
      out.printf("[%d/%d] %s%n", i + 1, n, job.name());
      out.flush();
      long t0 = System.nanoTime();
      try {
        launcher.launch(job);
      } catch (Exception e) {
        out.printf("[%d/%d] %s FAILED after %s%n", i + 1, n, job.name(), seconds(t0));
        out.flush();
        String before = succeeded.isEmpty() ? "no job succeeded before it" : "succeeded before it: "
            + String.join(", ", succeeded);
        throw new PipelineFailedException("Cannot run pipeline: job " + job.name() + " failed (" + e.getMessage()
            + "); " + before + "; fix the cause and resume with: " + resumeCommand.apply(job.name()), job.name(), e);
      }
      succeeded.add(job.name());
      out.printf("[%d/%d] %s succeeded in %s%n", i + 1, n, job.name(), seconds(t0));
      out.flush();
    }
    out.printf("pipeline: %d job%s succeeded in %s%n", n, n == 1 ? "" : "s", seconds(started));
    out.flush();
    return List.copyOf(succeeded);
  }

  private static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - startNanos) / 1e9);
  }
}
