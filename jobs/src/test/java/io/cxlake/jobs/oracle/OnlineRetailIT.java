package io.cxlake.jobs.oracle;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import io.cxlake.jobs.bench.PeerSql;
import io.cxlake.jobs.cohorts.CohortsConfig;
import io.cxlake.jobs.cohorts.CohortsJob;
import io.cxlake.jobs.imports.OnlineRetailImport;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.kpis.KpisConfig;
import io.cxlake.jobs.kpis.KpisJob;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The real UCI Online Retail data (541,909 invoice lines, Dec 2010 - Dec 2011) through
 * {@code import online-retail}, ingest, cohorts and kpis as of 2011-12-09, against the counts of
 * shared/data/README.md and against DuckDB reading the raw CSV with the same cleaning rules, so the
 * importer, ingest and the jobs are checked together by an engine that shares none of their code.
 */
@ExtendWith(SparkExtension.class)
class OnlineRetailIT {
  private static final Path FILE = Path.of(System.getProperty("cxlake.shared.data", "../../shared/data"),
      "online_retail", "online_retail.csv.gz");
  private static final AsOf AS_OF = AsOf.parse("2011-12-09");
  private static final String CUTOFF = "TIMESTAMP '2011-12-10 00:00:00'";

  @TempDir
  static Path dir;

  private static OnlineRetailImport.Result imported;
  private static RunStats ingested;
  private static TableCatalog catalog;
  private static DuckDbOracle duck;

  @BeforeAll
  static void pipeline() throws Exception {
    SparkSession spark = SparkExtension.session();
    String landing = dir.resolve("landing").toString();
    imported = OnlineRetailImport.run(spark, FILE.toString(), landing);
    catalog = new TableCatalog(dir.resolve("warehouse").toString());
    ingested = IngestJob.run(spark, IngestConfig.from(CxConfig.defaults(), landing, catalog, AS_OF), "run-1");
    CohortsJob.run(spark, CohortsConfig.from(CxConfig.defaults(), catalog, AS_OF));
    KpisJob.run(spark, KpisConfig.from(CxConfig.load(Optional.empty(), Map.of("kpis.grains", "[month]")), catalog,
        AS_OF));
    duck = new DuckDbOracle();
  }

  @AfterAll
  static void close() throws Exception {
    duck.close();
  }

  private static Dataset<Row> gold(String table) {
    return DeltaIO.read(SparkExtension.session(), catalog.root() + "/gold/" + table);
  }

  /** The cleaned lines as the oracle sees them, straight from the raw file. */
  private static String cleanCtes() {
    return "raw AS (SELECT * FROM read_csv('" + FILE.toAbsolutePath() + "', header = true, all_varchar = true)),\n"
        + "clean AS (SELECT trim(InvoiceNo) AS invoice, regexp_replace(trim(CustomerID), '\\.0+$', '') AS customer_id, "
        + "strptime(InvoiceDate, '%Y-%m-%d %H:%M:%S') AS ts, CAST(Quantity AS INTEGER) AS q, "
        + "CAST(UnitPrice AS DOUBLE) AS p, Country AS country FROM raw WHERE CustomerID IS NOT NULL "
        + "AND trim(CustomerID) <> '' AND NOT starts_with(trim(InvoiceNo), 'C') AND CAST(Quantity AS INTEGER) > 0 "
        + "AND CAST(UnitPrice AS DOUBLE) > 0),\n"
        + "orders AS (SELECT customer_id, invoice AS order_id, min(ts) AS ts, sum(q * p) AS revenue FROM clean "
        + "WHERE ts < " + CUTOFF + " GROUP BY customer_id, invoice),\n"
        + "first_seen AS (SELECT customer_id, min(ts) AS first_ts FROM clean GROUP BY customer_id),\n"
        + "dims AS (SELECT DISTINCT customer_id, 'all' AS dim, 'all' AS val FROM orders UNION ALL "
        + "SELECT c.customer_id, 'country', min(c.country) FROM clean c JOIN first_seen f "
        + "ON c.customer_id = f.customer_id AND c.ts = f.first_ts GROUP BY c.customer_id)";
  }

  @Test
  void importKeepsTheUsualCleaningAndReportsEveryDroppedLine() {
    assertThat(imported.rowsRead()).as("lines in the file (README)").isEqualTo(541_909L);
    assertThat(imported.rowsKept()).as("kept lines (README: 397,884)").isEqualTo(397_884L);
    assertThat(imported.dropped()).as("dropped per reason, first broken rule")
        .containsExactly(Map.entry(OnlineRetailImport.MISSING_CUSTOMER_ID, 135_080L),
            Map.entry(OnlineRetailImport.CANCELLED_INVOICE, 8_905L),
            Map.entry(OnlineRetailImport.NON_POSITIVE_QUANTITY, 0L),
            Map.entry(OnlineRetailImport.NON_POSITIVE_UNIT_PRICE, 40L));
    assertThat(ingested.rowsQuarantined()).as("the import writes only contract-valid rows").isZero();
    Row totals = DeltaIO.read(SparkExtension.session(), catalog.path(Transactions.TABLE))
        .selectExpr("count(*)", "count(DISTINCT customer_id)", "count(DISTINCT order_id)", "sum(net_amount)").first();
    assertThat(totals.getLong(0)).as("silver lines").isEqualTo(397_884L);
    assertThat(totals.getLong(1)).as("customers (README: 4,338)").isEqualTo(4_338L);
    assertThat(totals.getLong(2)).as("invoices (README: 18,532)").isEqualTo(18_532L);
    assertThat(totals.getDouble(3)).as("revenue (README: 8,911,407.90)").isCloseTo(8_911_407.90, within(0.01));
  }

