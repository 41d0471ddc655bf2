package io.cxlake.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cxlake.jobs.erase.EraseJob;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineJob;
import io.cxlake.jobs.sample.SimulateResponseJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * conf/pipeline.json and the command line agree: every enabled job is a real job command whose
 * options accept the job's arguments, and every job command is wired into the pipeline. When a job
 * lands, this test asks for its "enabled": true; no Spark.
 */
class PipelineWiringTest {
  private final PipelineDefinition pipeline = PipelineDefinition.loadDefault();
  private final Map<String, CommandLine> commands = CxlakeCli.commandLine().getSubcommands();
  /**
   * Job commands a person runs on demand, never on a schedule: sample-data tools (demo, by hand) and
   * erasure requests.
   */
  private static final Set<String> ON_DEMAND = Set.of(SimulateResponseJob.NAME, EraseJob.NAME);

  @Test
  void everyEnabledJobIsAJobCommandThatAcceptsItsArguments() {
    CliJobLauncher launcher = new CliJobLauncher(
        List.of("--as-of", "2026-11-22", "--landing", "l", "--warehouse", "w", "--conf", "spark.x=1"),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), pipeline.origin());
    for (PipelineJob job : pipeline.jobs()) {
      if (job.enabled()) {
        assertThat(commands.get(job.command())).as("enabled job " + job.name() + " has a cxlake command "
                + job.command() + " (else set \"enabled\": false in conf/pipeline.json until it lands)")
            .isNotNull()
            .extracting(CommandLine::getCommand).isInstanceOf(JobCommand.class);
        assertThatCode(() -> launcher.check(job)).as("arguments of " + job.name()).doesNotThrowAnyException();
      }
    }
  }

  @Test
  void everyJobCommandIsAnEnabledJobOfThePipeline() {
    TreeSet<String> enabledCommands = pipeline.jobs().stream().filter(PipelineJob::enabled).map(PipelineJob::command)
        .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> jobCommands = commands.entrySet().stream()
        .filter(e -> e.getValue().getCommand() instanceof JobCommand).map(Map.Entry::getKey)
        .filter(name -> !ON_DEMAND.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(enabledCommands).as("job commands run by the pipeline; a new job command needs \"enabled\": true"
            + " on its job in conf/pipeline.json (and the Airflow DAGs then run it too)")
        .containsAll(jobCommands);
  }

  @Test
  void aDisabledJobOrAnUnknownCommandIsRejectedBeforeAnythingRuns() {
    CliJobLauncher launcher = new CliJobLauncher(List.of("--as-of", "2026-11-22"),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "p.json");
    PipelineJob missing = new PipelineJob("forecast", "forecast", io.cxlake.jobs.pipeline.Schedule.DAILY, true, "x", "",
        List.of(), List.of(), List.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> launcher.check(missing))
        .hasMessage("Cannot run pipeline: job forecast is enabled in p.json but cxlake has no job command of that name;"
            + " set \"enabled\": false until it exists (forecast)");
    PipelineJob badArgs = new PipelineJob("clv", "clv", io.cxlake.jobs.pipeline.Schedule.DAILY, true, "x", "",
        List.of(), List.of(), List.of("--holdout", "2027-01-01"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> launcher.check(badArgs))
        .hasMessageStartingWith("Cannot run pipeline: the clv command rejects the arguments of job clv in p.json (")
        .hasMessageContaining("--holdout");
  }
}
