package io.cxlake.jobs.oracle;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.time.Grain;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * An independent SQL engine for tests: in-process DuckDB over Parquet (or the raw CSV), with no
 * extension downloads. The SQL here is written from the metric definitions in
 * docs/cohorts-kpis.md, not from the Spark code, so the two can only agree if both are right.
 */
public final class DuckDbOracle implements AutoCloseable {
  private final Connection connection;

  public DuckDbOracle() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("SET autoload_known_extensions = false");
    }
  }

  /** Runs a query and returns its rows as object arrays. */
  public List<Object[]> query(String sql) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  /**
   * Writes a frame as Parquet for DuckDB, with timestamps as UTC wall-clock values without a zone
   * (TIMESTAMP_NTZ), so neither engine's session time zone can shift a period boundary.
   */
  public static String writeParquet(Dataset<Row> data, Path dir) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : data.schema().fields()) {
      Column c = col(f.name());
      cols.add(f.dataType().equals(DataTypes.TimestampType) ? c.cast(DataTypes.TimestampNTZType).as(f.name()) : c);
    }
    data.select(cols.toArray(Column[]::new)).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    return "read_parquet('" + dir + "/*.parquet')";
  }

  /**
   * Reads back what {@link #writeParquet} wrote, with the timestamps as Spark timestamps again, so
   * Spark computes from exactly the rows DuckDB reads.
   */
  public static Dataset<Row> readParquet(org.apache.spark.sql.SparkSession spark, Path dir) {
    Dataset<Row> data = spark.read().parquet(dir.toString());
    List<Column> cols = new ArrayList<>();
    for (StructField f : data.schema().fields()) {
      Column c = col(f.name());
      cols.add(f.dataType().equals(DataTypes.TimestampNTZType) ? c.cast(DataTypes.TimestampType).as(f.name()) : c);
    }
    return data.select(cols.toArray(Column[]::new));
  }

  /** DuckDB expression: the first day of the period of a timestamp. */
  public static String trunc(Grain grain, String ts) {
    return "CAST(date_trunc('" + grain.label() + "', " + ts + ") AS DATE)";
  }

  /** DuckDB expression: whole periods between two period starts. */
  public static String between(Grain grain, String from, String to) {
    return switch (grain) {
      case DAY -> "datediff('day', " + from + ", " + to + ")";
      case WEEK -> "(datediff('day', " + from + ", " + to + ") // 7)";
      case MONTH -> "datediff('month', " + from + ", " + to + ")";
    };
  }

  /** DuckDB expression: the period start n periods later. */
  public static String plus(Grain grain, String start, String n) {
    return switch (grain) {
      case DAY -> "(" + start + " + CAST(" + n + " AS INTEGER))";
      case WEEK -> "(" + start + " + 7 * CAST(" + n + " AS INTEGER))";
      case MONTH -> "CAST(" + start + " + to_months(CAST(" + n + " AS INTEGER)) AS DATE)";
    };
  }

  /**
   * The retention matrix from CTEs {@code orders(customer_id, order_id, ts, revenue)} (completed
   * orders before the cut-off) and {@code dims(customer_id, dim, val)} (each customer's dimension
   * values, 'all' included). Columns: dim, val, cohort, period, size, active, rate, orders, revenue,
   * cumulative revenue per customer, revenue retention.
   */
  public static String retentionSql(String ctes, Grain grain, LocalDate asOfPeriod) {
    return "WITH " + ctes + ",\n"
        + "firsts AS (SELECT customer_id, " + trunc(grain, "min(ts)") + " AS cohort FROM orders GROUP BY customer_id),\n"
        + "members AS (SELECT d.dim, d.val, f.cohort, f.customer_id FROM firsts f JOIN dims d USING (customer_id)),\n"
        + "sizes AS (SELECT dim, val, cohort, count(*) AS size FROM members GROUP BY dim, val, cohort),\n"
        + "grid AS (SELECT s.dim, s.val, s.cohort, s.size, CAST(r.range AS INTEGER) AS period\n"
        + "  FROM sizes s CROSS JOIN range(0, 2000) r WHERE " + plus(grain, "s.cohort", "r.range")
        + " <= DATE '" + asOfPeriod + "'),\n"
        + "activity AS (SELECT m.dim, m.val, m.cohort, " + between(grain, "m.cohort", trunc(grain, "o.ts")) + " AS period,\n"
        + "  count(DISTINCT o.customer_id) AS active, count(*) AS orders, sum(o.revenue) AS revenue\n"
        + "  FROM orders o JOIN members m USING (customer_id) GROUP BY ALL),\n"
        + "joined AS (SELECT g.dim, g.val, g.cohort, g.period, g.size, coalesce(a.active, 0) AS active,\n"
        + "  coalesce(a.orders, 0) AS orders, coalesce(a.revenue, 0) AS revenue\n"
        + "  FROM grid g LEFT JOIN activity a ON a.dim = g.dim AND a.val = g.val AND a.cohort = g.cohort\n"
        + "  AND a.period = g.period)\n"
        + "SELECT dim, val, cohort, period, size, active, active / size AS rate, orders, revenue,\n"
        + "  sum(revenue) OVER (PARTITION BY dim, val, cohort ORDER BY period) / size AS cumulative,\n"
        + "  CASE WHEN first_value(revenue) OVER w > 0 THEN revenue / first_value(revenue) OVER w END AS retention\n"
        + "FROM joined WINDOW w AS (PARTITION BY dim, val, cohort ORDER BY period)";
  }
}
