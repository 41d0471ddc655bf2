package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.spark.Concurrently;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.common.time.PointInTime;
import io.cxlake.jobs.clv.PurchaseForecast;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
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
    return labelled(inputs, closures, List.of(cutoffDate), config, false);
  }

  /**
   * The labelled rows of several cut-offs, computed in one plan: the customer features of every
   * cut-off in one pass over each source ({@code CustomerFeatures.compute} at the cut-offs), with a
   * plan per cut-off only for the BG/NBD fit, which is its own driver-side fit anyway.
   */
  private static Dataset<Row> labelled(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> dates,
      ChurnConfig config, boolean concurrentFits) {
    SparkSession spark = inputs.transactions().sparkSession();
    Dataset<Row> cutoffs = Cutoffs.frame(spark, dates);
    Dataset<Row> features = CustomerFeatures.compute(inputs, dates, config.features());
    // Each fit's rows are materialised in its own thread (a few columns per customer), so its
    // summary pass runs beside the other fits rather than inside the one plan. Sequential when the
    // plans themselves run concurrently: two threads in all, as Concurrently intends.
    Function<LocalDate, Dataset<Row>> fit = date ->
        PurchaseForecast.at(spark, inputs.transactions(), config.clv(), new AsOf(date), config.horizonDays())
            .withColumn(ChurnFeatures.CUTOFF_DATE, new AsOf(date).dateLit()).localCheckpoint();
    List<Dataset<Row>> fits = concurrentFits
        ? Concurrently.map(dates, fit, date -> "fit BG/NBD at the churn cut-off " + date)
        : dates.stream().map(fit).toList();
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
   * Customer-cut-off rows computed in one plan at most. One plan for every cut-off costs the driver
   * one cut-off's few dozen stages instead of each one's, which is most of the time on a small base;
   * but its per-source frames grow with the cut-offs until they are no longer broadcast, and the
   * sort-merge joins and aggregates of one stage then need more execution memory than a task has
   * (200,000 customers at nine cut-offs failed with a 4 GB driver; one cut-off a plan did not).
   */
  static final long ROWS_PER_PLAN = 250_000;

  /**
   * The labelled rows of every cut-off, materialised once (local checkpoints): every optimiser
   * iteration and boosting level reads them, and must not replan the features. The rows of some
   * cut-offs are one filter of them, so an iteration scans the materialised rows once, not once per cut-off.
   */
  record Snapshots(Dataset<Row> all, Set<LocalDate> dates) {
    /** The rows of some of the cut-offs, one partition per core. */
    Dataset<Row> of(List<LocalDate> cutoffs) {
      if (cutoffs.isEmpty()) {
        throw new IllegalArgumentException("Cannot build churn training rows: no cut-offs ([])");
      }
      List<LocalDate> missing = cutoffs.stream().filter(d -> !dates.contains(d)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("Cannot build churn training rows: cut-offs without a snapshot (" + missing
            + ")");
      }
      Dataset<Row> rows = all.filter(col(ChurnFeatures.CUTOFF_DATE)
          .isin(cutoffs.stream().map(java.sql.Date::valueOf).toArray()));
      // Every optimiser iteration and boosting level is a Spark job with a task per partition;
      // merging the partitions of several plans' checkpoints needs no shuffle.
      return rows.coalesce(rows.sparkSession().sparkContext().defaultParallelism());
    }

    /** The rows of one cut-off. */
    Dataset<Row> of(LocalDate cutoff) {
      return of(List.of(cutoff));
    }
  }

  /**
   * The snapshots of several cut-offs, as many cut-offs to a plan as {@link #ROWS_PER_PLAN} allows
   * for the customers known today (an upper bound of each cut-off's base), the plans built
   * {@link Concurrently}. Each plan's rows are checkpointed in one partition per core, by customer,
   * so each task holds an equal share of each cut-off, and sorted: GBT's row subsampling follows the
   * rows' order, which a shuffle alone leaves to the order its blocks arrive in (a rerun would differ).
   */
  static Snapshots snapshots(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> cutoffs,
      ChurnConfig config) {
    return snapshots(inputs, closures, cutoffs, config, ROWS_PER_PLAN);
  }

  static Snapshots snapshots(FeatureInputs inputs, Dataset<Row> closures, List<LocalDate> cutoffs,
      ChurnConfig config, long rowsPerPlan) {
    // A date listed twice would be computed twice, and its rows returned twice.
    List<LocalDate> dates = cutoffs.stream().distinct().toList();
    if (dates.isEmpty()) {
      throw new IllegalArgumentException("Cannot build churn snapshots: no cut-offs ([])");
    }
    // An estimate (within a few per cent) is enough to size the plans, and needs no shuffle.
    long customers = inputs.customers().select(col(Customers.CUSTOMER_ID).as(ChurnFeatures.CUSTOMER_ID))
        .union(inputs.transactions().select(col(Transactions.CUSTOMER_ID)))
        .agg(approx_count_distinct(ChurnFeatures.CUSTOMER_ID)).first().getLong(0);
    int perPlan = (int) Math.max(1, Math.min(dates.size(), rowsPerPlan / Math.max(1, customers)));
    List<List<LocalDate>> plans = new ArrayList<>();
    for (int i = 0; i < dates.size(); i += perPlan) {
      plans.add(dates.subList(i, Math.min(dates.size(), i + perPlan)));
    }
    int partitions = inputs.transactions().sparkSession().sparkContext().defaultParallelism();
    boolean fitsConcurrently = plans.size() == 1;
    List<Dataset<Row>> built = Concurrently.map(plans,
        plan -> labelled(inputs, closures, plan, config, fitsConcurrently)
            .repartition(partitions, col(ChurnFeatures.CUSTOMER_ID))
            .sortWithinPartitions(ChurnFeatures.CUTOFF_DATE, ChurnFeatures.CUSTOMER_ID).localCheckpoint(),
        plan -> "build the churn snapshots of " + plan);
    return new Snapshots(built.stream().reduce(Dataset::unionByName).orElseThrow(), Set.copyOf(dates));
  }
}
