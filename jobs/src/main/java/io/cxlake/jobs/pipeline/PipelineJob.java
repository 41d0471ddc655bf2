package io.cxlake.jobs.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * One job of the pipeline file. Airflow-only settings (retries, timeouts, SLA, spark conf) are
 * validated when the file is loaded but not kept: the local run does not use them.
 *
 * @param name unique job name, the Airflow task id
 * @param command the {@code cxlake} command that runs it (usually the name)
 * @param schedule daily or weekly
 * @param enabled false to switch the job off: run skips it and Airflow gives it no task
 * @param description what the job does (Airflow task documentation)
 * @param note why a job is disabled, or other remarks; empty if none
 * @param dependsOn jobs that must succeed first for the same as-of date
 * @param runsAfter jobs that run first when both are selected, without a hard dependency
 * @param args extra command-line arguments appended to the command
 */
public record PipelineJob(String name, String command, Schedule schedule, boolean enabled, String description,
    String note, List<String> dependsOn, List<String> runsAfter, List<String> args) {
  public PipelineJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(note, "note");
    dependsOn = List.copyOf(dependsOn);
    runsAfter = List.copyOf(runsAfter);
    args = List.copyOf(args);
  }
}
