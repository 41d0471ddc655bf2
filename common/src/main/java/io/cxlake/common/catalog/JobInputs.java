package io.cxlake.common.catalog;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.PointInTime;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How a job reads the tables it depends on: a silver table it needs (or may do without), and the
 * rows of one as-of date of a snapshot table, each failing with what the job was doing and which
 * command to run first.
 *
 * @param spark the session
 * @param catalog the warehouse
 * @param action what the job does, for messages ("build recommendations")
 */
public record JobInputs(SparkSession spark, TableCatalog catalog, String action) {
  /**
   * A table the job cannot run without, whole: a silver table's current versions, or every day of
   * a snapshot table.
   */
  public Dataset<Row> required(TableSpec table) {
    return current(table, history(table));
  }

  /**
   * A silver table of an optional source, current versions: empty, with its schema, when the
   * landing zone never had it.
   */
  public Dataset<Row> silverOrEmpty(TableSpec table) {
    return PointInTime.current(historyOrEmpty(table));
  }

  /**
   * A table the job cannot run without, with every version of a silver table's rows: for
   * point-in-time readers, through {@link PointInTime#at}.
   */
  public Dataset<Row> history(TableSpec table) {
    return DeltaIO.readRequired(spark, table, catalog.path(table), action, TableCatalog.producer(table));
  }

  /** {@link #silverOrEmpty} with every version of the rows, for point-in-time readers. */
  public Dataset<Row> historyOrEmpty(TableSpec table) {
    return DeltaIO.readOrEmpty(spark, table, catalog.path(table));
  }

  private static Dataset<Row> current(TableSpec table, Dataset<Row> rows) {
    return table.layer() == TableSpec.Layer.SILVER ? PointInTime.current(rows) : rows;
  }

  /** The rows of one as-of date of a snapshot table the job needs. */
  public Dataset<Row> snapshot(TableSpec table, LocalDate date) {
    String path = catalog.path(table);
    String producer = TableCatalog.producer(table);
    DeltaIO.readRequired(spark, table, path, action, producer);
    return atDate(table, date)
        .orElseThrow(() -> new IllegalStateException("Cannot " + action + ": " + table.name() + " has no rows for "
            + date + ", run " + producer + " --as-of " + date + " first (" + path + ")"));
  }

  /** The rows of one as-of date of a snapshot table the job uses when another job has written them. */
  public Optional<Dataset<Row>> optionalSnapshot(TableSpec table, LocalDate date) {
    return atDate(table, date);
  }

  /**
   * customer_id and churn_probability (a double) of churn_scores for the date, when the churn job
   * has scored it.
   */
  public Optional<Dataset<Row>> churnProbabilities(LocalDate date) {
    return optionalSnapshot(ChurnScores.TABLE, date).map(s -> requireColumns(s, ChurnScores.TABLE,
        ChurnScores.CUSTOMER_ID, ChurnScores.CHURN_PROBABILITY)
        .withColumn(ChurnScores.CHURN_PROBABILITY, col(ChurnScores.CHURN_PROBABILITY).cast("double")));
  }

  /** The rows of {@code date}, or empty when the table does not exist or has no rows for that date. */
  private Optional<Dataset<Row>> atDate(TableSpec table, LocalDate date) {
    String path = catalog.path(table);
    if (!DeltaIO.exists(spark, path)) {
      return Optional.empty();
    }
    Dataset<Row> rows = DeltaIO.read(spark, path).filter(col(snapshotColumn(table)).equalTo(java.sql.Date.valueOf(date)));
    // One row is enough to know the date was written; the partition filter keeps this cheap.
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
  }

  /** The columns of a table read as written, checked, for inputs whose schema another job owns. */
  public static Dataset<Row> requireColumns(Dataset<Row> rows, TableSpec table, String... columns) {
    List<String> present = List.of(rows.columns());
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new IllegalStateException("Cannot read " + table.name() + ": column is missing (" + c + ")");
      }
    }
    return rows.select(java.util.Arrays.stream(columns).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
  }

  private static String snapshotColumn(TableSpec table) {
    if (!table.isSnapshot()) {
      throw new IllegalArgumentException("Cannot read a snapshot of " + table.name() + ": the table is not partitioned "
          + "by " + TableSpec.AS_OF_DATE + " (" + table.partitionColumns() + ")");
    }
    return TableSpec.AS_OF_DATE;
  }
}
