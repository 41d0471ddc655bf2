package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.jobs.churn.Trainer.ClassCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code churn-train} job on the warehouse's events: point-in-time training snapshots at
 * past cut-offs (the customer_360 features before each, the label from the horizon after it),
 * logistic regression and gradient-boosted trees fitted on the earlier cut-offs and evaluated on
 * the latest one (against a recency-only baseline), calibrated there, the better one chosen; every
 * candidate is saved as model version {@code <as-of>} and evaluated in churn_model_metrics.
 */
public final class ChurnTrainJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "churn-train";

  private ChurnTrainJob() {}

  /** Trains without overriding the promotion gate. */
  public static RunStats run(SparkSession spark, ChurnConfig config) {
    return run(spark, config, false);
  }

  /**
   * Builds the snapshots, trains, evaluates, refits the chosen model, passes it through the
   * promotion gate, saves the version and writes the metrics.
   *
   * @param forcePromote make the version the champion even if the gate refuses it
   */
  public static RunStats run(SparkSession spark, ChurnConfig config, boolean forcePromote) {
    return run(spark, config, forcePromote, UnaryOperator.identity());
  }

  /**
   * The run with the training and refit labels passed through {@code trainingLabels} (tests
   * degrade them to show that the gate refuses the result); the validation labels are never touched.
   */
  static RunStats run(SparkSession spark, ChurnConfig config, boolean forcePromote,
      UnaryOperator<Dataset<Row>> trainingLabels) {
    // A dozen cut-offs read the same sources: cached once rather than scanned from Delta per cut-off.
    FeatureInputs inputs = ChurnInputs.read(spark, config.catalog(), config.asOf(), "train the churn model").persist();
    try {
      return train(spark, config, forcePromote, trainingLabels, inputs);
    } finally {
      inputs.unpersist();
    }
  }

  private static RunStats train(SparkSession spark, ChurnConfig config, boolean forcePromote,
      UnaryOperator<Dataset<Row>> trainingLabels, FeatureInputs inputs) {
    TableCatalog catalog = config.catalog();
    Instant trainedAt = Instant.now();
    // Labels, closures and outcomes read what the sources say today; the features, the version in
    // effect at each cut-off.
    Dataset<Row> closures = ChurnLabels.closures(inputs.current().tickets(), config.closureTicketTopics());
    List<LocalDate> trainCutoffs = config.trainingCutoffs();
    LocalDate validationCutoff = config.validationCutoff();
    ModelSettings settings = config.model();

    long started = System.nanoTime();
    List<LocalDate> refitCutoffs = config.refitCutoffs();
    Progress.of(NAME).phase("point-in-time snapshots at " + trainCutoffs.size() + " training cut-offs, the validation "
        + "cut-off " + validationCutoff + " and the refit cut-offs " + refitCutoffs);
    // Each cut-off once: the training and refit windows overlap, and the validation one is in both.
    TrainingSet.Snapshots snapshots = TrainingSet.snapshots(inputs, closures,
        Stream.of(trainCutoffs, List.of(validationCutoff), refitCutoffs).flatMap(List::stream).distinct().toList(),
        config);
    Dataset<Row> train = trainingLabels.apply(snapshots.of(trainCutoffs));
    // Two halves by customer for the cross-fitted calibration metrics and the refit's calibration.
    Column fold = pmod(xxhash64(col(ChurnFeatures.CUSTOMER_ID), lit(settings.seed())), lit(2L)).cast("int");
    Dataset<Row> validation = snapshots.of(validationCutoff).withColumn(Trainer.FOLD, fold);
    String snapshotSeconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9);
    String window = "the training snapshots " + trainCutoffs.get(0) + " to " + trainCutoffs.get(trainCutoffs.size() - 1);
    ClassCounts trainCounts = requireBothClasses(Trainer.counts(train), window);
    ClassCounts validationCounts = requireBothClasses(Trainer.counts(validation),
        "the validation snapshot " + validationCutoff);

    ModelStore.EventSnapshots events = new ModelStore.EventSnapshots(config.horizonDays(), trainCutoffs,
        validationCutoff, config.activeWindowDays(), config.minHistoryDays());
    String modelsPath = catalog.modelsPath(ChurnConfig.MODELS_KIND);
    ChurnTraining.Run run = new ChurnTraining.Run(modelsPath, config.version(),
        config.asOf().date(), ChurnModelMetrics.DATASET_EVENTS, Optional.of(events), settings, ChurnFeatures.NUMERIC,
        ChurnFeatures.CATEGORICAL, trainedAt);
    // The window the served model was fitted on: the refit cut-offs, or the training ones.
    Dataset<Row> servedWindow = refitCutoffs.isEmpty() ? train
        : trainingLabels.apply(snapshots.of(refitCutoffs));
    ChurnTraining.Finishing finishing = new ChurnTraining.Finishing(refitCutoffs,
        chosen -> Trainer.refit(chosen, settings, ChurnFeatures.NUMERIC, ChurnFeatures.CATEGORICAL,
            servedWindow.withColumn(Trainer.FOLD, fold)),
        chosen -> Promotion.decide(spark, modelsPath, config.asOf().date(), validation, chosen,
            config.promotionTolerance(), forcePromote),
        served -> Drift.reference(served.transform(servedWindow), ChurnFeatures.NUMERIC, ChurnFeatures.CATEGORICAL));
    ChurnTraining.Result result = ChurnTraining.train(spark, run, ChurnTraining.Strategy.timeSplit(
        Trainer.weighted(train, trainCounts, settings.balancedWeights()), trainCounts, validation, validationCounts,
        validationCutoff), finishing);
    MetricsRows.write(spark, catalog, config.asOf().date(), run.dataset(), result.metricRows());
    Optional<Long> backtested = backtest(spark, config, inputs, closures);

    Map<String, String> details = new LinkedHashMap<>();
    details.put("seconds.snapshots", snapshotSeconds);
    details.putAll(result.details());
    details.put("train_rows", String.valueOf(trainCounts.rows()));
    details.put("validation_rows", String.valueOf(validationCounts.rows()));
    details.put("backtest_scoring_dates", backtested.map(String::valueOf).orElse("no churn_scores yet"));
    return new RunStats(trainCounts.rows() + validationCounts.rows(), result.metricRows().size(), 0, details)
        .withFinding(result.finding());
  }

  /**
   * Writes the churn_backtest partition of the as-of date: every churn_scores date of the lookback
   * whose horizon has closed, against the churn that followed. Returns the dates evaluated, or
   * empty when nothing was ever scored.
   */
  private static Optional<Long> backtest(SparkSession spark, ChurnConfig config, FeatureInputs inputs,
      Dataset<Row> closures) {
    String scores = config.catalog().path(ChurnScores.TABLE);
    if (!DeltaIO.exists(spark, scores)) {
      return Optional.empty();
    }
    Progress.of(NAME).phase("backtesting the scores of the last " + config.backtestDays() + " days");
    Dataset<Row> outcomes = Backtest.outcomes(DeltaIO.read(spark, scores), inputs.current().transactions(), closures,
        config.asOf().date(), config.backtestDays()).persist(StorageLevel.MEMORY_AND_DISK());
    String path = config.catalog().path(ChurnBacktest.TABLE);
    try {
      DeltaIO.replacePartition(spark, Backtest.metrics(outcomes, config.asOf().date()), ChurnBacktest.TABLE, path,
          ChurnBacktest.AS_OF_DATE, config.asOf().date());
    } finally {
      outcomes.unpersist();
    }
    return Optional.of(DeltaIO.lastCommitMetric(spark, path, "numOutputRows"));
  }

  private static ClassCounts requireBothClasses(ClassCounts counts, String what) {
    if (counts.rows() == 0) {
      throw new IllegalStateException("Cannot train churn model: " + what + " have no active customers; train with a "
          + "later --as-of or fewer churn.training-snapshots (0 rows)");
    }
    if (counts.positives() == 0 || counts.positives() == counts.rows()) {
      throw new IllegalStateException("Cannot train churn model: " + what + " have only "
          + (counts.positives() == 0 ? "retained customers" : "churners") + ", a classifier needs both ("
          + counts.positives() + " churners of " + counts.rows() + " rows)");
    }
    return counts;
  }
}
