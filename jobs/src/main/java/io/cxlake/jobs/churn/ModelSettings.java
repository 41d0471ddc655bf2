package io.cxlake.jobs.churn;

import io.cxlake.common.config.CxConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How churn models are trained, compared and calibrated; shared by the event-based training and
 * the featurized-file path.
 *
 * @param balancedWeights weight churners and non-churners equally ({@code churn.class-weighting})
 * @param selectionMetric metric the candidates are compared on ({@code churn.selection-metric})
 * @param selectionTolerance margin gbt must win by ({@code churn.selection-tolerance})
 * @param calibration calibration method ({@code churn.calibration})
 * @param calibrationBins bins of the calibration table ({@code churn.calibration-bins})
 * @param regParam logistic regularisation strength ({@code churn.logistic.reg-param})
 * @param elasticNet logistic L1 share ({@code churn.logistic.elastic-net})
 * @param logisticMaxIter logistic iterations ({@code churn.logistic.max-iter})
 * @param gbtMaxIter boosting rounds ({@code churn.gbt.max-iter})
 * @param gbtMaxDepth tree depth ({@code churn.gbt.max-depth})
 * @param gbtStepSize learning rate ({@code churn.gbt.step-size})
 * @param gbtSubsamplingRate row share per tree ({@code churn.gbt.subsampling-rate})
 * @param cvFolds folds of the featurized-file cross-validation ({@code churn.cv-folds})
 * @param seed seed of subsampling, folds and cross-fitting ({@code churn.seed})
 */
public record ModelSettings(
    boolean balancedWeights,
    SelectionMetric selectionMetric,
    double selectionTolerance,
    Calibration calibration,
    int calibrationBins,
    double regParam,
    double elasticNet,
    int logisticMaxIter,
    int gbtMaxIter,
    int gbtMaxDepth,
    double gbtStepSize,
    double gbtSubsamplingRate,
    int cvFolds,
    long seed) {

  /** Metric the candidate models are compared on. */
  public enum SelectionMetric {
    AUC_PR,
    AUC_ROC;

    /** Lower-case name as configured and stored. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How raw model probabilities are calibrated. */
  public enum Calibration {
    PLATT,
    ISOTONIC;

    /** Lower-case name as configured and stored. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ModelSettings {
    if (selectionTolerance < 0 || selectionTolerance >= 1) {
      throw new IllegalArgumentException(
          "Cannot configure churn.selection-tolerance: must be in [0, 1) (" + selectionTolerance + ")");
    }
    if (calibrationBins < 2 || calibrationBins > 100) {
      throw new IllegalArgumentException("Cannot configure churn.calibration-bins: must be 2-100 (" + calibrationBins + ")");
    }
    if (regParam < 0) {
      throw new IllegalArgumentException("Cannot configure churn.logistic.reg-param: must be >= 0 (" + regParam + ")");
    }
    if (elasticNet < 0 || elasticNet > 1) {
      throw new IllegalArgumentException("Cannot configure churn.logistic.elastic-net: must be in [0, 1] (" + elasticNet + ")");
    }
    if (logisticMaxIter < 1) {
      throw new IllegalArgumentException("Cannot configure churn.logistic.max-iter: must be positive (" + logisticMaxIter + ")");
    }
    if (gbtMaxIter < 1) {
      throw new IllegalArgumentException("Cannot configure churn.gbt.max-iter: must be positive (" + gbtMaxIter + ")");
    }
    if (gbtMaxDepth < 1 || gbtMaxDepth > 15) {
      throw new IllegalArgumentException("Cannot configure churn.gbt.max-depth: must be 1-15 (" + gbtMaxDepth + ")");
    }
    if (gbtStepSize <= 0 || gbtStepSize > 1) {
      throw new IllegalArgumentException("Cannot configure churn.gbt.step-size: must be in (0, 1] (" + gbtStepSize + ")");
    }
    if (gbtSubsamplingRate <= 0 || gbtSubsamplingRate > 1) {
      throw new IllegalArgumentException(
          "Cannot configure churn.gbt.subsampling-rate: must be in (0, 1] (" + gbtSubsamplingRate + ")");
    }
    if (cvFolds < 2 || cvFolds > 20) {
      throw new IllegalArgumentException("Cannot configure churn.cv-folds: must be 2-20 (" + cvFolds + ")");
    }
  }

  /** Reads the {@code churn.*} model keys. */
  public static ModelSettings from(CxConfig config) {
    String weighting = config.getString("churn.class-weighting");
    if (!weighting.equals("balanced") && !weighting.equals("none")) {
      throw new IllegalArgumentException("Cannot configure churn.class-weighting: expected balanced or none (" + weighting + ")");
    }
    return new ModelSettings(
        weighting.equals("balanced"),
        parse(SelectionMetric.class, "churn.selection-metric", config.getString("churn.selection-metric")),
        config.getDouble("churn.selection-tolerance"),
        parse(Calibration.class, "churn.calibration", config.getString("churn.calibration")),
        config.getInt("churn.calibration-bins"),
        config.getDouble("churn.logistic.reg-param"),
        config.getDouble("churn.logistic.elastic-net"),
        config.getInt("churn.logistic.max-iter"),
        config.getInt("churn.gbt.max-iter"),
        config.getInt("churn.gbt.max-depth"),
        config.getDouble("churn.gbt.step-size"),
        config.getDouble("churn.gbt.subsampling-rate"),
        config.getInt("churn.cv-folds"),
        config.getLong("churn.seed"));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : " or ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException("Cannot configure " + key + ": expected " + allowed + " (" + value + ")", e);
    }
  }

  /** The hyper-parameters of one candidate, as stored in churn_model_metrics.params. */
  public Map<String, String> params(Candidate candidate) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("class_weighting", balancedWeights ? "balanced" : "none");
    if (candidate == Candidate.LOGISTIC_REGRESSION) {
      p.put("reg_param", String.valueOf(regParam));
      p.put("elastic_net", String.valueOf(elasticNet));
      p.put("max_iter", String.valueOf(logisticMaxIter));
      p.put("standardization", "StandardScaler(withMean, withStd)");
    } else {
      p.put("max_iter", String.valueOf(gbtMaxIter));
      p.put("max_depth", String.valueOf(gbtMaxDepth));
      p.put("step_size", String.valueOf(gbtStepSize));
      p.put("subsampling_rate", String.valueOf(gbtSubsamplingRate));
      p.put("seed", String.valueOf(seed));
    }
    return p;
  }
}
