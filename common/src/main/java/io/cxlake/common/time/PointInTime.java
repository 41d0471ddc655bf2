package io.cxlake.common.time;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.schema.SilverHistory;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The one way to read a silver table's attribute history ({@link SilverHistory}): the version of
 * every row as it was at a cut-off, or the current one. A version took effect at
 * {@code valid_from} and was replaced at {@code valid_to}; like every event, a change is visible
 * at a cut-off when it happened strictly before it, so exactly one version of a key is visible at
 * any cut-off after its first one. Frames without the version columns (a table written before
 * they existed) have one version per row and are returned as they are.
 */
public final class PointInTime {
  private PointInTime() {}

  /** The version of every row that was in effect at the cut-off of {@code asOf}. */
  public static Dataset<Row> at(Dataset<Row> silver, AsOf asOf) {
    return hasHistory(silver) ? silver.filter(inEffect(silver, asOf)) : silver;
  }

  /**
   * A row of {@code silver} is the version in effect at the cut-off (true for frames without
   * versions): the condition of {@link #at}, for plans whose cut-off is a column ({@link Cutoffs}).
   */
  public static Column inEffect(Dataset<Row> silver, Cutoff cutoff) {
    if (!hasHistory(silver)) {
      return functions.lit(true);
    }
    Column from = col(SilverHistory.VALID_FROM);
    Column to = col(SilverHistory.VALID_TO);
    return from.isNull().or(cutoff.visible(from)).and(to.isNull().or(cutoff.visible(to).unary_$bang()));
  }

  /** The current version of every row: what the sources say today. */
  public static Dataset<Row> current(Dataset<Row> silver) {
    return hasHistory(silver) ? silver.filter(col(SilverHistory.VALID_TO).isNull()) : silver;
  }

  private static boolean hasHistory(Dataset<Row> silver) {
    return List.of(silver.columns()).containsAll(List.of(SilverHistory.VALID_FROM, SilverHistory.VALID_TO));
  }
}
