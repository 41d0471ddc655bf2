package io.cxlake.jobs.oracle;

import static io.cxlake.jobs.oracle.DuckDbOracle.plus;
import static io.cxlake.jobs.oracle.DuckDbOracle.trunc;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import io.cxlake.jobs.cohorts.CohortMetrics;
import io.cxlake.jobs.cohorts.CohortsConfig;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.SilverFrames;
import io.cxlake.jobs.kpis.KpiMetrics;
import io.cxlake.jobs.kpis.KpisConfig;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cohorts and kpis transformations against DuckDB on generated data: 300 sample customers with
 * every source (8 months of history up to 2026-06-17) go through ingest's validation and
 * enrichment, the silver rows are written once to Parquet, and both Spark and DuckDB compute from
 * those files, as of Wednesday 2026-05-20 (so later rows exist and must be invisible, and the month
 * and week are partial). Counts must be equal; rates, means, sums and percentiles agree to 1e-9
 * (relative for sums). The Delta shells of both jobs run in OnlineRetailIT and DemoIT.
 */
@ExtendWith(SparkExtension.class)
class CohortsKpisOracleTest {
  private static final AsOf AS_OF = AsOf.parse("2026-05-20");
  private static final String CUTOFF = "TIMESTAMP '2026-05-21 00:00:00'";

  @TempDir
  static Path dir;

  private static DuckDbOracle duck;
  private static String tx;
  private static String customers;
  private static String tickets;
  private static String surveys;
  private static String web;
  private static CohortsConfig cohorts;
  private static Dataset<Row> orders;
  private static Dataset<Row> activity;
  private static List<Row> kpis;

  @BeforeAll
  static void pipeline() throws Exception {
    SparkSession spark = SparkExtension.session();
    String landing = dir.resolve("landing").toString();
    LocalDate generatedTo = LocalDate.parse("2026-06-18");
    GenerateSampleJob.run(spark, new GenerateSampleConfig(landing, dir.resolve("truth").toString(),
        generatedTo, 300, 17, 240, 40, 0.0));
    TableCatalog unused = new TableCatalog(dir.resolve("warehouse").toString());
    IngestConfig ingest = IngestConfig.from(CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-06-19T00:00:00Z")),
        landing, unused, new AsOf(generatedTo));
    tx = parquet(spark, ingest, Transactions.CONTRACT);
    customers = parquet(spark, ingest, Customers.CONTRACT);
    tickets = parquet(spark, ingest, SupportTickets.CONTRACT);
    surveys = parquet(spark, ingest, Surveys.CONTRACT);
    web = parquet(spark, ingest, WebEvents.CONTRACT);
    duck = new DuckDbOracle();

    cohorts = CohortsConfig.from(CxConfig.defaults(), unused, AS_OF);
    orders = CohortMetrics.customerOrders(sparkSide(Transactions.CONTRACT), sparkSide(Customers.CONTRACT), cohorts)
        .persist();
    activity = CohortMetrics.cohortActivity(orders, cohorts).persist();
    KpisConfig kpiConfig = KpisConfig.from(CxConfig.load(Optional.empty(), Map.of("kpis.grains", "[month]")), unused,
        AS_OF);
    kpis = KpiMetrics.build(new FeatureInputs(spark.createDataFrame(List.of(), Customers.TABLE.schema()),
        sparkSide(Transactions.CONTRACT), sparkSide(SupportTickets.CONTRACT),
        sparkSide(WebEvents.CONTRACT), sparkSide(Surveys.CONTRACT)), kpiConfig).collectAsList();
  }

  private static String parquet(SparkSession spark, IngestConfig ingest, SourceContract source) {
    return DuckDbOracle.writeParquet(SilverFrames.of(spark, ingest, source), dir.resolve("pq").resolve(source.name()));
  }

  private static Dataset<Row> sparkSide(SourceContract source) {
    return DuckDbOracle.readParquet(SparkExtension.session(), dir.resolve("pq").resolve(source.name()));
  }

