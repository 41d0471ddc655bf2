package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer runs it: {@code bin/cxlake demo} in its own JVM on the
 * packaged jar (sample data, then the pipeline of conf/pipeline.json), then {@code bin/cxlake sql}
 * over what it wrote. The demo runs once per test JVM ({@link #demo()}): NotebooksIT executes the
 * notebooks on the same warehouse.
 */
class DemoIT {
  private static final Path PROJECT = Path.of(System.getProperty("cxlake.project.dir", ".."));
  /** Where the shared demo runs; wiped first, so a rerun never sees an older warehouse. */
  private static final Path DEMO_DIR = PROJECT.resolve("jobs/target/it-demo").toAbsolutePath().normalize();

  /** What {@code bin/cxlake demo} printed and the directory it ran in (the warehouse is {@code demo/warehouse}). */
  record Demo(String output, Path dir) {
    Path warehouse() {
      return dir.resolve("demo/warehouse");
    }
  }

  private static Demo demo;

  /** The README's demo on 1,500 customers, run on first use and shared by the ITs of this JVM. */
  static synchronized Demo demo() throws IOException, InterruptedException {
    if (demo == null) {
      if (Files.exists(DEMO_DIR)) {
        try (var paths = Files.walk(DEMO_DIR)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
      Files.createDirectories(DEMO_DIR);
      demo = new Demo(cxlake(DEMO_DIR, "demo", "--customers", "1500", "--seed", "7", "--dir", "demo"), DEMO_DIR);
    }
    return demo;
  }

  /** Runs bin/cxlake and returns its stdout; fails with the output when it exits non-zero. */
  static String cxlake(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PROJECT.resolve("bin/cxlake").toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "cxlake", ".log");
    Process p = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(false)
        .redirectError(log.toFile())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("finished in time").isTrue();
    assertThat(p.exitValue()).as("exit code of " + command + "\nstdout:\n" + out + "\nstderr:\n" + Files.readString(log))
        .isZero();
    return out;
  }

  @Test
  void demoWritesEveryTableAndTheyAreQueryable() throws Exception {
    Demo run = demo();
    String demo = run.output();
    assertThat(demo).as("the pipeline ran").contains("pipeline: ingest -> customer360 -> clv");
    assertThat(demo).as("summary").contains("customer_360", "clv_predictions", "clv_model", "retention_cohorts",
        "cohort_repeat_purchases", "revenue_retention", "cx_kpis", "quarantine", "run_log",
        "silver_web_events", "segments", "segment_profiles", "recommendations", "recommendation_metrics",
        "segment_recommendations", "next_best_actions", "churn_scores", "churn_model_metrics",
        "Query them");

    String counts = cxlake(run.dir(), "sql", "--warehouse", "demo/warehouse", "--format", "csv",
        "SELECT (SELECT count(*) FROM customer_360) AS c360, "
            + "(SELECT count(DISTINCT source) FROM quarantine) AS quarantined_sources, "
            + "(SELECT count(*) FROM run_log WHERE status = 'SUCCEEDED') AS runs, "
            + "(SELECT count(*) FROM clv_predictions WHERE clv IS NOT NULL) AS valued, "
            + "(SELECT count(*) FROM cx_kpis WHERE metric = 'nps' AND period_grain = 'month') AS nps_months, "
            + "(SELECT count(*) FROM churn_scores WHERE churn_probability IS NOT NULL) AS churn_scored");
    String[] values = counts.lines().skip(1).findFirst().orElseThrow().split(",");
    assertThat(Long.parseLong(values[0])).as("customer_360 rows (1,500 generated customers)").isBetween(1000L, 1500L);
    assertThat(Long.parseLong(values[1])).as("sources with planted bad rows (products has few rows)")
        .isBetween(5L, 6L);
    long enabledJobs = PipelineDefinition.loadDefault().jobs().stream().filter(PipelineJob::enabled).count();
    assertThat(Long.parseLong(values[2])).as("every enabled job of conf/pipeline.json logged once").isEqualTo(enabledJobs);
    assertThat(Long.parseLong(values[3])).as("customers with a purchase valued").isPositive();
    assertThat(Long.parseLong(values[4])).as("monthly NPS rows (overall and per touchpoint)").isPositive();
    assertThat(Long.parseLong(values[5])).as("customers with a churn probability").isPositive();
  }
}