  @Test
  void december2010CohortHas885Customers() {
    Row dec = gold(RetentionCohorts.TABLE.name())
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo("all")
            .and(col(RetentionCohorts.COHORT_START).equalTo(Date.valueOf("2010-12-01")))
            .and(col(RetentionCohorts.PERIOD).equalTo(0)))
        .first();
    assertThat(dec.<Long>getAs(RetentionCohorts.COHORT_SIZE)).as("December 2010 cohort").isEqualTo(885L);
    List<Row> last = gold(RetentionCohorts.TABLE.name())
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo("all")
            .and(col(RetentionCohorts.PERIOD_START).equalTo(Date.valueOf("2011-12-01"))))
        .collectAsList();
    assertThat(last).as("13 cohorts reach December 2011").hasSize(13)
        .allSatisfy(r -> assertThat(r.<Boolean>getAs(RetentionCohorts.PERIOD_COMPLETE)).as("partial").isFalse());
  }

  @Test
  void retentionMatrixEqualsDuckDbOnTheRawFile() throws Exception {
    Map<String, double[]> expected = Matrices.oracle(duck.query(
        PeerSql.retentionSql(cleanCtes(), Grain.MONTH, Grain.MONTH.asOfPeriod(AS_OF))), 4);
    assertThat(expected.keySet().stream().filter(k -> k.startsWith("all|")).count())
        .as("13 monthly cohorts, 13 + 12 + ... + 1 cells").isEqualTo(91);
    List<Row> rows = gold(RetentionCohorts.TABLE.name())
        .filter(col(RetentionCohorts.COHORT_DIMENSION).isin("all", "country")).collectAsList();
    Matrices.assertEqual("Online Retail retention matrix", expected, Matrices.spark(rows), Matrices.MATRIX_COUNTS);
  }

  @Test
  void monthlyOrdersRevenueAndActiveCustomersEqualDuckDb() throws Exception {
    String sql = "WITH " + cleanCtes() + "\n"
        + "SELECT " + PeerSql.trunc(Grain.MONTH, "ts") + " AS p, count(*), sum(revenue), count(DISTINCT customer_id) "
        + "FROM orders GROUP BY ALL";
    Map<String, double[]> expected = Matrices.oracle(duck.query(sql), 1);
    Map<String, double[]> actual = new TreeMap<>();
    for (Row r : gold(CxKpis.TABLE.name()).filter(col(CxKpis.DIMENSION).equalTo("all")
        .and(col(CxKpis.METRIC).isin(CxKpis.ORDERS, CxKpis.REVENUE, CxKpis.ACTIVE_CUSTOMERS)))
        .collectAsList()) {
      String key = String.valueOf(r.<Date>getAs(CxKpis.PERIOD_START));
      double[] v = actual.computeIfAbsent(key, k -> new double[3]);
      String metric = r.getAs(CxKpis.METRIC);
      v[metric.equals(CxKpis.ORDERS) ? 0 : metric.equals(CxKpis.REVENUE) ? 1 : 2] = r.getAs(CxKpis.VALUE);
    }
    assertThat(expected).as("13 months").hasSize(13);
    Matrices.assertEqual("Online Retail monthly sales KPIs", expected, actual, java.util.Set.of(0, 2));
  }

  @Test
  void rerunReplacesThePartitionAndEveryColumnIsCommented() {
    SparkSession spark = SparkExtension.session();
    long before = gold(RetentionCohorts.TABLE.name()).count();
    CohortsJob.run(spark, CohortsConfig.from(CxConfig.defaults(), catalog, AS_OF));
    assertThat(gold(RetentionCohorts.TABLE.name()).count()).as("same rows after a rerun").isEqualTo(before);
    for (String table : List.of(RetentionCohorts.TABLE.name(), "cohort_repeat_purchases", "revenue_retention",
        CxKpis.TABLE.name())) {
      List<Row> described = spark.sql("DESCRIBE TABLE delta.`" + catalog.root() + "/gold/" + table + "`")
          .collectAsList().stream().filter(r -> !r.getString(0).isBlank() && !r.getString(0).startsWith("#")).toList();
      assertThat(described).as(table + ": every column commented")
          .allSatisfy(r -> assertThat(r.getString(2)).as(table + "." + r.getString(0)).isNotBlank());
    }
  }
}
