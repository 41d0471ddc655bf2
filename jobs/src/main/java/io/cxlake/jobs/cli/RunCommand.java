package io.cxlake.jobs.cli;

import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelinePlan;
import io.cxlake.jobs.pipeline.PipelineRunner;
import io.cxlake.jobs.pipeline.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxlake run}: the pipeline of conf/pipeline.json, job by job, in this JVM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Run the pipeline of conf/pipeline.json (the graph the Airflow DAGs are built from) for one as-of date:",
        "every enabled job in dependency order in one Spark session, with the common options passed to each.",
        "Stops at the first failure and prints the command that resumes from the failed job (--from)."})
final class RunCommand implements Callable<Integer> {
  /** Which jobs of the pipeline file a run considers. */
  enum ScheduleChoice {
    daily,
    weekly,
    all;

    Optional<Schedule> schedule() {
      return this == all ? Optional.empty() : Schedule.byId(name());
    }
  }

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--schedule", paramLabel = "daily|weekly|all",
      description = "The daily jobs, the weekly model training, or all of them in one order (default ${DEFAULT-VALUE}).")
  ScheduleChoice schedule = ScheduleChoice.all;

  @Option(names = "--from", paramLabel = "JOB",
      description = "Start at this job and skip the ones before it in the pipeline order (resume after a failure).")
  String from;

  @Option(names = "--only", paramLabel = "JOB", arity = "1..*", split = ",",
      description = "Run only these jobs, in dependency order; what they read must already exist.")
  List<String> only = new ArrayList<>();

  @Option(names = "--pipeline", paramLabel = "FILE",
      description = "Pipeline definition (default: conf/pipeline.json as packaged in the application jar).")
  Path pipeline;

  @Override
  public Integer call() {
    AsOf asOf = common.requiredAsOf("the pipeline");
    // A configuration error would fail every job; report it before the first one starts.
    common.config();
    PipelineDefinition definition = pipeline == null ? PipelineDefinition.loadDefault() : PipelineDefinition.load(pipeline);
    PipelinePlan plan = definition.plan(schedule.schedule(), Optional.ofNullable(from), only);
    List<String> commonArgs = CliJobLauncher.commonArgs(common, asOf);
    CliJobLauncher launcher = new CliJobLauncher(commonArgs, spec.commandLine().getOut(), spec.commandLine().getErr(),
        definition.origin());
    // A job killed by the scheduler (or kill -9) never wrote its closing row: say so before running again.
    for (RunTracker.Unfinished u : RunTracker.unfinished(common.spark("pipeline"), common.catalog())) {
      spec.commandLine().getOut().printf("run: %s for %s started at %s and never ended: it was killed (or is still "
          + "running elsewhere); run_log run_id %s%n", u.job(), u.asOf(), u.startedAt(), u.runId());
    }
    PipelineRunner.run(plan, launcher, spec.commandLine().getOut(), job -> resumeCommand(commonArgs, job));
    return 0;
  }

  /** This run's command line, starting at {@code job}. */
  private String resumeCommand(List<String> commonArgs, String job) {
    List<String> words = new ArrayList<>(commonArgs);
    if (schedule != ScheduleChoice.all) {
      words.addAll(List.of("--schedule", schedule.name()));
    }
    if (pipeline != null) {
      words.addAll(List.of("--pipeline", pipeline.toString()));
    }
    if (!only.isEmpty()) {
      words.add("--only");
      words.add(String.join(",", only));
    }
    return CliJobLauncher.resumeCommand(words, job);
  }
}