  @AfterAll
  static void close() throws Exception {
    orders.unpersist();
    activity.unpersist();
    duck.close();
  }

  /** Completed orders before the cut-off and each customer's dimension values, as oracle CTEs. */
  private static String orderCtes() {
    return "orders AS (SELECT customer_id, order_id, min(order_ts) AS ts, sum(net_amount) AS revenue, "
        + "min(channel) AS channel FROM " + tx + " WHERE order_ts < " + CUTOFF
        + " AND coalesce(status, 'completed') = 'completed' GROUP BY customer_id, order_id),\n"
        + "buyers AS (SELECT DISTINCT customer_id FROM orders),\n"
        + "dims AS (SELECT customer_id, 'all' AS dim, 'all' AS val FROM buyers UNION ALL "
        + "SELECT b.customer_id, 'acquisition_channel', coalesce(c.acquisition_channel, 'unknown') "
        + "FROM buyers b LEFT JOIN " + customers + " c USING (customer_id))";
  }

  private static void assertMatrix(Grain grain, List<Row> sparkRows) throws Exception {
    Map<String, double[]> expected = Matrices.oracle(
        duck.query(DuckDbOracle.retentionSql(orderCtes(), grain, grain.asOfPeriod(AS_OF))), 4);
    assertThat(expected).as("oracle rows").hasSizeGreaterThan(20);
    Matrices.assertEqual(grain.label() + " retention matrix", expected, Matrices.spark(sparkRows),
        Matrices.MATRIX_COUNTS);
  }

  @Test
  void monthlyRetentionMatrixEqualsTheOracle() throws Exception {
    assertMatrix(Grain.MONTH, CohortMetrics.retentionMatrix(activity, cohorts)
        .filter(col(RetentionCohorts.COHORT_DIMENSION).isin("all", "acquisition_channel")).collectAsList());
  }

  @Test
  void weeklyRetentionMatrixEqualsTheOracle() throws Exception {
    CohortsConfig config = CohortsConfig.from(CxConfig.load(Optional.empty(),
        Map.of("cohorts.grain", "week", "cohorts.dimensions", "[acquisition_channel]")), cohorts.catalog(), AS_OF);
    Dataset<Row> weekly = CohortMetrics.customerOrders(sparkSide(Transactions.CONTRACT), sparkSide(Customers.CONTRACT),
        config);
    assertMatrix(Grain.WEEK, CohortMetrics.retentionMatrix(CohortMetrics.cohortActivity(weekly, config), config)
        .collectAsList());
  }

