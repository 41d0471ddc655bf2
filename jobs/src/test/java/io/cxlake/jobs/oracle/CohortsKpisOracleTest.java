package io.cxlake.jobs.oracle;

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
import io.cxlake.jobs.bench.PeerSql;
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

  @TempDir
  static Path dir;

  private static DuckDbOracle duck;
  private static PeerSql.Inputs inputs;
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
    inputs = new PeerSql.Inputs(parquet(spark, ingest, Transactions.CONTRACT), parquet(spark, ingest, Customers.CONTRACT),
        parquet(spark, ingest, SupportTickets.CONTRACT), parquet(spark, ingest, Surveys.CONTRACT),
        parquet(spark, ingest, WebEvents.CONTRACT), AS_OF.date());
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

  private static void assertMatrix(CohortsConfig config, List<Row> sparkRows) throws Exception {
    Grain grain = config.grain();
    Map<String, double[]> expected = Matrices.oracle(duck.query(PeerSql.retentionSql(
        PeerSql.orderCtes(inputs, config.dimensions()), grain, grain.asOfPeriod(AS_OF))), 4);
    assertThat(expected).as("oracle rows").hasSizeGreaterThan(20);
    Matrices.assertEqual(grain.label() + " retention matrix", expected, Matrices.spark(sparkRows),
        Matrices.MATRIX_COUNTS);
  }

  @Test
  void monthlyRetentionMatrixEqualsTheOracle() throws Exception {
    assertMatrix(cohorts, CohortMetrics.retentionMatrix(activity, cohorts).collectAsList());
  }

  @Test
  void weeklyRetentionMatrixEqualsTheOracle() throws Exception {
    CohortsConfig config = CohortsConfig.from(CxConfig.load(Optional.empty(),
        Map.of("cohorts.grain", "week", "cohorts.dimensions", "[acquisition_channel]")), cohorts.catalog(), AS_OF);
    Dataset<Row> weekly = CohortMetrics.customerOrders(sparkSide(Transactions.CONTRACT), sparkSide(Customers.CONTRACT),
        config);
    assertMatrix(config, CohortMetrics.retentionMatrix(CohortMetrics.cohortActivity(weekly, config), config)
        .collectAsList());
  }

  @Test
  void repeatPurchasesEqualTheOracle() throws Exception {
    Map<String, double[]> expected = Matrices.oracle(duck.query(PeerSql.repeatPurchasesSql(
        PeerSql.orderCtes(inputs, cohorts.dimensions()), Grain.MONTH, cohorts.repeatPurchaseNumbers(),
        cohorts.repeatWindowsDays())), 5);
    Map<String, double[]> actual = new TreeMap<>();
    for (Row r : CohortMetrics.repeatPurchases(activity, cohorts).collectAsList()) {
      actual.put(r.getAs(RetentionCohorts.COHORT_DIMENSION) + "|" + r.getAs(RetentionCohorts.COHORT_VALUE) + "|"
              + r.getAs(CohortRepeatPurchases.COHORT_START) + "|" + r.getAs(CohortRepeatPurchases.PURCHASE_NUMBER) + "|"
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
    Map<String, double[]> expected = Matrices.oracle(duck.query(PeerSql.revenueRetentionSql(
        PeerSql.orderCtes(inputs, List.of()), m, cohorts.revenueRetentionLookbacks(), m.asOfPeriod(AS_OF))), 2);
    Map<String, double[]> actual = new TreeMap<>();
    for (Row r : CohortMetrics.revenueRetention(orders, cohorts).collectAsList()) {
      actual.put(r.getAs(RevenueRetention.LOOKBACK_PERIODS) + "|" + r.<java.sql.Date>getAs(RevenueRetention.PERIOD_START),
          new double[] {r.<Long>getAs(RevenueRetention.BASE_CUSTOMERS), r.<Long>getAs(RevenueRetention.RETAINED_CUSTOMERS),
              r.<Double>getAs(RevenueRetention.BASE_REVENUE), r.<Double>getAs(RevenueRetention.CURRENT_REVENUE),
              r.<Double>getAs(RevenueRetention.NRR), r.<Double>getAs(RevenueRetention.GRR)});
    }
    assertThat(expected).as("months with a base").hasSizeGreaterThan(4);
    Matrices.assertEqual("revenue retention", expected, actual, Set.of(0, 1));
  }

  @Test
  void monthlyKpisEqualTheOracle() throws Exception {
    String sql = PeerSql.kpiSql(inputs, Grain.MONTH, 90);
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
      if (PeerSql.DENSE_KPIS.contains(metric) && !expected.containsKey(key)) {
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
      boolean isCount = PeerSql.DENSE_KPIS.contains(metric) && !metric.equals(CxKpis.REVENUE);
      (isCount ? countsExpected : restExpected).put(e.getKey(), e.getValue());
    }
    for (var e : actual.entrySet()) {
      String metric = e.getKey().substring(0, e.getKey().indexOf('|'));
      boolean isCount = PeerSql.DENSE_KPIS.contains(metric) && !metric.equals(CxKpis.REVENUE);
      (isCount ? countsActual : restActual).put(e.getKey(), e.getValue());
    }
    Matrices.assertEqual("monthly KPI counts", countsExpected, countsActual, Set.of(0));
    Matrices.assertEqual("monthly KPI rates, means, sums and percentiles", restExpected, restActual, Set.of());
  }
}
