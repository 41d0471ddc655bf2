package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Point-in-time training rows: at each cut-off, the shared customer features computed only from
 * data before it (the customer_360 logic), the population rules, and the label from the horizon
 * after it. One customer appears once per cut-off it is active at.
 */
public final class TrainingSet {
  private TrainingSet() {}

  /**
   * The labelled rows of one cut-off: model inputs of the customers in the population (reason
   * null), {@link ChurnFeatures#LABEL} and {@link ChurnFeatures#CUTOFF_DATE}.
   *
   * @param clv the clv_predictions rows usable at this cut-off (see {@link ClvSnapshots}), or empty
   */
  public static Dataset<Row> snapshot(FeatureInputs inputs, Dataset<Row> clv, Dataset<Row> closures,
      LocalDate cutoffDate, ChurnConfig config) {
    AsOf cutoff = new AsOf(cutoffDate);
    Dataset<Row> features = CustomerFeatures.compute(inputs, cutoff, config.features());
    Dataset<Row> population = ChurnFeatures.modelInputs(features, clv, closures, cutoff, config)
        .filter(col(ChurnFeatures.REASON).isNull());
    return ChurnLabels.attach(population, inputs.transactions(), closures, cutoff, config.horizonDays())
        .withColumn(ChurnFeatures.CUTOFF_DATE, cutoff.dateLit());
  }

  /**
   * The union of the snapshots of several cut-offs, each materialised on its own (local
   * checkpoint): one plan holding the feature logic of every cut-off runs all their broadcast joins
   * in one job, which exhausted a 4 GB driver on 1,500 customers, and every boosting iteration
   * would ship that plan to each task.
   */
  static Dataset<Row> snapshots(FeatureInputs inputs, ClvSnapshots clv, Dataset<Row> closures,
      List<LocalDate> cutoffs, ChurnConfig config) {
    Dataset<Row> all = null;
    for (LocalDate cutoff : cutoffs) {
      Dataset<Row> one = snapshot(inputs, clv.at(cutoff, config.clvMaxAgeDays()), closures, cutoff, config)
          .localCheckpoint();
      all = all == null ? one : all.unionByName(one);
    }
    return all;
  }
}
