package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.jobs.maintain.MaintainJob;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer runs it: {@code bin/cxlake demo} in its own JVM on the
 * packaged jar (sample data, then the pipeline of conf/pipeline.json), then {@code bin/cxlake sql}
 * over what it wrote. The demo runs once per test JVM ({@link #demo()}): NotebooksIT executes the
 * notebooks on the same warehouse.
 */
class DemoIT {
  /** Where the shared demo runs; wiped first, so a rerun never sees an older warehouse. */
  private static final Path DEMO_DIR = ItSupport.PROJECT.resolve("jobs/target/it-demo");

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
      ItSupport.deleteRecursively(DEMO_DIR);
      Files.createDirectories(DEMO_DIR);
      demo = new Demo(cxlake(DEMO_DIR, "demo", "--customers", "1500", "--seed", "7", "--dir", "demo"), DEMO_DIR);
    }
    return demo;
  }

  /** Runs bin/cxlake as a process on the packaged jar and returns its stdout; fails with its output otherwise. */
  private static String cxlake(Path workDir, String... args) throws IOException, InterruptedException {
    return ItSupport.cxlake(workDir, Map.of(), Duration.ofMinutes(15), args);
  }

  /**
   * {@code bin/cxlake sql --format csv} in this JVM, over the demo's warehouse: the first test runs
   * it as a process, as the README shows; the others check the demo's numbers, and a cold JVM per
   * query would cost seconds each.
   */
  private static String sql(Demo run, String query) {
    return ItSupport.cxlakeInProcess("sql", "--warehouse", run.warehouse().toString(), "--format", "csv", query);
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
        "SELECT (SELECT count(*) FROM customer_360 "
            + "WHERE as_of_date = (SELECT max(as_of_date) FROM customer_360)) AS c360, "
            + "(SELECT count(DISTINCT source) FROM quarantine) AS quarantined_sources, "
            + "(SELECT count(*) FROM run_log WHERE status = 'SUCCEEDED' "
            + "AND as_of_date = (SELECT max(as_of_date) FROM run_log)) AS runs, "
            + "(SELECT count(*) FROM clv_predictions WHERE clv IS NOT NULL) AS valued, "
            + "(SELECT count(*) FROM cx_kpis WHERE metric = 'nps' AND period_grain = 'month') AS nps_months, "
            + "(SELECT count(*) FROM churn_scores WHERE churn_probability IS NOT NULL) AS churn_scored");
    String[] values = counts.lines().skip(1).findFirst().orElseThrow().split(",");
    assertThat(Long.parseLong(values[0])).as("customer_360 rows of the demo's as-of date (1,500 generated customers)").isBetween(1000L, 1500L);
    assertThat(Long.parseLong(values[1])).as("sources with planted bad rows (products has few rows)")
        .isBetween(5L, 6L);
    long enabledJobs = PipelineDefinition.loadDefault().jobs().stream().filter(PipelineJob::enabled)
        .filter(j -> !j.command().equals(MaintainJob.NAME)).count();
    assertThat(Long.parseLong(values[2])).as("every enabled job of conf/pipeline.json but maintain logged once on the"
        + " demo's as-of date (the campaign day before it runs a few)").isEqualTo(enabledJobs);
    assertThat(Long.parseLong(values[3])).as("customers with a purchase valued").isPositive();
    assertThat(Long.parseLong(values[4])).as("monthly NPS rows (overall and per touchpoint)").isPositive();
    assertThat(Long.parseLong(values[5])).as("customers with a churn probability").isPositive();
  }

  /**
   * The CX playbook's first rule on the demo: every one-time buyer without a purchase for 90 days or
   * more, and not won back (delivered or held out) within the rule's 60-day cooldown, has an action
   * of the day: the win-back delivered, held out or suppressed with a reason, or a rule of higher
   * priority.
   */
  @Test
  void everyInactiveOneTimeBuyerGetsTheWinBackOrAHigherPriorityAction() throws Exception {
    Demo run = demo();
    String day = "(SELECT max(as_of_date) FROM customer_360)";
    String eligible = "FROM customer_360 c WHERE c.as_of_date = " + day + " AND c.purchase_occasions = 1 "
        + "AND c.recency_days >= 90 AND NOT EXISTS (SELECT 1 FROM next_best_actions h WHERE h.customer_id = "
        + "c.customer_id AND h.action = 'win_back' AND h.status IN ('deliver', 'control') "
        + "AND h.as_of_date < " + day + " AND h.as_of_date >= date_sub(" + day + ", 60))";
    String today = "SELECT 1 FROM next_best_actions n WHERE n.customer_id = c.customer_id AND n.as_of_date = " + day;
    List<String[]> rows = ItSupport.csvRows(sql(run,
        "SELECT (SELECT count(*) " + eligible + ") AS eligible, "
            + "(SELECT count(*) " + eligible + " AND NOT EXISTS (" + today + ")) AS without_action, "
            + "(SELECT count(*) " + eligible + " AND EXISTS (" + today + " AND n.action = 'win_back' "
            + "AND (n.status <> 'suppressed' OR n.suppression_reason IS NOT NULL))) AS win_back, "
            + "(SELECT count(*) " + eligible + " AND EXISTS (" + today + " AND n.action = 'win_back' "
            + "AND n.status = 'deliver')) AS delivered"));
    long eligibleCount = Long.parseLong(rows.get(0)[0]);
    assertThat(eligibleCount).as("inactive one-time buyers in the demo").isGreaterThan(50);
    assertThat(Long.parseLong(rows.get(0)[1])).as("of them without any action of the day").isZero();
    assertThat(Long.parseLong(rows.get(0)[2])).as("of them with the win-back (most; others got a higher priority)")
        .isGreaterThan(eligibleCount / 2);
    assertThat(Long.parseLong(rows.get(0)[3])).as("of them delivered").isPositive();
  }

  /**
   * campaign_results recovers the win-back effect the demo planted on its earlier action day
   * ({@code simulate-response}: each delivered customer buys once more for 50.00 with probability
   * 0.25, the realized share is in the run log) within its 95% intervals, and calls no other
   * campaign significant. The planted truth of the conversion uplift is the realized share times
   * the share of customers who would not have bought anyway (1 - control rate); of the revenue
   * uplift, 50.00 times the realized share. The demo's seed is fixed, so this is one deterministic
   * draw, not a flaky coverage test.
   */
  @Test
  void campaignResultsRecoverThePlantedEffectAndNoOther() throws Exception {
    Demo run = demo();
    List<String[]> planted = ItSupport.csvRows(sql(run,
        "SELECT details['delivered'], details['responders'] FROM run_log WHERE job = 'simulate-response'"));
    double share = Double.parseDouble(planted.get(0)[1]) / Double.parseDouble(planted.get(0)[0]);
    List<String[]> results = ItSupport.csvRows(sql(run,
        "SELECT campaign, control_conversion_rate, uplift_ci_low, uplift_ci_high, revenue_uplift_ci_low, "
            + "revenue_uplift_ci_high, significant, control_too_small FROM campaign_results "
            + "WHERE segment_type = 'all' AND as_of_date = (SELECT max(as_of_date) FROM campaign_results) ORDER BY 1"));
    assertThat(results).extracting(r -> r[0]).as("campaigns with a closed window").contains("win_back");
    for (String[] r : results) {
      if (r[0].equals("win_back")) {
        double conversion = share * (1 - Double.parseDouble(r[1]));
        assertThat(conversion).as("planted conversion uplift inside the interval")
            .isBetween(Double.parseDouble(r[2]), Double.parseDouble(r[3]));
        assertThat(50.0 * share).as("planted revenue uplift inside the interval")
            .isBetween(Double.parseDouble(r[4]), Double.parseDouble(r[5]));
        assertThat(r[6]).as("win_back significant").isEqualTo("true");
        assertThat(r[7]).as("win_back's control group large enough").isEqualTo("false");
      } else {
        assertThat(r[6]).as(r[0] + " has no planted effect: not significant").isEqualTo("false");
      }
    }
  }
}
