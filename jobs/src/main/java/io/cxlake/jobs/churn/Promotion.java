package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.jobs.churn.Trainer.Evaluation;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The promotion gate of event-based churn models: a new version becomes the champion that
 * churn-score serves only if, on the same validation snapshot, it is not worse than the current
 * champion by more than {@code churn.promotion-tolerance} in AUC-PR (ranking the customers to
 * contact) or Brier score (the probabilities a value-at-risk multiplies).
 *
 * <p>The new version's numbers are those of its chosen model fitted on the training cut-offs (the
 * refitted model has seen the validation labels). The champion was trained at an earlier as-of, so
 * its newest refit snapshots may overlap the validation horizon: the comparison can only favour the
 * champion, which makes the gate conservative.
 */
final class Promotion {
  private static final String P = "_champion_p";

  private Promotion() {}

  /**
   * The outcome of the gate.
   *
   * @param promoted whether the new version serves
   * @param reason why, with the numbers compared
   * @param championVersion the champion it was compared with, if any
   * @param championAucPr the champion's AUC-PR on the validation snapshot (null when not compared)
   * @param championBrier the champion's Brier score there (null when not compared)
   */
  record Decision(boolean promoted, String reason, Optional<String> championVersion, Double championAucPr,
      Double championBrier) {
    /** Models that churn-score never serves (a featurized file) pass without a comparison. */
    static Decision notServed(String why) {
      return new Decision(true, why, Optional.empty(), null, null);
    }
  }

  /**
   * Compares the chosen candidate's evaluation with the champion trained before {@code asOf}.
   *
   * @param validation the validation snapshot the candidate was evaluated on, with labels
   * @param force promote even when worse ({@code churn-train --force-promote})
   */
  static Decision decide(SparkSession spark, String modelsPath, LocalDate asOf, Dataset<Row> validation,
      Evaluation challenger, double tolerance, boolean force) {
    Optional<ModelStore.Metadata> found = ModelStore.champion(spark, modelsPath, asOf.minusDays(1));
    if (found.isEmpty()) {
      return new Decision(true, "promoted: no champion trained before " + asOf, Optional.empty(), null, null);
    }
    ModelStore.Metadata champion = found.get();
    Optional<String> version = Optional.of(champion.version());
    PipelineModel model = ModelStore.serving(modelsPath, champion);
    try {
      ChurnProbability.of(model).requireInputs(validation.schema());
    } catch (IllegalArgumentException e) {
      return new Decision(true, "promoted: champion " + champion.version() + " cannot be compared, "
          + e.getMessage(), version, null, null);
    }
    Dataset<Row> scored = model.transform(validation)
        .select(col(ChurnFeatures.LABEL), col(ChurnProbability.OUTPUT).as(P))
        .persist(StorageLevel.MEMORY_AND_DISK());
    double aucPr;
    double brier;
    try {
      aucPr = ChurnMetrics.aucPr(scored, P);
      brier = ChurnMetrics.losses(scored, P).brier();
    } finally {
      scored.unpersist();
    }
    double newAucPr = challenger.aucPr();
    double newBrier = challenger.calibratedLosses().brier();
    String numbers = String.format(Locale.ROOT, "AUC-PR %.4f vs the champion %s's %.4f, Brier %.4f vs %.4f on the "
        + "same validation snapshot (tolerance %.4f)", newAucPr, champion.version(), aucPr, newBrier, brier, tolerance);
    boolean worse = newAucPr < aucPr - tolerance || newBrier > brier + tolerance;
    if (!worse) {
      return new Decision(true, "promoted: not worse than the champion: " + numbers, version, aucPr, brier);
    }
    if (force) {
      return new Decision(true, "promoted by --force-promote although worse than the champion: " + numbers, version,
          aucPr, brier);
    }
    return new Decision(false, "challenger: worse than the champion: " + numbers + "; churn-score keeps serving "
        + champion.version(), version, aucPr, brier);
  }
}
