package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.spark.Concurrently;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.common.time.PointInTime;
import io.cxlake.jobs.clv.PurchaseForecast;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
    return labelled(inputs, closures, List.of(cutoffDate), config);
  }

  /**
   * The labelled rows of several cut-offs, computed in one plan: the customer features of every
   * cut-off in one pass over each source ({@code CustomerFeatures.compute} at the cut-offs), with a
   * plan per cut-off only for the BG/NBD fit, which is its own driver-side fit anyway.
   */
  private static Dataset<Row> labelled(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> dates,
      ChurnConfig config) {
    SparkSession spark = inputs.transactions().sparkSession();
    Dataset<Row> cutoffs = Cutoffs.frame(spark, dates);
    Dataset<Row> features = CustomerFeatures.compute(inputs, cutoffs, config.features());
    // Materialised, each a few columns per customer: a lazy BG/NBD plan per cut-off inside the one
    // plan would repeat every cut-off's summary pass whenever the snapshots are read.
    List<Dataset<Row>> fits = Concurrently.map(dates,
        date -> PurchaseForecast.at(spark, inputs.transactions(), config.clv(), new AsOf(date), config.horizonDays())
            .withColumn(ChurnFeatures.CUTOFF_DATE, new AsOf(date).dateLit()).localCheckpoint(),
        date -> "fit BG/NBD at the churn cut-off " + date);
    Dataset<Row> btyd = fits.stream().reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> population = ChurnFeatures.modelInputs(features, btyd, closures, cutoffs, config)
        .filter(col(ChurnFeatures.REASON).isNull());
    Dataset<Row> rows = ChurnLabels.attach(population, PointInTime.current(inputs.transactions()), closures, cutoffs,
        config.horizonDays());
    List<Column> ordered = new ArrayList<>();
    for (String c : population.columns()) {
      if (!c.equals(ChurnFeatures.CUTOFF_DATE)) {
        ordered.add(col(c));
      }
    }
    ordered.add(col(ChurnFeatures.LABEL));
    ordered.add(col(ChurnFeatures.CUTOFF_DATE));
    return rows.select(ordered.toArray(Column[]::new));
  }

  /**
   * The labelled rows of every cut-off, materialised once (local checkpoint): every optimiser
   * iteration and boosting level reads them, and must not replan the features. The rows of some
   * cut-offs are one filter of them, so an iteration scans the materialised rows once, not once per cut-off.
   */
  record Snapshots(Dataset<Row> all) {
    /** The rows of some of the cut-offs. */
    Dataset<Row> of(List<LocalDate> cutoffs) {
      if (cutoffs.isEmpty()) {
        throw new IllegalArgumentException("Cannot build churn training rows: no cut-offs ([])");
      }
      return all.filter(col(ChurnFeatures.CUTOFF_DATE).isin(cutoffs.stream().map(java.sql.Date::valueOf).toArray()));
    }

    /** The rows of one cut-off. */
    Dataset<Row> of(LocalDate cutoff) {
      return of(List.of(cutoff));
    }
  }

  /**
   * The snapshots of several cut-offs, built in one plan and materialised once, in one partition
   * per core: every optimiser iteration and boosting level is a Spark job with a task per partition,
   * and dealing the rows round-robin gives every cut-off's rows to every task in equal shares.
   */
  static Snapshots snapshots(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> cutoffs,
      ChurnConfig config) {
    Dataset<Row> rows = labelled(inputs, closures, cutoffs, config);
    return new Snapshots(rows.repartition(rows.sparkSession().sparkContext().defaultParallelism()).localCheckpoint());
  }
}
