package io.cxlake.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import io.cxlake.common.time.PointInTime;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.cohorts.CohortsConfig;
import io.cxlake.jobs.cohorts.CohortsJob;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.kpis.KpisConfig;
import io.cxlake.jobs.kpis.KpisJob;
import java.io.File;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The peers of {@code bench pipeline}, measured in the same run on the same files: DuckDB (in
 * process, 2 threads) computing what a cxlake job computes from the silver Parquet files of the
 * current Delta snapshots ({@link PeerSql}), and the scan floor, one Spark pass over the columns
 * the job reads with nothing computed. Each peer's output is compared with cxlake's table (row
 * counts and sums per group), so a fast wrong answer shows as a mismatch rather than a win.
 */
public final class PeerBench implements AutoCloseable {
  /**
   * Relative tolerance of a compared sum. The engines add doubles in different orders, which moves
   * a sum of up to 10^8 terms by about 1e-13 of it; one order line among millions moves it by more
   * than 1e-7.
   */
  public static final double TOLERANCE = 1e-9;
  private static final String DRIVER = "org.duckdb.DuckDBDriver";
  private static final String DUCKDB_THREADS = "2";

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final CxConfig config;
  private final AsOf asOf;
  private final File work;
  private final Connection duck;
  private final PeerSql.Inputs inputs;

  /**
   * One job against its peers.
   *
   * @param job the pipeline job
   * @param jobSeconds its wall time in the pipeline
   * @param peerSeconds DuckDB's time for the same computation
   * @param floorSeconds the Spark scan floor of the job's inputs
   * @param compared what was compared, e.g. "retention rows 1,234 = 1,234"
   * @param mismatches differences between the peer's output and cxlake's; empty when they agree
   */
  public record Result(String job, double jobSeconds, double peerSeconds, double floorSeconds, String compared,
      List<String> mismatches) {}

