package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.spark.Concurrently;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.PointInTime;
import io.cxlake.jobs.clv.PurchaseForecast;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Point-in-time training rows: at each cut-off, the shared customer features computed only from
 * data before it (the customer_360 logic) and BG/NBD fitted on the purchases before it, the
 * population rules, and the label from the horizon after it. One customer appears once per cut-off it is active at.
 */
public final class TrainingSet {
  private TrainingSet() {}

  /**
   * The model inputs of every customer at a cut-off (training) or scoring date: the shared customer
   * features and BG/NBD fitted on the purchases before it, through {@link ChurnFeatures#modelInputs}.
   * The BG/NBD summary is materialised and fitted here (a Spark job and a driver fit).
   */
  public static Dataset<Row> modelInputs(FeatureInputs inputs, Dataset<Row> closures, AsOf cutoff,
      ChurnConfig config) {
    Dataset<Row> features = CustomerFeatures.compute(inputs, cutoff, config.features());
    Dataset<Row> btyd = PurchaseForecast.at(inputs.transactions().sparkSession(), inputs.transactions(), config.clv(),
        cutoff, config.horizonDays());
    return ChurnFeatures.modelInputs(features, btyd, closures, cutoff, config);
  }

  /**
   * The labelled rows of one cut-off: model inputs of the customers in the population (reason
   * null), {@link ChurnFeatures#LABEL} and {@link ChurnFeatures#CUTOFF_DATE}.
   */
  public static Dataset<Row> snapshot(FeatureInputs inputs, Dataset<Row> closures, LocalDate cutoffDate,
      ChurnConfig config) {
    AsOf cutoff = new AsOf(cutoffDate);
    Dataset<Row> population = modelInputs(inputs, closures, cutoff, config).filter(col(ChurnFeatures.REASON).isNull());
    return ChurnLabels.attach(population, PointInTime.current(inputs.transactions()), closures, cutoff,
        config.horizonDays())
        .withColumn(ChurnFeatures.CUTOFF_DATE, cutoff.dateLit());
  }

  /**
   * The snapshots of several cut-offs, each materialised on its own (local checkpoint): one plan
   * holding the feature logic of every cut-off runs all their broadcast joins in one job, which
   * exhausted a 4 GB driver on 1,500 customers, and every boosting iteration would ship that plan
   * to each task. The cut-offs are built {@link Concurrently}: each one's plan is dozens of small jobs whose
   * cost is mostly driver-side (planning, code generation, the BG/NBD fit), which a second thread
   * overlaps with the other's tasks.
   */
  static Map<LocalDate, Dataset<Row>> snapshots(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> cutoffs,
      ChurnConfig config) {
    List<Dataset<Row>> built = Concurrently.map(cutoffs,
        cutoff -> snapshot(inputs, closures, cutoff, config).localCheckpoint(),
        cutoff -> "build the churn snapshot of " + cutoff);
    Map<LocalDate, Dataset<Row>> out = new LinkedHashMap<>();
    for (int i = 0; i < cutoffs.size(); i++) {
      out.put(cutoffs.get(i), built.get(i));
    }
    return out;
  }

  /** The rows of some of the snapshots, as one frame. */
  static Dataset<Row> union(Map<LocalDate, Dataset<Row>> snapshots, List<LocalDate> cutoffs) {
    Dataset<Row> rows = cutoffs.stream().map(snapshots::get).reduce(Dataset::unionByName).orElseThrow(
        () -> new IllegalArgumentException("Cannot build churn training rows: no cut-offs ([])"));
    // One partition per core, not one or more per snapshot: every optimiser iteration and boosting
    // level is a Spark job with a task per partition, and merging partitions needs no shuffle.
    return rows.coalesce(rows.sparkSession().sparkContext().defaultParallelism());
  }
}