  @Test
  void repeatPurchasesEqualTheOracle() throws Exception {
    String sql = "WITH " + orderCtes() + ",\n"
        + "days AS (SELECT customer_id, CAST(ts AS DATE) AS day, min(ts) AS ts FROM orders GROUP BY ALL),\n"
        + "numbered AS (SELECT customer_id, ts, row_number() OVER (PARTITION BY customer_id ORDER BY ts) AS n, "
        + "min(ts) OVER (PARTITION BY customer_id) AS first_ts FROM days),\n"
        + "cohorts AS (SELECT customer_id, " + trunc(Grain.MONTH, "first_ts") + " AS cohort FROM numbered WHERE n = 1),\n"
        + "sizes AS (SELECT cohort, count(*) AS size FROM cohorts GROUP BY cohort),\n"
        + "windows AS (SELECT * FROM (VALUES (30), (60), (90)) w(w)),\n"
        + "reached AS (SELECT c.cohort, x.n, w.w, count(*) AS customers FROM numbered x JOIN cohorts c USING (customer_id) "
        + "CROSS JOIN windows w WHERE x.n IN (2, 3) AND epoch_us(x.ts) - epoch_us(x.first_ts) <= w.w * 86400000000 "
        + "GROUP BY ALL)\n"
        + "SELECT s.cohort, k.n, w.w, s.size, coalesce(r.customers, 0), coalesce(r.customers, 0) / s.size "
        + "FROM sizes s CROSS JOIN (VALUES (2), (3)) k(n) CROSS JOIN windows w "
        + "LEFT JOIN reached r ON r.cohort = s.cohort AND r.n = k.n AND r.w = w.w";
    Map<String, double[]> expected = Matrices.oracle(duck.query(sql), 3);
    Map<String, double[]> actual = new TreeMap<>();
    for (Row r : CohortMetrics.repeatPurchases(activity, cohorts)
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo("all")).collectAsList()) {
      actual.put(r.getAs(CohortRepeatPurchases.COHORT_START) + "|" + r.getAs(CohortRepeatPurchases.PURCHASE_NUMBER) + "|"
              + r.getAs(CohortRepeatPurchases.WITHIN_DAYS),
          new double[] {r.<Long>getAs(CohortRepeatPurchases.COHORT_SIZE), r.<Long>getAs(CohortRepeatPurchases.CUSTOMERS),
              r.<Double>getAs(CohortRepeatPurchases.SHARE)});
    }
    assertThat(expected.values().stream().mapToDouble(v -> v[1]).sum()).as("some repeat buyers").isPositive();
    Matrices.assertEqual("repeat purchases", expected, actual, Set.of(0, 1));
  }

  @Test
  void revenueRetentionEqualsTheOracle() throws Exception {
    Grain m = Grain.MONTH;
    String sql = "WITH " + orderCtes() + ",\n"
        + "cp AS (SELECT customer_id, " + trunc(m, "ts") + " AS p, sum(revenue) AS rev FROM orders GROUP BY ALL),\n"
        + "base AS (SELECT customer_id, " + plus(m, "p", "1") + " AS measured, rev FROM cp WHERE rev > 0)\n"
        + "SELECT b.measured, count(*), count(*) FILTER (WHERE coalesce(c.rev, 0) > 0), sum(b.rev), "
        + "sum(greatest(coalesce(c.rev, 0), 0)), sum(greatest(coalesce(c.rev, 0), 0)) / sum(b.rev), "
        + "sum(least(greatest(coalesce(c.rev, 0), 0), b.rev)) / sum(b.rev) "
        + "FROM base b LEFT JOIN cp c ON c.customer_id = b.customer_id AND c.p = b.measured "
        + "WHERE b.measured <= DATE '" + m.asOfPeriod(AS_OF) + "' GROUP BY b.measured";
    Map<String, double[]> expected = Matrices.oracle(duck.query(sql), 1);
    Map<String, double[]> actual = new TreeMap<>();
    for (Row r : CohortMetrics.revenueRetention(orders, cohorts).filter(col(RevenueRetention.LOOKBACK_PERIODS).equalTo(1))
        .collectAsList()) {
      actual.put(String.valueOf(r.<java.sql.Date>getAs(RevenueRetention.PERIOD_START)), new double[] {
          r.<Long>getAs(RevenueRetention.BASE_CUSTOMERS), r.<Long>getAs(RevenueRetention.RETAINED_CUSTOMERS),
          r.<Double>getAs(RevenueRetention.BASE_REVENUE), r.<Double>getAs(RevenueRetention.CURRENT_REVENUE),
          r.<Double>getAs(RevenueRetention.NRR), r.<Double>getAs(RevenueRetention.GRR)});
    }
    assertThat(expected).as("months with a base").hasSizeGreaterThan(4);
    Matrices.assertEqual("revenue retention", expected, actual, Set.of(0, 1));
  }

  /** Metrics whose rows are dense in Spark (0 rows where the oracle has none). */
  private static final Set<String> DENSE = Set.of(CxKpis.TICKETS_OPENED, CxKpis.OPEN_BACKLOG,
      CxKpis.ORDERS, CxKpis.REVENUE, CxKpis.ACTIVE_CUSTOMERS, CxKpis.SESSIONS,
      CxKpis.CHURNED_CUSTOMERS);

  @Test
  void monthlyKpisEqualTheOracle() throws Exception {
    Grain m = Grain.MONTH;
    String hours = "(epoch_us(res) - epoch_us(opened_ts)) / 3600000000.0";
    String sql = "WITH " + orderCtes() + ",\n"
        + "s AS (SELECT *, " + trunc(m, "response_ts") + " AS p FROM " + surveys + " WHERE response_ts < " + CUTOFF + "),\n"
        + "sd AS (SELECT p, 'all' AS dim, 'all' AS val, survey_type, score FROM s UNION ALL "
        + "SELECT p, 'touchpoint', coalesce(touchpoint, 'unknown'), survey_type, score FROM s),\n"
        + "t AS (SELECT *, CASE WHEN resolved_ts < " + CUTOFF + " THEN resolved_ts END AS res FROM " + tickets
        + " WHERE opened_ts < " + CUTOFF + "),\n"
        + "td AS (SELECT *, 'all' AS dim, 'all' AS val FROM t UNION ALL SELECT *, 'topic', coalesce(topic, 'unknown') FROM t),\n"
        + "resolved AS (SELECT *, " + trunc(m, "greatest(opened_ts, res)") + " AS p, " + hours + " AS h FROM td "
        + "WHERE res IS NOT NULL),\n"
        + "months AS (SELECT " + plus(m, "f", "r.range") + " AS p FROM (SELECT " + trunc(m, "min(opened_ts)")
        + " AS f FROM t), range(0, 100) r WHERE " + plus(m, "f", "r.range") + " <= DATE '" + m.asOfPeriod(AS_OF) + "'),\n"
        + "o2 AS (SELECT *, min(ts) OVER (PARTITION BY customer_id) AS first_ts, " + trunc(m, "ts") + " AS p, "
        + "lead(ts) OVER (PARTITION BY customer_id ORDER BY ts, order_id) AS next_ts FROM orders),\n"
        + "od AS (SELECT *, 'all' AS dim, 'all' AS val FROM o2 UNION ALL "
        + "SELECT *, 'sales_channel', coalesce(channel, 'unknown') FROM o2),\n"
        + "churn AS (SELECT ts + to_days(90) AS cts FROM o2 WHERE (next_ts IS NULL OR "
        + "epoch_us(next_ts) - epoch_us(ts) > 90 * 86400000000) AND ts + to_days(90) < " + CUTOFF + "),\n"
        + "sess AS (SELECT session_id, min(event_ts) AS start, bool_or(event_type = 'add_to_cart') AS cart, "
        + "bool_or(event_type = 'purchase') AS purchase FROM " + web + " WHERE event_ts < " + CUTOFF
        + " AND session_id IS NOT NULL GROUP BY session_id)\n"
        + "SELECT 'nps', dim, val, p, CAST(100 AS DOUBLE) * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) "
        + "/ count(*) FROM sd WHERE survey_type = 'nps' GROUP BY ALL\n"
        + "UNION ALL SELECT 'csat_satisfied_share', dim, val, p, count(*) FILTER (WHERE score >= 4) / count(*) "
        + "FROM sd WHERE survey_type = 'csat' GROUP BY ALL\n"
        + "UNION ALL SELECT 'csat_mean', dim, val, p, avg(score) FROM sd WHERE survey_type = 'csat' GROUP BY ALL\n"
        + "UNION ALL SELECT 'tickets_opened', dim, val, " + trunc(m, "opened_ts") + ", count(*) FROM td GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_median', dim, val, p, quantile_cont(h, 0.5) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_p90', dim, val, p, quantile_cont(h, 0.9) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_mean', dim, val, p, avg(h) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'first_contact_resolution_rate', dim, val, p, count(*) FILTER (WHERE contacts = 1) / "
        + "count(contacts) FROM resolved GROUP BY ALL HAVING count(contacts) > 0\n"
        + "UNION ALL SELECT 'open_backlog', 'all', 'all', months.p, count(*) FILTER (WHERE t.opened_ts < "
        + "least(months.p + INTERVAL 1 MONTH, " + CUTOFF + ") AND NOT (t.res IS NOT NULL AND greatest(t.opened_ts, t.res) "
        + "< least(months.p + INTERVAL 1 MONTH, " + CUTOFF + "))) FROM months CROSS JOIN t GROUP BY months.p\n"
        + "UNION ALL SELECT 'orders', dim, val, p, count(*) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'revenue', dim, val, p, sum(revenue) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'active_customers', dim, val, p, count(DISTINCT customer_id) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'repeat_purchase_rate', dim, val, p, count(DISTINCT customer_id) FILTER (WHERE first_ts < p) "
        + "/ count(DISTINCT customer_id) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'churned_customers', 'all', 'all', " + trunc(m, "cts") + ", count(*) FROM churn GROUP BY ALL\n"
        + "UNION ALL SELECT 'sessions', 'all', 'all', " + trunc(m, "start") + ", count(*) FROM sess GROUP BY ALL\n"
        + "UNION ALL SELECT 'cart_abandonment_rate', 'all', 'all', " + trunc(m, "start") + ", "
        + "count(*) FILTER (WHERE cart AND NOT purchase) / count(*) FILTER (WHERE cart) FROM sess GROUP BY ALL "
        + "HAVING count(*) FILTER (WHERE cart) > 0";
    Map<String, double[]> expected = Matrices.oracle(duck.query(sql), 4);
    Set<String> metrics = new java.util.TreeSet<>();
    expected.keySet().forEach(k -> metrics.add(k.substring(0, k.indexOf('|'))));
    assertThat(metrics).as("every checked metric has oracle rows").hasSize(16);

    Map<String, double[]> actual = new TreeMap<>();
    Set<String> dimensions = Set.of("all", "touchpoint", "topic", "sales_channel");
    for (Row r : kpis) {
      String metric = r.getAs(CxKpis.METRIC);
      if (!metrics.contains(metric) || !dimensions.contains(r.<String>getAs(CxKpis.DIMENSION))) {
        continue;
      }
      String key = metric + "|" + r.getAs(CxKpis.DIMENSION) + "|" + r.getAs(CxKpis.DIMENSION_VALUE) + "|"
          + r.getAs(CxKpis.PERIOD_START);
      if (metric.equals(CxKpis.OPEN_BACKLOG) && !r.getAs(CxKpis.DIMENSION).equals(CxKpis.ALL)) {
        continue;
      }
      double value = r.<Double>getAs(CxKpis.VALUE);
      if (DENSE.contains(metric) && !expected.containsKey(key)) {
        assertThat(value).as("a dense row without oracle activity is 0: " + key).isZero();
        continue;
      }
      actual.put(key, new double[] {value});
    }
    Map<String, double[]> countsExpected = new TreeMap<>();
    Map<String, double[]> countsActual = new TreeMap<>();
    Map<String, double[]> restExpected = new TreeMap<>();
    Map<String, double[]> restActual = new TreeMap<>();
    for (var e : expected.entrySet()) {
      String metric = e.getKey().substring(0, e.getKey().indexOf('|'));
      boolean isCount = DENSE.contains(metric) && !metric.equals(CxKpis.REVENUE);
      (isCount ? countsExpected : restExpected).put(e.getKey(), e.getValue());
    }
    for (var e : actual.entrySet()) {
      String metric = e.getKey().substring(0, e.getKey().indexOf('|'));
      boolean isCount = DENSE.contains(metric) && !metric.equals(CxKpis.REVENUE);
      (isCount ? countsActual : restActual).put(e.getKey(), e.getValue());
    }
    Matrices.assertEqual("monthly KPI counts", countsExpected, countsActual, Set.of(0));
    Matrices.assertEqual("monthly KPI rates, means, sums and percentiles", restExpected, restActual, Set.of());
  }
}
