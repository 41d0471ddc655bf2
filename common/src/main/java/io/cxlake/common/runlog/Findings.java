package io.cxlake.common.runlog;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Pieces of the one line a job prints about what it found. */
public final class Findings {
  private Findings() {}

  /**
   * Rows per value of a column, largest first: {@code "deliver 1,204, suppressed 310"}. For the few
   * values of a categorical column of a small written partition.
   */
  public static String countsBy(Dataset<Row> rows, String column) {
    List<Row> counts = rows.groupBy(col(column)).count().orderBy(col("count").desc(), col(column)).collectAsList();
    return counts.stream()
        .map(r -> (r.isNullAt(0) ? "none" : r.get(0).toString()) + String.format(Locale.ROOT, " %,d", r.getLong(1)))
        .collect(Collectors.joining(", "));
  }
}
