package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ClvPredictions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The customer value churn-score puts at risk: the clv_predictions partition of the scoring date,
 * or the latest before it at most {@code churn.clv-max-age-days} older, never a later one. Not a
 * model input: the model's BG/NBD inputs are fitted at each cut-off ({@link TrainingSet#modelInputs}).
 */
final class ClvSnapshots {
  /** Columns of {@link #at}. */
  static final StructType SCHEMA = new StructType()
      .add(ClvPredictions.CUSTOMER_ID, DataTypes.StringType)
      .add(ClvPredictions.CLV, DataTypes.DoubleType)
      .add(ChurnFeatures.CLV_AS_OF_DATE, DataTypes.DateType);

  private final SparkSession spark;
  private final Dataset<Row> table;
  private final List<LocalDate> dates;

  private ClvSnapshots(SparkSession spark, Dataset<Row> table, List<LocalDate> dates) {
    this.spark = spark;
    this.table = table;
    this.dates = dates;
  }

  /** The warehouse's clv_predictions, or none when the clv job never ran. */
  static ClvSnapshots read(SparkSession spark, TableCatalog catalog) {
    String path = catalog.path(ClvPredictions.TABLE);
    if (!DeltaIO.exists(spark, path)) {
      return new ClvSnapshots(spark, null, List.of());
    }
    return of(spark, DeltaIO.read(spark, path));
  }

  /** Snapshots of a clv_predictions frame; its distinct dates (one per clv run) are listed once. */
  static ClvSnapshots of(SparkSession spark, Dataset<Row> clvPredictions) {
    List<LocalDate> dates = new ArrayList<>();
    for (Row r : clvPredictions.select(ClvPredictions.AS_OF_DATE).distinct().collectAsList()) {
      dates.add(r.getDate(0).toLocalDate());
    }
    dates.sort(Comparator.naturalOrder());
    return new ClvSnapshots(spark, clvPredictions, dates);
  }

  /** The partition used at a cut-off date, if any. */
  Optional<LocalDate> dateFor(LocalDate cutoff, int maxAgeDays) {
    LocalDate oldest = cutoff.minusDays(maxAgeDays);
    return dates.stream().filter(d -> !d.isAfter(cutoff) && !d.isBefore(oldest)).max(Comparator.naturalOrder());
  }

  /** The rows of the partition used at a cut-off date, empty when there is none. */
  Dataset<Row> at(LocalDate cutoff, int maxAgeDays) {
    Optional<LocalDate> date = dateFor(cutoff, maxAgeDays);
    if (date.isEmpty()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return table.filter(col(ClvPredictions.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(date.get()))))
        .select(col(ClvPredictions.CUSTOMER_ID), col(ClvPredictions.CLV),
            col(ClvPredictions.AS_OF_DATE).as(ChurnFeatures.CLV_AS_OF_DATE));
  }
}
