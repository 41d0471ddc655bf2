package io.cxlake.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Loading, validating and ordering the pipeline graph; no Spark. */
class PipelineDefinitionTest {
  private static final String SCHEDULES = """
      "schedules": {
        "daily": {"dag_id": "d", "cron": "0 2 * * *", "start_date": "2026-11-01", "dagrun_timeout_minutes": 60,
                  "description": "daily"},
        "weekly": {"dag_id": "w", "cron": "0 2 * * 0", "start_date": "2026-11-01", "dagrun_timeout_minutes": 60,
                   "description": "weekly"}}""";

  /** A pipeline file with these job objects. */
  static String pipeline(String... jobs) {
    return "{" + SCHEDULES + ", \"jobs\": [" + String.join(",\n", jobs) + "]}";
  }

  /** One job object; {@code deps} entries starting with '~' are runs_after, the others depends_on. */
  static String job(String name, String schedule, boolean enabled, String... deps) {
    List<String> dependsOn = java.util.Arrays.stream(deps).filter(d -> !d.startsWith("~")).map(d -> "\"" + d + "\"").toList();
    List<String> runsAfter = java.util.Arrays.stream(deps).filter(d -> d.startsWith("~"))
        .map(d -> "\"" + d.substring(1) + "\"").toList();
    return String.format("{\"name\": \"%s\", \"schedule\": \"%s\", \"enabled\": %s, \"description\": \"%s job\","
            + " \"depends_on\": [%s], \"runs_after\": [%s]}",
        name, schedule, enabled, name, String.join(", ", dependsOn), String.join(", ", runsAfter));
  }

  static PipelineDefinition parse(String... jobs) {
    return PipelineDefinition.parse(pipeline(jobs), "test.json");
  }

  static List<String> names(List<PipelineJob> jobs) {
    return jobs.stream().map(PipelineJob::name).toList();
  }

  /** A small graph in the shape of the real one: a daily chain, a weekly training that the scoring runs after. */
  static PipelineDefinition sample() {
    return parse(
        job("ingest", "daily", true),
        job("c360", "daily", true, "ingest"),
        job("clv", "daily", true, "c360"),
        job("kpis", "daily", false, "c360"),
        job("score", "daily", true, "clv", "kpis", "~train"),
        job("train", "weekly", true, "clv"));
  }

  @Test
  void theRepositoryPipelineDeclaresTheWholeTargetGraph() {
    PipelineDefinition p = PipelineDefinition.loadDefault();
    assertThat(names(p.order())).as("execution order: weekly training before the daily job that uses its model")
        .containsExactly("ingest", "customer360", "clv", "cohorts", "kpis", "churn-train", "churn-score",
            "segment-train", "segment", "recommend", "actions", "export-actions", "campaign-results", "report",
            "catalog-sync", "maintain");
    assertThat(names(p.order().stream().filter(j -> j.schedule() == Schedule.WEEKLY).toList())).as("weekly jobs")
        .containsExactly("churn-train", "segment-train", "maintain");
    assertThat(p.job("customer360").orElseThrow().dependsOn()).as("customer360 after ingest").containsExactly("ingest");
    for (String analytic : List.of("clv", "cohorts", "kpis")) {
      assertThat(p.job(analytic).orElseThrow().dependsOn()).as(analytic + " after customer360").containsExactly("customer360");
    }
    assertThat(p.job("churn-score").orElseThrow().dependsOn()).as("churn-score after the analytics")
        .containsExactly("clv", "cohorts", "kpis");
    assertThat(p.job("segment").orElseThrow().dependsOn()).containsExactly("churn-score");
    assertThat(p.job("recommend").orElseThrow().dependsOn()).containsExactly("segment");
    assertThat(p.job("actions").orElseThrow().dependsOn()).containsExactly("recommend");
    assertThat(p.job("export-actions").orElseThrow().dependsOn()).containsExactly("actions");
    assertThat(p.job("campaign-results").orElseThrow().dependsOn()).containsExactly("actions");
    assertThat(p.job("report").orElseThrow().dependsOn()).as("the report of the day's tables")
        .containsExactly("campaign-results");
    assertThat(p.job("catalog-sync").orElseThrow().dependsOn()).as("the catalog after the last tables of the day")
        .containsExactly("campaign-results", "export-actions");
    assertThat(p.job("maintain").orElseThrow().dependsOn()).as("upkeep after the day's last job")
        .containsExactly("catalog-sync");
    assertThat(p.job("maintain").orElseThrow().runsAfter()).as("and after the week's training")
        .containsExactly("churn-train", "segment-train");
  }

