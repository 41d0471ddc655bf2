package io.cxlake.jobs.pipeline;

import static io.cxlake.jobs.pipeline.PipelineDefinitionTest.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.jobs.pipeline.PipelineRunner.PipelineFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Running a plan with fake jobs: order, stop at the first failure, resume; no Spark. */
class PipelineRunnerTest {
  /** Records launches; fails the jobs it is told to. */
  static final class FakeLauncher implements PipelineRunner.JobLauncher {
    final List<String> launched = new ArrayList<>();
    final Set<String> failing;
    final Set<String> missing;

    FakeLauncher(Set<String> failing, Set<String> missing) {
      this.failing = failing;
      this.missing = missing;
    }

    @Override
    public void check(PipelineJob job) {
      if (missing.contains(job.command())) {
        throw new IllegalArgumentException("Cannot run pipeline: no command (" + job.command() + ")");
      }
    }

    @Override
    public void launch(PipelineJob job) {
      launched.add(job.name());
      if (failing.contains(job.name())) {
        throw new IllegalStateException("Cannot " + job.name() + ": boom");
      }
    }
  }

  private final StringWriter output = new StringWriter();
  private final PrintWriter out = new PrintWriter(output, true);

  private List<String> run(PipelinePlan plan, FakeLauncher launcher) {
    return PipelineRunner.run(plan, launcher, out, job -> "cxlake run --from " + job);
  }

  private static PipelinePlan plan(Optional<String> from) {
    return sample().plan(Optional.empty(), from, List.of());
  }

  @Test
  void runsEveryEnabledJobInOrderAndNamesTheSkippedOnes() {
    FakeLauncher launcher = new FakeLauncher(Set.of(), Set.of());
    assertThat(run(plan(Optional.empty()), launcher)).as("succeeded")
        .containsExactly("ingest", "c360", "clv", "train", "score");
    assertThat(launcher.launched).as("launched in order").containsExactly("ingest", "c360", "clv", "train", "score");
    assertThat(output.toString()).as("progress")
        .contains("pipeline: skipping disabled kpis", "pipeline: ingest -> c360 -> clv -> train -> score",
            "[3/5] clv succeeded in", "pipeline: 5 jobs succeeded in");
  }

  @Test
  void stopsAtTheFirstFailureNamingTheJobAndTheResumeCommand() {
    FakeLauncher launcher = new FakeLauncher(Set.of("clv"), Set.of());
    assertThatThrownBy(() -> run(plan(Optional.empty()), launcher))
        .isInstanceOf(PipelineFailedException.class)
        .hasMessage("Cannot run pipeline: job clv failed (Cannot clv: boom); succeeded before it: ingest, c360;"
            + " fix the cause and resume with: cxlake run --from clv")
        .satisfies(e -> assertThat(((PipelineFailedException) e).job()).as("failed job").isEqualTo("clv"))
        .hasRootCauseMessage("Cannot clv: boom");
    assertThat(launcher.launched).as("nothing after the failure").containsExactly("ingest", "c360", "clv");
    assertThat(output.toString()).as("progress").contains("[3/5] clv FAILED after");
  }

  @Test
  void resumingFromTheFailedJobRunsOnlyItAndTheJobsAfterIt() {
    FakeLauncher first = new FakeLauncher(Set.of("train"), Set.of());
    assertThatThrownBy(() -> run(plan(Optional.empty()), first)).hasMessageContaining("--from train");
    FakeLauncher resumed = new FakeLauncher(Set.of(), Set.of());
    assertThat(run(plan(Optional.of("train")), resumed)).as("resumed").containsExactly("train", "score");
  }

  @Test
  void aFailureInTheFirstJobSaysNothingSucceeded() {
    assertThatThrownBy(() -> run(plan(Optional.empty()), new FakeLauncher(Set.of("ingest"), Set.of())))
        .hasMessageContaining("job ingest failed (Cannot ingest: boom); no job succeeded before it;");
  }

  @Test
  void aJobThatCannotBeLaunchedStopsTheRunBeforeAnyJobStarts() {
    FakeLauncher launcher = new FakeLauncher(Set.of(), Set.of("score"));
    assertThatThrownBy(() -> run(plan(Optional.empty()), launcher)).hasMessage("Cannot run pipeline: no command (score)");
    assertThat(launcher.launched).as("launched").isEmpty();
  }

  @Test
  void aSelectionOfDisabledJobsOnlyRunsNothing() {
    PipelineDefinition p = PipelineDefinitionTest.parse(PipelineDefinitionTest.job("a", "daily", true),
        PipelineDefinitionTest.job("later", "weekly", false, "a"));
    FakeLauncher launcher = new FakeLauncher(Set.of(), Set.of());
    assertThat(run(p.plan(Optional.of(Schedule.WEEKLY), Optional.empty(), List.of()), launcher)).isEmpty();
    assertThat(output.toString()).contains("pipeline: nothing to run, every selected job is disabled");
  }
}
