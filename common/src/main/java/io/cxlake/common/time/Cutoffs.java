package io.cxlake.common.time;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Many cut-offs in one plan: every row of a source is paired with each cut-off it belongs to
 * ({@link #each}), and carries that cut-off's date ({@link #DATE}) and timestamp ({@link #TS}), so
 * one aggregation by (key, cut-off date) computes what one plan per cut-off would, at the driver
 * cost of one. The timestamp column is the {@link Cutoff} the feature code reads.
 */
public final class Cutoffs implements Cutoff {
  /** The cut-off's as-of date: part of every grouping key. */
  public static final String DATE = "cutoff_date";
  /** The cut-off instant of {@link #DATE} (the start of the next day, UTC); internal to a plan. */
  public static final String TS = "_cutoff_ts";
  /** The per-row cut-off. */
  public static final Cutoffs COLUMN = new Cutoffs();

  private static final StructType SCHEMA = new StructType()
      .add(DATE, DataTypes.DateType, false)
      .add(TS, DataTypes.TimestampType, false);

  private Cutoffs() {}

  /** One row per cut-off date ({@link #DATE}, {@link #TS}): a few rows, broadcast to every join. */
  public static Dataset<Row> frame(SparkSession spark, List<LocalDate> dates) {
    if (dates.isEmpty()) {
      throw new IllegalArgumentException("Cannot pair rows with cut-offs: no cut-off dates ([])");
    }
    List<Row> rows = dates.stream().distinct()
        .map(d -> RowFactory.create(Date.valueOf(d), Timestamp.from(new AsOf(d).cutoff()))).toList();
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * Every row of {@code rows} once per cut-off where {@code condition} (over the row and
   * {@link #COLUMN}) holds, with {@link #DATE} and {@link #TS} added.
   */
  public static Dataset<Row> each(Dataset<Row> rows, Dataset<Row> cutoffs, Column condition) {
    return rows.join(broadcast(cutoffs), condition, "inner");
  }

  @Override
  public Column ts() {
    return col(TS);
  }

  @Override
  public Column within(Column ts, int days) {
    return ts.geq(Durations.plusDays(ts(), -days)).and(ts.lt(ts()));
  }
}
