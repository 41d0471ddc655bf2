package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Segments;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * RFM scoring: quintile scores 1-5 for recency, frequency and monetary value among the customers
 * with a completed order, and the named segment of the R x FM grid.
 *
 * <p>Ties: a customer's score is {@code 1 + floor(5 x worse / n)}, where {@code worse} counts the
 * purchasers with a strictly worse value and {@code n} all purchasers. Equal values therefore always
 * share a score, whatever the row order, and a run is reproducible; when many customers share a
 * value (one purchase), a quintile can be empty.
 */
public final class Rfm {
  /**
   * The segment of each (R, FM) cell: {@code GRID[r - 1][fm - 1]}. The R x F map widely used in RFM
   * practice, on the combined FM score, with its lowest corner split into Lost (R = 1) and
   * Hibernating (R = 2) to give the standard eleven segments.
   */
  public static final String[][] GRID = {
      // FM:  1                        2                           3                           4                        5
      {Segments.LOST, Segments.LOST, Segments.AT_RISK, Segments.AT_RISK, Segments.CANNOT_LOSE_THEM},                 // R = 1
      {Segments.HIBERNATING, Segments.HIBERNATING, Segments.AT_RISK, Segments.AT_RISK, Segments.CANNOT_LOSE_THEM},   // R = 2
      {Segments.ABOUT_TO_SLEEP, Segments.ABOUT_TO_SLEEP, Segments.NEED_ATTENTION, Segments.LOYAL, Segments.LOYAL},   // R = 3
      {Segments.PROMISING, Segments.POTENTIAL_LOYALIST, Segments.POTENTIAL_LOYALIST, Segments.LOYAL, Segments.LOYAL}, // R = 4
      {Segments.NEW, Segments.POTENTIAL_LOYALIST, Segments.POTENTIAL_LOYALIST, Segments.CHAMPIONS, Segments.CHAMPIONS} // R = 5
  };

  private static final String N = "_n";
  private static final String WORSE = "_worse";
  private static final String VALUE = "_value";

  private Rfm() {}

  /** The grid's segment of one cell (scores 1-5). */
  public static String segmentOf(int recencyScore, int fmScore) {
    if (recencyScore < 1 || recencyScore > 5 || fmScore < 1 || fmScore > 5) {
      throw new IllegalArgumentException("Cannot name RFM cell: scores must be 1-5 (R " + recencyScore + ", FM "
          + fmScore + ")");
    }
    return GRID[recencyScore - 1][fmScore - 1];
  }

  /**
   * The RFM columns of {@link Segments} (recency_days .. rfm_segment) per customer of a customer_360
   * snapshot: {@code customer_id} plus the RFM inputs and scores; customers without a completed
   * order get null scores and the segment Prospects.
   */
  public static Dataset<Row> score(Dataset<Row> customer360) {
    Column purchaser = col(Customer360.LAST_ORDER_TS).isNotNull();
    Dataset<Row> inputs = customer360.select(
        col(Customer360.CUSTOMER_ID).as(Segments.CUSTOMER_ID),
        when(purchaser, floor(col(Customer360.RECENCY_DAYS))).cast(DataTypes.LongType).as(Segments.RECENCY_DAYS),
        coalesce(col(Customer360.PURCHASE_OCCASIONS), lit(0L)).as(Segments.FREQUENCY),
        when(purchaser, coalesce(col(Customer360.MONETARY_TOTAL), lit(0.0))).as(Segments.MONETARY));
    Dataset<Row> scored = withQuintile(inputs, Segments.RECENCY_DAYS, Segments.RECENCY_SCORE, false);
    scored = withQuintile(scored, Segments.FREQUENCY, Segments.FREQUENCY_SCORE, true);
    scored = withQuintile(scored, Segments.MONETARY, Segments.MONETARY_SCORE, true);
    Column r = col(Segments.RECENCY_SCORE);
    Column fm = ceil(col(Segments.FREQUENCY_SCORE).plus(col(Segments.MONETARY_SCORE)).divide(2.0))
        .cast(DataTypes.IntegerType);
    return scored
        .withColumn(Segments.FM_SCORE, fm)
        .withColumn(Segments.RFM_SCORE, concat(r.cast("string"), col(Segments.FREQUENCY_SCORE).cast("string"),
            col(Segments.MONETARY_SCORE).cast("string")))
        .withColumn(Segments.RFM_SEGMENT, coalesce(gridSegment(r, col(Segments.FM_SCORE)), lit(Segments.PROSPECTS)));
  }

  /** The grid's segment for score columns (null when a score is null). */
  static Column gridSegment(Column recencyScore, Column fmScore) {
    List<Column> cells = new ArrayList<>();
    for (String[] row : GRID) {
      for (String cell : row) {
        cells.add(lit(cell));
      }
    }
    // Guarded explicitly: the customers without an order have null scores and must stay unnamed here.
    return when(recencyScore.isNotNull().and(fmScore.isNotNull()),
        element_at(array(cells.toArray(Column[]::new)), recencyScore.minus(1).multiply(5).plus(fmScore)));
  }

  /**
   * Adds the quintile score of a column over its non-null rows: a value's score comes from the
   * count of rows with a worse value, so ties share a score. The counts per distinct value are
   * ranked in one unpartitioned window, which holds as many rows as there are distinct values (for
   * monetary totals, about one per customer).
   */
  static Dataset<Row> withQuintile(Dataset<Row> data, String valueColumn, String scoreColumn, boolean higherIsBetter) {
    Dataset<Row> counts = data.filter(col(valueColumn).isNotNull())
        .groupBy(col(valueColumn).as(VALUE)).count();
    Column order = higherIsBetter ? col(VALUE).asc() : col(VALUE).desc();
    WindowSpec worseFirst = Window.orderBy(order).rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec all = Window.partitionBy(lit(1));
    Dataset<Row> scores = counts
        .withColumn(WORSE, coalesce(sum("count").over(worseFirst), lit(0L)))
        .withColumn(N, sum("count").over(all))
        .select(col(VALUE), floor(col(WORSE).multiply(5).divide(col(N))).plus(1).cast(DataTypes.IntegerType)
            .as(scoreColumn));
    return data.join(scores, data.col(valueColumn).equalTo(scores.col(VALUE)), "left").drop(VALUE);
  }
}
