package io.cxlake.jobs.oracle;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * extension downloads. The SQL is {@link io.cxlake.jobs.bench.PeerSql}, written from the metric
 * definitions in docs/, not from the Spark code, so the two can only agree if both are right.
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
}