  @Test
  void orderFollowsDependenciesAndBreaksTiesByFileOrder() {
    PipelineDefinition p = parse(
        job("report", "daily", true, "b", "a"),
        job("b", "daily", true),
        job("a", "daily", true),
        job("c", "daily", true, "a"));
    assertThat(names(p.order())).containsExactly("b", "a", "report", "c");
  }

  @Test
  void planSelectsByScheduleAndSkipsDisabledJobs() {
    PipelineDefinition p = sample();
    PipelinePlan all = p.plan(Optional.empty(), Optional.empty(), List.of());
    assertThat(names(all.jobs())).as("all schedules").containsExactly("ingest", "c360", "clv", "train", "score");
    assertThat(names(all.skipped())).as("disabled").containsExactly("kpis");
    assertThat(names(p.plan(Optional.of(Schedule.DAILY), Optional.empty(), List.of()).jobs())).as("daily")
        .containsExactly("ingest", "c360", "clv", "score");
    assertThat(names(p.plan(Optional.of(Schedule.WEEKLY), Optional.empty(), List.of()).jobs())).as("weekly")
        .containsExactly("train");
  }

  @Test
  void fromResumesAtAJobAndOnlyRunsTheNamedJobsInOrder() {
    PipelineDefinition p = sample();
    assertThat(names(p.plan(Optional.empty(), Optional.of("clv"), List.of()).jobs())).as("--from clv")
        .containsExactly("clv", "train", "score");
    assertThat(names(p.plan(Optional.of(Schedule.DAILY), Optional.of("clv"), List.of()).jobs())).as("--from clv, daily")
        .containsExactly("clv", "score");
    assertThat(names(p.plan(Optional.empty(), Optional.empty(), List.of("score", "ingest")).jobs())).as("--only")
        .containsExactly("ingest", "score");
    assertThat(names(p.plan(Optional.empty(), Optional.of("clv"), List.of("ingest", "clv", "score")).jobs()))
        .as("--only with --from").containsExactly("clv", "score");
  }

  @Test
  void selectionErrorsNameTheJob() {
    PipelineDefinition p = sample();
    assertThatThrownBy(() -> p.plan(Optional.empty(), Optional.of("clvv"), List.of()))
        .hasMessage("Cannot run pipeline: --from names an unknown job (clvv); jobs: ingest, c360, clv, kpis, score, train");
    assertThatThrownBy(() -> p.plan(Optional.empty(), Optional.empty(), List.of("ingest", "nope")))
        .hasMessageStartingWith("Cannot run pipeline: --only names an unknown job (nope)");
    assertThatThrownBy(() -> p.plan(Optional.empty(), Optional.empty(), List.of("kpis")))
        .hasMessage("Cannot run pipeline: --only names a job that is disabled in test.json (kpis)");
    assertThatThrownBy(() -> p.plan(Optional.of(Schedule.DAILY), Optional.of("train"), List.of()))
        .hasMessage("Cannot run pipeline: --from names a weekly job but --schedule is daily (train)");
    assertThatThrownBy(() -> p.plan(Optional.empty(), Optional.of("clv"), List.of("ingest")))
        .hasMessage("Cannot run pipeline: --from names a job that --only leaves out (clv)");
  }

