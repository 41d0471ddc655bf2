package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.Customer360;
import io.cxlake.jobs.churn.Trainer.ClassCounts;
import io.cxlake.jobs.churn.Trainer.Evaluation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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

  /** Builds the snapshots, trains, evaluates, saves the models and writes the metrics. */
  public static RunStats run(SparkSession spark, ChurnConfig config) {
    TableCatalog catalog = config.catalog();
    Instant trainedAt = Instant.now();
    FeatureInputs inputs = ChurnInputs.read(spark, catalog, config.asOf(), "train the churn model");
    Dataset<Row> closures = ChurnLabels.closures(inputs.tickets(), config.closureTicketTopics());
    ClvSnapshots clv = ClvSnapshots.read(spark, catalog);
    List<LocalDate> trainCutoffs = config.trainingCutoffs();
    LocalDate validationCutoff = config.validationCutoff();
    ModelSettings settings = config.model();

    long started = System.nanoTime();
    Dataset<Row> train = TrainingSet.snapshots(inputs, clv, closures, trainCutoffs, config);
    // Two halves of the validation snapshot for the cross-fitted calibration metrics.
    Dataset<Row> validation = TrainingSet.snapshot(inputs, clv.at(validationCutoff, config.clvMaxAgeDays()), closures,
            validationCutoff, config)
        .withColumn(Trainer.FOLD, pmod(xxhash64(col(ChurnFeatures.CUSTOMER_ID), lit(settings.seed())), lit(2L)).cast("int"))
        .localCheckpoint();
    long snapshotted = System.nanoTime();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("seconds.snapshots", seconds(started, snapshotted));
    String window = "the training snapshots " + trainCutoffs.get(0) + " to " + trainCutoffs.get(trainCutoffs.size() - 1);
    ClassCounts trainCounts = requireBothClasses(Trainer.counts(train), window);
    ClassCounts validationCounts = requireBothClasses(Trainer.counts(validation),
        "the validation snapshot " + validationCutoff);
    Dataset<Row> weightedTrain = Trainer.weighted(train, trainCounts, settings.balancedWeights());

    Map<Candidate, Evaluation> evaluations = new EnumMap<>(Candidate.class);
    for (Candidate c : Candidate.values()) {
      long t0 = System.nanoTime();
      evaluations.put(c, Trainer.timeSplit(c, settings, ChurnFeatures.NUMERIC, ChurnFeatures.CATEGORICAL,
          weightedTrain, validation));
      details.put("seconds.fit_evaluate." + c.label(), seconds(t0, System.nanoTime()));
    }
    Map.Entry<Candidate, String> choice = Trainer.choose(settings, evaluations, "validation " + validationCutoff);
    Candidate chosen = choice.getKey();

    String modelsPath = catalog.modelsPath(ChurnConfig.MODELS_KIND);
    String version = config.version();
    Map<Candidate, PipelineModel> models = new EnumMap<>(Candidate.class);
    evaluations.forEach((c, e) -> models.put(c, e.calibrated()));
    List<String> inputsUsed = new ArrayList<>(ChurnFeatures.NUMERIC);
    inputsUsed.addAll(ChurnFeatures.CATEGORICAL);
    List<String> featureNames = ChurnPipelines.featureNames(
        evaluations.get(chosen).calibrated().transform(validation).schema());
    boolean clvFeatures = trainCutoffs.stream().anyMatch(d -> clv.dateFor(d, config.clvMaxAgeDays()).isPresent());
    ModelStore.save(spark, modelsPath, new ModelStore.Metadata(version, config.asOf().date(),
        ChurnModelMetrics.DATASET_EVENTS, trainedAt, config.horizonDays(), trainCutoffs, validationCutoff,
        chosen.label(), settings.selectionMetric().label(), choice.getValue(), settings.calibration().label(),
        ChurnFeatures.NUMERIC, ChurnFeatures.CATEGORICAL, featureNames, config.activeWindowDays(),
        config.minHistoryDays(), clvFeatures, spark.version()), models);

    Map<String, Object> common = MetricsRows.common(config.asOf().date(), ChurnModelMetrics.DATASET_EVENTS, version,
        ChurnModelMetrics.EVALUATION_TIME_SPLIT, settings, trainedAt);
    common.put(ChurnModelMetrics.HORIZON_DAYS, config.horizonDays());
    common.put(ChurnModelMetrics.TRAIN_CUTOFFS, trainCutoffs.stream().map(java.sql.Date::valueOf).toList());
    common.put(ChurnModelMetrics.VALIDATION_CUTOFF, java.sql.Date.valueOf(validationCutoff));
    common.put(ChurnModelMetrics.TRAIN_ROWS, trainCounts.rows());
    common.put(ChurnModelMetrics.TRAIN_POSITIVE_RATE, trainCounts.positiveRate());
    List<Row> rows = new ArrayList<>();
    for (Evaluation e : evaluations.values()) {
      rows.add(MetricsRows.candidate(common, e, e.candidate() == chosen, choice.getValue(), settings, inputsUsed,
          ModelStore.modelPath(modelsPath, version, e.candidate())));
    }
    Map<String, Object> baseline = recencyBaseline(validation, validationCounts);
    baseline.putAll(common);
    baseline.put(ChurnModelMetrics.MODEL, ChurnModelMetrics.MODEL_RECENCY_BASELINE);
    baseline.put(ChurnModelMetrics.CHOSEN, false);
    baseline.put(ChurnModelMetrics.SELECTION_REASON, choice.getValue());
    baseline.put(ChurnModelMetrics.FEATURES, List.of(Customer360.RECENCY_DAYS));
    rows.add(MetricsRows.row(baseline));

    DeltaIO.replaceWhere(spark, spark.createDataFrame(rows, ChurnModelMetrics.TABLE.schema()), ChurnModelMetrics.TABLE,
        catalog.path(ChurnModelMetrics.TABLE), ChurnModelMetrics.AS_OF_DATE + " = DATE'" + config.asOf().date()
            + "' AND " + ChurnModelMetrics.DATASET + " = '" + ChurnModelMetrics.DATASET_EVENTS + "'");

    details.put("model_version", version);
    details.put("chosen_model", chosen.label());
    details.put("train_rows", String.valueOf(trainCounts.rows()));
    details.put("validation_rows", String.valueOf(validationCounts.rows()));
    evaluations.forEach((c, e) -> {
      details.put("auc_roc." + c.label(), format(e.aucRoc()));
      details.put("auc_pr." + c.label(), format(e.aucPr()));
    });
    details.put("auc_roc." + ChurnModelMetrics.MODEL_RECENCY_BASELINE,
        format((double) baseline.get(ChurnModelMetrics.AUC_ROC)));
    return new RunStats(trainCounts.rows() + validationCounts.rows(), rows.size(), 0, details);
  }

  /** The recency-only baseline on the validation snapshot: days since the last purchase as the score. */
  private static Map<String, Object> recencyBaseline(Dataset<Row> validation, ClassCounts counts) {
    Dataset<Row> scored = validation.withColumn(Trainer.SCORE, col(Customer360.RECENCY_DAYS));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put(ChurnModelMetrics.VALIDATION_ROWS, counts.rows());
    v.put(ChurnModelMetrics.POSITIVE_RATE, counts.positiveRate());
    v.put(ChurnModelMetrics.AUC_ROC, ChurnMetrics.aucRoc(scored, Trainer.SCORE));
    v.put(ChurnModelMetrics.AUC_PR, ChurnMetrics.aucPr(scored, Trainer.SCORE));
    v.put(ChurnModelMetrics.LIFT, ChurnMetrics.liftTable(scored, Trainer.SCORE));
    return v;
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

  private static String seconds(long fromNanos, long toNanos) {
    return String.format(Locale.ROOT, "%.1f", (toNanos - fromNanos) / 1e9);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
