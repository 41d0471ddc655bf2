package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.runlog.Progress;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.TableSpec.RowBuilder;
import io.cxlake.jobs.churn.Trainer.ClassCounts;
import io.cxlake.jobs.churn.Trainer.Evaluation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one churn training action of both training paths: every candidate evaluated by a
 * {@link Strategy} (a later snapshot, or stratified k-fold), the choice between them, the
 * self-contained calibrated models and their metadata saved as one version, and the
 * churn_model_metrics rows of the run. The job shells only read the data and write the rows.
 */
final class ChurnTraining {
  private ChurnTraining() {}

  /** Fits, evaluates and calibrates one candidate. */
  @FunctionalInterface
  interface Evaluator {
    Evaluation evaluate(Candidate candidate, ModelSettings settings, List<String> numeric, List<String> categorical);
  }

  /**
   * How the candidates are evaluated honestly.
   *
   * @param evaluation the churn_model_metrics.evaluation value
   * @param evaluatedOn what the selection numbers are, in words ("validation 2026-08-24")
   * @param trainCounts rows and churners the models were fitted on
   * @param schemaSource a frame with the model inputs, whose schema names the assembled features
   * @param baselines single-score rankings of the same held-out rows, if they are one snapshot: what
   *     a model must beat to be worth its keep
   */
  record Strategy(String evaluation, String evaluatedOn, ClassCounts trainCounts, Dataset<Row> schemaSource,
      Evaluator evaluator, List<Baseline> baselines) {
    Strategy {
      baselines = List.copyOf(baselines);
    }

    /**
     * Fitted on the (weighted) training snapshots, evaluated and calibrated on the later validation
     * snapshot, which carries {@link Trainer#FOLD} in {0, 1} for the cross-fitted calibration metrics.
     */
    static Strategy timeSplit(Dataset<Row> weightedTrain, ClassCounts trainCounts, Dataset<Row> validation,
        ClassCounts validationCounts, LocalDate validationCutoff) {
      // Longer since the last purchase, and fewer purchases expected by BG/NBD, mean more risk.
      List<Baseline> baselines = List.of(
          Baseline.of(ChurnModelMetrics.MODEL_RECENCY_BASELINE, col(Customer360.RECENCY_DAYS),
              Customer360.RECENCY_DAYS, validation, validationCounts),
          Baseline.of(ChurnModelMetrics.MODEL_BGNBD_BASELINE, col(ChurnFeatures.BTYD_EXPECTED_PURCHASES).multiply(-1),
              ChurnFeatures.BTYD_EXPECTED_PURCHASES, validation, validationCounts));
      return new Strategy(ChurnModelMetrics.EVALUATION_TIME_SPLIT, "validation " + validationCutoff, trainCounts,
          validation, (c, s, numeric, categorical) -> Trainer.timeSplit(c, s, numeric, categorical, weightedTrain,
              validation), baselines);
    }

    /**
     * Stratified k-fold cross-validation on data carrying {@link Trainer#FOLD} in 0..folds-1; the
     * saved model is refitted on every row and calibrated on the out-of-fold predictions.
     *
     * @param impute numeric columns with blanks, imputed with the training median
     */
    static Strategy kFold(Dataset<Row> data, ClassCounts counts, List<String> impute, int folds) {
      return new Strategy(ChurnModelMetrics.EVALUATION_CV, folds + "-fold cross-validation mean", counts, data,
          (c, s, numeric, categorical) -> Trainer.crossValidated(c, s, numeric, categorical, impute, data, folds),
          List.of());
    }
  }

  /**
   * What happens to the chosen model before it is saved.
   *
   * @param refitCutoffs the cut-offs the chosen model is refitted on; empty: saved as evaluated
   * @param refit refits and calibrates the chosen candidate (called only with refit cut-offs)
   * @param gate the promotion decision on the chosen candidate's evaluation
   * @param reference the drift reference of the served model over its training window (empty: none)
   */
  record Finishing(List<LocalDate> refitCutoffs, Function<Candidate, PipelineModel> refit,
      Function<Evaluation, Promotion.Decision> gate, Function<PipelineModel, List<Drift.Reference>> reference) {
    Finishing {
      refitCutoffs = List.copyOf(refitCutoffs);
    }

    /** For models churn-score never serves: no refit, no comparison. */
    static Finishing notServed(String why) {
      return new Finishing(List.of(), c -> {
        throw new IllegalStateException("Cannot refit: no refit cut-offs (" + c.label() + ")");
      }, e -> Promotion.Decision.notServed(why), m -> List.of());
    }
  }

  /** One input column used alone as the score, evaluated like a model (churn_model_metrics row {@code model}). */
  record Baseline(String model, ChurnMetrics.Ranking ranking, String feature) {
    static Baseline of(String model, Column score, String feature, Dataset<Row> heldOut, ClassCounts counts) {
      return new Baseline(model, ChurnMetrics.ranking(heldOut.withColumn(Trainer.SCORE, score), Trainer.SCORE,
          counts.rows(), counts.positiveRate()), feature);
    }
  }

