package io.cxlake.common.catalog;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.delta.DeltaIO;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Optional inputs of a job: the rows of one as-of date of a snapshot table that another job may or
 * may not have written (clv_predictions, churn_scores), so a job uses them where present and falls
 * back otherwise.
 */
public final class Snapshots {
  /** The churn job's gold table, read by path: customer_id, as_of_date, churn_probability. */
  public static final String CHURN_SCORES = "churn_scores";
  public static final String CHURN_PROBABILITY = "churn_probability";
  private static final String CUSTOMER_ID = "customer_id";

  private Snapshots() {}

  /**
   * The rows of {@code date} in the Delta table at {@code path}, or empty when the table does not
   * exist or has no rows for that date.
   */
  public static Optional<Dataset<Row>> atDate(SparkSession spark, String path, String dateColumn, LocalDate date) {
    if (!DeltaIO.exists(spark, path)) {
      return Optional.empty();
    }
    Dataset<Row> rows = DeltaIO.read(spark, path).filter(col(dateColumn).equalTo(java.sql.Date.valueOf(date)));
    // One row is enough to know the date was written; the partition filter keeps this cheap.
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
  }

  /** Where a gold table lives by name, for a table whose schema class is not in the catalog. */
  public static String goldPath(TableCatalog catalog, String table) {
    return catalog.root() + "/gold/" + table;
  }

  /**
   * customer_id and churn_probability of churn_scores for the date, when the churn job has run for
   * it; the columns are checked, since the table's schema is owned by that job.
   */
  public static Optional<Dataset<Row>> churnProbabilities(SparkSession spark, TableCatalog catalog, LocalDate date) {
    Optional<Dataset<Row>> scores = atDate(spark, goldPath(catalog, CHURN_SCORES), "as_of_date", date);
    scores.ifPresent(s -> {
      for (String c : java.util.List.of(CUSTOMER_ID, CHURN_PROBABILITY)) {
        if (!java.util.List.of(s.columns()).contains(c)) {
          throw new IllegalStateException("Cannot read " + CHURN_SCORES + ": column is missing (" + c + ")");
        }
      }
    });
    return scores.map(s -> s.select(col(CUSTOMER_ID), col(CHURN_PROBABILITY).cast("double").as(CHURN_PROBABILITY)));
  }
}