  private PeerBench(SparkSession spark, TableCatalog catalog, CxConfig config, AsOf asOf, File work, Connection duck) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
    this.asOf = asOf;
    this.work = work;
    this.duck = duck;
    this.inputs = new PeerSql.Inputs(parquet(Transactions.TABLE), parquet(Customers.TABLE),
        parquet(SupportTickets.TABLE), parquet(Surveys.TABLE), parquet(WebEvents.TABLE), asOf.date());
  }

  /**
   * Opens an in-process DuckDB with 2 threads; its scratch files go to {@code work}.
   *
   * @throws IllegalStateException when duckdb_jdbc is not on the classpath
   */
  public static PeerBench open(SparkSession spark, TableCatalog catalog, CxConfig config, AsOf asOf, File work)
      throws SQLException {
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Cannot compare with DuckDB: org.duckdb:duckdb_jdbc is not on the classpath "
          + "(bin/cxlake adds jobs/target/bench-lib/ for 'bench'; 'mvn package' puts the driver there)", e);
    }
    if (!work.mkdirs() && !work.isDirectory()) {
      throw new IllegalStateException("Cannot compare with DuckDB: the work folder cannot be created (" + work + ")");
    }
    Connection duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("SET autoload_known_extensions = false");
      s.execute("SET threads = " + DUCKDB_THREADS);
      s.execute("SET temp_directory = '" + new File(work, "duckdb-tmp") + "'");
      return new PeerBench(spark, catalog, config, asOf, work, duck);
    } catch (SQLException | RuntimeException e) {
      duck.close();
      throw e;
    }
  }

  /** DuckDB's version, for the benchmark's caption. */
  public String version() throws SQLException {
    return duck.getMetaData().getDatabaseProductVersion();
  }

  @Override
  public void close() throws SQLException {
    duck.close();
  }

  /**
   * Ingest against DuckDB parsing, typing, validating and de-duplicating every source's landing
   * files into Parquet by the same contract. DuckDB keeps rows cxlake quarantines for reasons it
   * does not check (unknown customers, implausible values), so the check is silver &le; DuckDB
   * &le; silver + quarantined, per source.
   */
  public Result ingest(double jobSeconds, String landing) throws SQLException {
    List<String> mismatches = new ArrayList<>();
    double peer = 0;
    long peerRows = 0;
    long silverRows = 0;
    for (SourceContract source : Sources.ALL) {
      List<String> files = landingFiles(new File(landing, source.name()));
      if (files.isEmpty()) {
        continue;
      }
      String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ", "[", "]"));
      String reader = files.get(0).endsWith(".json")
          ? "read_json(" + list + ", format = 'newline_delimited', ignore_errors = true, columns = {"
              + source.columnNames().stream().map(c -> "'" + c + "': 'VARCHAR'").collect(Collectors.joining(", "))
              + "})"
          : "read_csv(" + list + ", header = true, all_varchar = true, ignore_errors = true)";
      String out = new File(work, source.name() + ".parquet").getAbsolutePath();
      peer += timed("COPY (" + PeerSql.ingestSql(source, reader) + ") TO '" + out + "' (FORMAT parquet)");
      long rows = count("SELECT count(*) FROM read_parquet('" + out + "')");
      long silver = PointInTime.current(DeltaIO.read(spark, catalog.path(Sources.table(source)))).count();
      long quarantined = DeltaIO.read(spark, catalog.path(Quarantine.TABLE))
          .filter(col(Quarantine.SOURCE).equalTo(source.name())).count();
      if (rows < silver || rows > silver + quarantined) {
        mismatches.add(String.format(Locale.ROOT, "ingest %s: DuckDB %,d rows, silver %,d + %,d quarantined",
            source.name(), rows, silver, quarantined));
      }
      peerRows += rows;
      silverRows += silver;
    }
    List<String> all = Sources.ALL.stream().flatMap(s -> landingFiles(new File(landing, s.name())).stream()).toList();
    double floor = seconds(() -> spark.read().text(all.toArray(String[]::new)).write().format("noop")
        .mode("overwrite").save());
    return new Result(IngestJob.NAME, jobSeconds, peer, floor, String.format(Locale.ROOT,
        "valid distinct rows: DuckDB %,d, silver %,d (+ quarantined)", peerRows, silverRows), mismatches);
  }

  /** The source's data files, sub-folders included, as ingest reads them. */
  private static List<String> landingFiles(File folder) {
    if (!folder.isDirectory()) {
      return List.of();
    }
    try (var paths = java.nio.file.Files.walk(folder.toPath())) {
      return paths.map(java.nio.file.Path::toString).filter(f -> f.endsWith(".csv") || f.endsWith(".json"))
          .sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot list the landing files of " + folder, e);
    }
  }

  /** Cohorts: the retention matrix, the repeat-purchase view and revenue retention. */
  public Result cohorts(double jobSeconds) throws SQLException {
    CohortsConfig c = CohortsConfig.from(config, catalog, asOf);
    String ctes = PeerSql.orderCtes(inputs, c.dimensions());
    Grain grain = c.grain();
    double peer = timed("CREATE OR REPLACE TABLE peer_retention AS "
        + PeerSql.retentionSql(ctes, grain, grain.asOfPeriod(asOf)))
        + timed("CREATE OR REPLACE TABLE peer_repeat AS "
            + PeerSql.repeatPurchasesSql(ctes, grain, c.repeatPurchaseNumbers(), c.repeatWindowsDays()))
        + timed("CREATE OR REPLACE TABLE peer_nrr AS "
            + PeerSql.revenueRetentionSql(ctes, grain, c.revenueRetentionLookbacks(), grain.asOfPeriod(asOf)));
    double floor = floor(Map.of(
        Transactions.TABLE, List.of(Transactions.CUSTOMER_ID, Transactions.ORDER_ID, Transactions.ORDER_TS,
            Transactions.NET_AMOUNT, Transactions.STATUS, Transactions.CATEGORY),
        Customers.TABLE, List.of(Customers.CUSTOMER_ID, Customers.ACQUISITION_CHANNEL, Customers.COUNTRY)));
    List<String> mismatches = new ArrayList<>();
    String retention = compare("retention_cohorts", "peer_retention", gold(RetentionCohorts.TABLE),
        "SELECT cohort_dimension, count(*), sum(CASE WHEN period = 0 THEN cohort_size END), sum(active_customers), "
            + "sum(orders), sum(revenue), sum(retention_rate) FROM %s GROUP BY cohort_dimension", 1, mismatches);
    String repeat = compare("cohort_repeat_purchases", "peer_repeat", gold(CohortRepeatPurchases.TABLE),
        "SELECT cohort_dimension, purchase_number, within_days, count(*), sum(customers), sum(cohort_size) FROM %s "
            + "GROUP BY cohort_dimension, purchase_number, within_days", 3, mismatches);
    String nrr = compare("revenue_retention", "peer_nrr", gold(RevenueRetention.TABLE),
        "SELECT lookback_periods, count(*), sum(base_customers), sum(retained_customers), sum(base_revenue), "
            + "sum(current_revenue), sum(nrr), sum(grr) FROM %s GROUP BY lookback_periods", 1, mismatches);
    return new Result(CohortsJob.NAME, jobSeconds, peer, floor, retention + "; " + repeat + "; " + nrr,
        mismatches);
  }

  /** CLV: the per-customer BTYD summary (x, t_x, T, mean repeat value) and its distinct rows. */
  public Result clv(double jobSeconds) throws SQLException {
    double peer = timed("CREATE OR REPLACE TABLE peer_clv AS " + PeerSql.clvSummarySql(inputs))
        + timed("CREATE OR REPLACE TABLE peer_clv_fit AS SELECT x, t_x_days, t_days, count(*) AS weight "
            + "FROM peer_clv GROUP BY ALL");
    double floor = floor(Map.of(Transactions.TABLE, List.of(Transactions.CUSTOMER_ID, Transactions.ORDER_TS,
        Transactions.NET_AMOUNT, Transactions.STATUS)));
    // clv_predictions keeps t_x and T in its time unit; back in days they compare with the peer's.
    Dataset<Row> predictions = gold(ClvPredictions.TABLE).selectExpr(ClvPredictions.X,
        "CASE WHEN time_unit = 'weeks' THEN t_x * 7 ELSE t_x END AS t_x_days",
        "CASE WHEN time_unit = 'weeks' THEN t * 7 ELSE t END AS t_days", ClvPredictions.MEAN_REPEAT_VALUE);
    List<String> mismatches = new ArrayList<>();
    String summary = compare("clv_predictions", "peer_clv", predictions,
        "SELECT count(*), sum(x), sum(t_x_days), sum(t_days), sum(mean_repeat_value), count(mean_repeat_value) "
            + "FROM %s", 0, mismatches);
    String distinct = compare("distinct (x, t_x, T)", "peer_clv", predictions,
        "SELECT count(*) FROM (SELECT DISTINCT x, round(t_x_days), round(t_days) FROM %s) d", 0, mismatches);
    return new Result(ClvJob.NAME, jobSeconds, peer, floor, summary + "; " + distinct, mismatches);
  }

  /** KPIs: sixteen metrics at every configured grain over four of the six dimensions. */
  public Result kpis(double jobSeconds) throws SQLException {
    KpisConfig k = KpisConfig.from(config, catalog, asOf);
    String sql = k.grains().stream()
        .map(g -> "SELECT '" + g.label() + "' AS period_grain, * FROM (" + PeerSql.kpiSql(inputs, g,
            k.churnInactivityDays()) + ")")
        .collect(Collectors.joining("\nUNION ALL "));
    double peer = timed("CREATE OR REPLACE TABLE peer_kpis AS " + sql);
    double floor = floor(Map.of(
        Transactions.TABLE, List.of(Transactions.CUSTOMER_ID, Transactions.ORDER_ID, Transactions.ORDER_TS,
            Transactions.NET_AMOUNT, Transactions.STATUS, Transactions.CHANNEL),
        SupportTickets.TABLE, List.of(SupportTickets.OPENED_TS, SupportTickets.RESOLVED_TS, SupportTickets.TOPIC,
            SupportTickets.CONTACTS),
        Surveys.TABLE, List.of(Surveys.RESPONSE_TS, Surveys.SURVEY_TYPE, Surveys.SCORE, Surveys.TOUCHPOINT),
        WebEvents.TABLE, List.of(WebEvents.SESSION_ID, WebEvents.EVENT_TS, WebEvents.EVENT_TYPE)));
    Dataset<Row> metrics = gold(CxKpis.TABLE)
        .filter(col(CxKpis.DIMENSION).isin("all", "touchpoint", "topic", "sales_channel")
            .and(col(CxKpis.METRIC).isin(metricNames().toArray()))
            .and(col(CxKpis.METRIC).notEqual(CxKpis.OPEN_BACKLOG).or(col(CxKpis.DIMENSION).equalTo(CxKpis.ALL))));
    List<String> mismatches = new ArrayList<>();
    // Spark writes 0 rows where the peer has none (PeerSql.DENSE_KPIS), so non-zero rows are counted.
    String compared = compare("cx_kpis series", "peer_kpis", metrics,
        "SELECT period_grain, metric, count(CASE WHEN value <> 0 THEN 1 END), sum(value) FROM %s "
            + "GROUP BY period_grain, metric", 2, mismatches);
    return new Result(KpisJob.NAME, jobSeconds, peer, floor, compared, mismatches);
  }

  /** customer_360: fourteen of its features for every customer known at the cut-off. */
  public Result customer360(double jobSeconds) throws SQLException {
    double peer = timed("CREATE OR REPLACE TABLE peer_c360 AS " + PeerSql.customer360Sql(inputs));
    // Every column of every source: the job reads most of them.
    double floor = floor(Map.of(Transactions.TABLE, List.of(), Customers.TABLE, List.of(), SupportTickets.TABLE,
        List.of(), Surveys.TABLE, List.of(), WebEvents.TABLE, List.of()));
    List<String> mismatches = new ArrayList<>();
    String compared = compare("customer_360", "peer_c360", gold(Customer360.TABLE),
        "SELECT count(*), sum(orders), sum(monetary_total), count(monetary_total), sum(orders_90d), "
            + "sum(revenue_365d), sum(recency_days), sum(return_rate), count(return_rate), sum(tickets_total), "
            + "sum(open_tickets), sum(mean_ticket_csat), sum(csat_responses), sum(mean_csat), count(mean_csat), "
            + "sum(sessions_30d), sum(product_views_30d), sum(cart_abandonments_90d) FROM %s", 0, mismatches);
    return new Result(Customer360Job.NAME, jobSeconds, peer, floor, compared, mismatches);
  }

  private static List<String> metricNames() {
    return List.of("nps", "csat_satisfied_share", "csat_mean", "tickets_opened", "resolution_hours_median",
        "resolution_hours_p90", "resolution_hours_mean", "first_contact_resolution_rate", CxKpis.OPEN_BACKLOG,
        CxKpis.ORDERS, CxKpis.REVENUE, CxKpis.ACTIVE_CUSTOMERS, "repeat_purchase_rate", CxKpis.CHURNED_CUSTOMERS,
        CxKpis.SESSIONS, "cart_abandonment_rate");
  }

  /** The gold table's rows of the as-of date. */
  private Dataset<Row> gold(TableSpec table) {
    return DeltaIO.read(spark, catalog.path(table))
        .filter(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(asOf.date()))));
  }

  /**
   * The Parquet files of the table's current Delta snapshot, as a DuckDB relation; an empty file of
   * the table's schema when the table has no rows or does not exist (a source left out of the
   * benchmark), so the peer SQL runs unchanged on what the jobs read as empty.
   */
  private String parquet(TableSpec table) {
    String path = catalog.path(table);
    String[] data = DeltaIO.exists(spark, path) ? DeltaIO.read(spark, path).inputFiles() : new String[0];
    if (data.length == 0) {
      String empty = new File(work, "empty-" + table.name()).toURI().toString();
      spark.createDataFrame(List.<Row>of(), table.schema()).write().mode("overwrite").parquet(empty);
      data = spark.read().parquet(empty).inputFiles();
    }
    String files = Arrays.stream(data)
        .map(f -> "'" + URI.create(f).getPath() + "'").sorted().collect(Collectors.joining(", ", "[", "]"));
    // The current version of each silver row, as the cxlake jobs read it on data without changes.
    return "(SELECT * FROM read_parquet(" + files + ") WHERE " + SilverHistory.VALID_TO + " IS NULL)";
  }

  /**
   * Runs {@code summarySql} (a %s for the relation; the first {@code keys} columns group, the rest
   * are compared within {@link #TOLERANCE}) on the peer's table in DuckDB and on cxlake's rows in
   * Spark, adds each difference to {@code mismatches}, and describes the first compared value.
   */
  private String compare(String what, String peerTable, Dataset<Row> cxlake, String summarySql, int keys,
      List<String> mismatches) throws SQLException {
    Map<String, double[]> peer = new TreeMap<>();
    List<String> labels = new ArrayList<>();
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(String.format(summarySql, peerTable))) {
      int n = rs.getMetaData().getColumnCount();
      for (int i = keys + 1; i <= n; i++) {
        labels.add(rs.getMetaData().getColumnLabel(i));
      }
      while (rs.next()) {
        StringBuilder key = new StringBuilder();
        for (int i = 1; i <= keys; i++) {
          key.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        double[] v = new double[n - keys];
        for (int i = keys + 1; i <= n; i++) {
          Object o = rs.getObject(i);
          v[i - keys - 1] = o == null ? Double.NaN : ((Number) o).doubleValue();
        }
        peer.put(key.toString(), v);
      }
    }
    String view = "cx_" + peerTable;
    cxlake.createOrReplaceTempView(view);
    Map<String, double[]> ours = new TreeMap<>();
    for (Row r : spark.sql(String.format(summarySql, view)).collectAsList()) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < keys; i++) {
        key.append(i > 0 ? "|" : "").append(r.get(i));
      }
      double[] v = new double[r.size() - keys];
      for (int i = keys; i < r.size(); i++) {
        v[i - keys] = r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
      }
      ours.put(key.toString(), v);
    }
    spark.catalog().dropTempView(view);
    if (!peer.keySet().equals(ours.keySet())) {
      mismatches.add(what + ": groups differ (DuckDB " + peer.keySet() + ", cxlake " + ours.keySet() + ")");
    }
    for (Map.Entry<String, double[]> e : peer.entrySet()) {
      double[] o = ours.get(e.getKey());
      for (int i = 0; o != null && i < o.length; i++) {
        double a = e.getValue()[i];
        double b = o[i];
        boolean equal = (Double.isNaN(a) && Double.isNaN(b))
            || Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
        if (!equal) {
          mismatches.add(String.format(Locale.ROOT, "%s [%s] %s: DuckDB %s, cxlake %s", what, e.getKey(),
              labels.get(i), a, b));
        }
      }
    }
    double rows = peer.values().stream().mapToDouble(v -> v[0]).sum();
    double theirs = ours.values().stream().mapToDouble(v -> v[0]).sum();
    return String.format(Locale.ROOT, "%s %,.0f = %,.0f", what, rows, theirs);
  }

  private double timed(String sql) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement s = duck.createStatement()) {
      s.execute(sql);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private long count(String sql) throws SQLException {
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * One Spark pass over the columns (all when the list is empty) of each table, with no output; a
   * table that does not exist (a source left out) costs nothing.
   */
  private double floor(Map<TableSpec, List<String>> columns) {
    return seconds(() -> columns.forEach((table, cols) -> {
      if (!DeltaIO.exists(spark, catalog.path(table))) {
        return;
      }
      Dataset<Row> data = DeltaIO.read(spark, catalog.path(table));
      (cols.isEmpty() ? data : data.selectExpr(cols.toArray(String[]::new))).write().format("noop")
          .mode("overwrite").save();
    }));
  }

  private static double seconds(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }
}