  /**
   * One training run.
   *
   * @param modelsPath where the versions of this kind of model live
   * @param version the version this run saves (a rerun replaces it)
   * @param asOf the training as-of date
   * @param dataset what the data is (churn_model_metrics.dataset)
   * @param events the event snapshots it comes from; empty for a featurized file
   * @param numeric numeric model inputs
   * @param categorical categorical model inputs
   */
  record Run(String modelsPath, String version, LocalDate asOf, String dataset,
      Optional<ModelStore.EventSnapshots> events, ModelSettings settings, List<String> numeric, List<String> categorical,
      Instant trainedAt) {
    Run {
      numeric = List.copyOf(numeric);
      categorical = List.copyOf(categorical);
    }

    List<String> inputs() {
      List<String> all = new ArrayList<>(numeric);
      all.addAll(categorical);
      return all;
    }
  }

  /**
   * What a training run produced: the churn_model_metrics rows of the run, and run-log details (the
   * choice, each candidate's AUCs and fit seconds).
   */
  record Result(List<Row> metricRows, Map<String, String> details, String finding) {
    Result {
      metricRows = List.copyOf(metricRows);
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  /** Evaluates every candidate, chooses, saves the version and builds its metrics rows. */
  static Result train(SparkSession spark, Run run, Strategy strategy, Finishing finishing) {
    ModelSettings settings = run.settings();
    Map<String, String> details = new LinkedHashMap<>();
    Map<Candidate, Evaluation> evaluations = new EnumMap<>(Candidate.class);
    Progress progress = Progress.of(ChurnTrainJob.NAME);
    for (Candidate c : Candidate.values()) {
      progress.phase("fitting and evaluating " + c.label() + " (" + strategy.evaluation() + ")");
      long started = System.nanoTime();
      evaluations.put(c, strategy.evaluator().evaluate(c, settings, run.numeric(), run.categorical()));
      details.put("seconds.fit_evaluate." + c.label(),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }
    Map.Entry<Candidate, String> choice = Trainer.choose(settings, evaluations, strategy.evaluatedOn());
    Candidate chosen = choice.getKey();

    Map<Candidate, PipelineModel> models = new EnumMap<>(Candidate.class);
    evaluations.forEach((c, e) -> models.put(c, e.calibrated()));
    if (!finishing.refitCutoffs().isEmpty()) {
      progress.phase("refitting " + chosen.label() + " on the snapshots " + finishing.refitCutoffs());
      long started = System.nanoTime();
      models.put(chosen, finishing.refit().apply(chosen));
      details.put("seconds.refit", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }
    Promotion.Decision decision = finishing.gate().apply(evaluations.get(chosen));
    List<String> featureNames = ChurnPipelines.featureNames(
        evaluations.get(chosen).calibrated().transform(strategy.schemaSource()).schema());
    progress.phase("saving model version " + run.version() + " (chose " + chosen.label() + ")");
    ModelStore.save(spark, run.modelsPath(), new ModelStore.Metadata(run.version(), run.asOf(), run.dataset(),
        run.events(), run.trainedAt(), chosen, settings.selectionMetric(), choice.getValue(), settings.calibration(),
        run.numeric(), run.categorical(), featureNames, spark.version(), finishing.refitCutoffs(),
        decision.promoted(), decision.reason()), models, finishing.reference().apply(models.get(chosen)));

    RowBuilder common = MetricsRows.common(run.asOf(), run.dataset(), run.events(), run.version(),
        strategy.evaluation(),
        settings, run.trainedAt(), choice.getValue(), strategy.trainCounts().rows(),
        strategy.trainCounts().positiveRate());
    MetricsRows.finishing(common, finishing.refitCutoffs(), decision);
    List<Row> rows = new ArrayList<>();
    for (Evaluation e : evaluations.values()) {
      rows.add(MetricsRows.candidate(common, e, e.candidate() == chosen, settings, run.inputs(),
          ModelStore.modelPath(run.modelsPath(), run.version(), e.candidate())));
    }
    strategy.baselines().forEach(b -> rows.add(MetricsRows.baseline(common, b.model(), b.ranking(),
        List.of(b.feature()))));

    details.put("model_version", run.version());
    details.put("chosen_model", chosen.label());
    details.put("promoted", String.valueOf(decision.promoted()));
    evaluations.forEach((c, e) -> {
      details.put("auc_roc." + c.label(), format(e.aucRoc()));
      details.put("auc_pr." + c.label(), format(e.aucPr()));
    });
    Evaluation best = evaluations.get(chosen);
    String finding = String.format(Locale.ROOT, "chose %s on %s: AUC-PR %.3f, AUC-ROC %.3f", chosen.label(),
        strategy.evaluatedOn(), best.aucPr(), best.aucRoc())
        + strategy.baselines().stream().map(b -> String.format(Locale.ROOT, "; %s AUC-PR %.3f, AUC-ROC %.3f",
            b.model(), b.ranking().aucPr(), b.ranking().aucRoc())).collect(java.util.stream.Collectors.joining())
        + "; " + decision.reason();
    return new Result(rows, details, finding);
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