  @Test
  void unknownDependencyIsAnError() {
    assertThatThrownBy(() -> parse(job("a", "daily", true), job("b", "daily", true, "a", "ingset")))
        .hasMessage("Cannot load pipeline test.json: job b depends on an unknown job (ingset)");
    assertThatThrownBy(() -> parse(job("a", "daily", true, "~trian")))
        .hasMessage("Cannot load pipeline test.json: job a depends on an unknown job (trian)");
  }

  @Test
  void aDailyJobCannotWaitForAWeeklyOne() {
    assertThatThrownBy(() -> parse(job("train", "weekly", true), job("score", "daily", true, "train")))
        .hasMessage("Cannot load pipeline test.json: daily job score cannot depend on a weekly job; use runs_after"
            + " to order it after the model the weekly job trains (train)");
  }

  @Test
  void cyclesAreErrorsThatShowTheCycle() {
    assertThatThrownBy(() -> parse(
        job("start", "daily", true),
        job("a", "daily", true, "start", "c"),
        job("b", "daily", true, "a"),
        job("c", "daily", true, "b")))
        .hasMessage("Cannot load pipeline test.json: dependency cycle (a -> b -> c -> a)");
    assertThatThrownBy(() -> parse(job("a", "daily", true, "~a")))
        .hasMessage("Cannot load pipeline test.json: dependency cycle (a -> a)");
  }

  @Test
  void malformedFilesAreErrorsNamingTheKeyOrValue() {
    assertThatThrownBy(() -> parse(job("a", "daily", true), job("a", "weekly", true)))
        .hasMessage("Cannot load pipeline test.json: duplicate job (a)");
    assertThatThrownBy(() -> parse(job("a", "monthly", true)))
        .hasMessage("Cannot load pipeline test.json: job a has an unknown schedule (daily or weekly) (monthly)");
    assertThatThrownBy(() -> parse("{\"name\": \"a\", \"schedule\": \"daily\", \"enabled\": true, \"description\": \"x\","
        + " \"dependson\": [\"b\"]}"))
        .hasMessageStartingWith("Cannot load pipeline test.json: unknown key in job a; known: [")
        .hasMessageEndingWith("(dependson)");
    assertThatThrownBy(() -> parse("{\"name\": \"a\", \"schedule\": \"daily\", \"description\": \"x\"}"))
        .hasMessage("Cannot load pipeline test.json: missing required key (job a enabled)");
    assertThatThrownBy(() -> parse("{\"name\": \"a\", \"schedule\": \"daily\", \"enabled\": true, \"description\": \"x\","
        + " \"timeout_minutes\": 0}"))
        .hasMessage("Cannot load pipeline test.json: job a timeout_minutes must be a whole number of at least 1 (0)");
    assertThatThrownBy(() -> parse(job("Bad_Name", "daily", true)))
        .hasMessage("Cannot load pipeline test.json: job name must be lower-case letters, digits and '-' (Bad_Name)");
    assertThatThrownBy(() -> PipelineDefinition.parse("{\"jobs\": [", "broken.json"))
        .hasMessageStartingWith("Cannot load pipeline broken.json: invalid JSON (");
    String monthly = pipeline(job("a", "daily", true)).replace("\"weekly\": {", "\"monthly\": {");
    assertThatThrownBy(() -> PipelineDefinition.parse(monthly, "test.json"))
        .hasMessage("Cannot load pipeline test.json: schedules must define exactly [daily, weekly] ([daily, monthly])");
  }

  @Test
  void commandAndArgsDefaultToTheNameAndNothing() {
    PipelineDefinition p = parse(job("clv", "daily", true),
        "{\"name\": \"segment-refit\", \"command\": \"segment\", \"args\": [\"--refit\"], \"schedule\": \"weekly\","
            + " \"enabled\": false, \"note\": \"later\", \"description\": \"x\"}");
    assertThat(p.job("clv").orElseThrow()).extracting(PipelineJob::command, PipelineJob::args, PipelineJob::note)
        .containsExactly("clv", List.of(), "");
    assertThat(p.job("segment-refit").orElseThrow()).extracting(PipelineJob::command, PipelineJob::args)
        .containsExactly("segment", List.of("--refit"));
  }
}
