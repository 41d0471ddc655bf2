package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The churn_model_metrics gold table: one row per candidate model (and the recency and BG/NBD baselines) of
 * every churn training run, with its out-of-time or cross-validated evaluation, so the choice of
 * model and its quality can be read and compared across versions.
 */
public final class ChurnModelMetrics {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String DATASET = "dataset";
  public static final String MODEL_VERSION = "model_version";
  public static final String MODEL = "model";
  public static final String CHOSEN = "chosen";
  public static final String SELECTION_METRIC = "selection_metric";
  public static final String SELECTION_REASON = "selection_reason";
  public static final String EVALUATION = "evaluation";
  public static final String CALIBRATION_METHOD = "calibration_method";
  public static final String HORIZON_DAYS = "horizon_days";
  public static final String TRAIN_CUTOFFS = "train_cutoffs";
  public static final String VALIDATION_CUTOFF = "validation_cutoff";
  public static final String TRAIN_ROWS = "train_rows";
  public static final String VALIDATION_ROWS = "validation_rows";
  public static final String TRAIN_POSITIVE_RATE = "train_positive_rate";
  public static final String POSITIVE_RATE = "positive_rate";
  public static final String AUC_ROC = "auc_roc";
  public static final String AUC_PR = "auc_pr";
  public static final String AUC_ROC_FOLD_STD = "auc_roc_fold_std";
  public static final String LOG_LOSS = "log_loss";
  public static final String BRIER = "brier";
  public static final String LOG_LOSS_UNCALIBRATED = "log_loss_uncalibrated";
  public static final String BRIER_UNCALIBRATED = "brier_uncalibrated";
  public static final String CALIBRATION = "calibration";
  public static final String LIFT = "lift";
  public static final String FEATURES = "features";
  public static final String PARAMS = "params";
  public static final String MODEL_PATH = "model_path";
  public static final String TRAINED_AT = "trained_at";
  public static final String REFIT_CUTOFFS = "refit_cutoffs";
  public static final String PROMOTED = "promoted";
  public static final String PROMOTION_REASON = "promotion_reason";
  public static final String CHAMPION_VERSION = "champion_version";
  public static final String CHAMPION_AUC_PR = "champion_auc_pr";
  public static final String CHAMPION_BRIER = "champion_brier";

  /** Fields of one calibration bin. */
  public static final String BIN = "bin";
  public static final String BIN_LOWER = "lower";
  public static final String BIN_UPPER = "upper";
  public static final String BIN_CUSTOMERS = "customers";
  public static final String BIN_MEAN_PREDICTED = "mean_predicted";
  public static final String BIN_OBSERVED_RATE = "observed_rate";

  /** Fields of one lift decile. */
  public static final String DECILE = "decile";
  public static final String DECILE_CUSTOMERS = "customers";
  public static final String DECILE_CHURNERS = "churners";
  public static final String DECILE_CHURN_RATE = "churn_rate";
  public static final String DECILE_LIFT = "lift";
  public static final String DECILE_CUMULATIVE_SHARE = "cumulative_share_of_churners";
  public static final String DECILE_CUMULATIVE_LIFT = "cumulative_lift";

  public static final String EVALUATION_TIME_SPLIT = "time_split";
  public static final String EVALUATION_CV = "stratified_cv";

  public static final String DATASET_EVENTS = "events";
  public static final String MODEL_RECENCY_BASELINE = "recency_baseline";
  /** Baseline model: BG/NBD's conditional expected purchases in the horizon, fitted at the cut-off. */
  public static final String MODEL_BGNBD_BASELINE = "bgnbd_baseline";

  public static final StructType CALIBRATION_BIN_TYPE = new StructType()
      .add(BIN, DataTypes.IntegerType)
      .add(BIN_LOWER, DataTypes.DoubleType)
      .add(BIN_UPPER, DataTypes.DoubleType)
      .add(BIN_CUSTOMERS, DataTypes.LongType)
      .add(BIN_MEAN_PREDICTED, DataTypes.DoubleType)
      .add(BIN_OBSERVED_RATE, DataTypes.DoubleType);

  public static final StructType LIFT_DECILE_TYPE = new StructType()
      .add(DECILE, DataTypes.IntegerType)
      .add(DECILE_CUSTOMERS, DataTypes.LongType)
      .add(DECILE_CHURNERS, DataTypes.LongType)
      .add(DECILE_CHURN_RATE, DataTypes.DoubleType)
      .add(DECILE_LIFT, DataTypes.DoubleType)
      .add(DECILE_CUMULATIVE_SHARE, DataTypes.DoubleType)
      .add(DECILE_CUMULATIVE_LIFT, DataTypes.DoubleType);

  public static final TableSpec TABLE = new TableSpec(
      "churn_model_metrics",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the training run: no data after the end of this day was used."),
          field(DATASET, DataTypes.StringType,
              "Training data: events (features from the silver sources at past cut-offs) or "
                  + "features_csv:<file> (an already-featurized labelled file)."),
          field(MODEL_VERSION, DataTypes.StringType,
              "Model version the row evaluates; the fitted pipelines are under models/churn/<version> "
                  + "(models/churn_features/<version> for features_csv)."),
          field(MODEL, DataTypes.StringType, "logistic_regression, gbt, recency_baseline (days since last purchase as the score) or bgnbd_baseline (BG/NBD's expected purchases in the horizon, fitted at the cut-off, as the score)."),
          field(CHOSEN, DataTypes.BooleanType, "Whether this model is the one the version scores with."),
          field(SELECTION_METRIC, DataTypes.StringType, "Metric the candidates were compared on: auc_pr or auc_roc (churn.selection-metric)."),
          field(SELECTION_REASON, DataTypes.StringType, "Why the chosen model was chosen, with the numbers compared."),
          field(EVALUATION, DataTypes.StringType,
              "time_split (trained on earlier cut-offs, evaluated on the latest) or stratified_cv (k-fold, out-of-fold predictions)."),
          field(CALIBRATION_METHOD, DataTypes.StringType, "platt or isotonic (churn.calibration); null for the baseline."),
          field(HORIZON_DAYS, DataTypes.IntegerType, "Churn horizon: no completed purchase in this many days after a cut-off; null for features_csv."),
          field(TRAIN_CUTOFFS, DataTypes.createArrayType(DataTypes.DateType), "As-of dates of the training snapshots; null for features_csv."),
          field(VALIDATION_CUTOFF, DataTypes.DateType, "As-of date of the validation snapshot; null for features_csv."),
          field(TRAIN_ROWS, DataTypes.LongType, "Training rows (customer x cut-off; all rows for features_csv)."),
          field(VALIDATION_ROWS, DataTypes.LongType, "Rows evaluated (validation snapshot, or all out-of-fold rows)."),
          field(TRAIN_POSITIVE_RATE, DataTypes.DoubleType, "Share of churners among the training rows."),
          field(POSITIVE_RATE, DataTypes.DoubleType, "Share of churners among the evaluated rows."),
          field(AUC_ROC, DataTypes.DoubleType,
              "Area under the ROC curve of the model's score (stratified_cv: mean over folds)."),
          field(AUC_PR, DataTypes.DoubleType,
              "Area under the precision-recall curve (churn = positive; stratified_cv: mean over folds); "
                  + "compare with positive_rate, its value for a random score."),
          field(AUC_ROC_FOLD_STD, DataTypes.DoubleType, "Standard deviation of auc_roc over folds; null for time_split."),
          field(LOG_LOSS, DataTypes.DoubleType,
              "Mean negative log-likelihood of the calibrated probability (natural log; cross-fitted calibration)."),
          field(BRIER, DataTypes.DoubleType, "Mean squared error of the calibrated probability (cross-fitted calibration)."),
          field(LOG_LOSS_UNCALIBRATED, DataTypes.DoubleType,
              "log_loss of the model's raw probability (class-weighted training distorts it)."),
          field(BRIER_UNCALIBRATED, DataTypes.DoubleType, "brier of the model's raw probability."),
          field(CALIBRATION, DataTypes.createArrayType(CALIBRATION_BIN_TYPE),
              "Calibration table: per equal-width bin of calibrated probability (churn.calibration-bins), "
                  + "its bounds, customers, mean predicted probability and observed churn rate; empty bins omitted."),
          field(LIFT, DataTypes.createArrayType(LIFT_DECILE_TYPE),
              "Lift/gain table: per decile of the score (1 = highest risk), customers, churners, churn rate, "
                  + "lift over positive_rate, cumulative share of all churners captured (gain) and cumulative lift."),
          field(FEATURES, DataTypes.createArrayType(DataTypes.StringType), "Model input columns, in order."),
          field(PARAMS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
              "Hyper-parameters and settings of the candidate (regularisation, trees, class weights ...)."),
          field(MODEL_PATH, DataTypes.StringType, "Where the calibrated pipeline is saved (MLlib PipelineModel); null for the baseline."),
          field(TRAINED_AT, DataTypes.TimestampType, "Wall-clock time of the training run (UTC)."),
          field(REFIT_CUTOFFS, DataTypes.createArrayType(DataTypes.DateType),
              "Cut-offs of the newest labelled snapshots the chosen model was refitted on before saving (the "
                  + "validation cut-off included); metrics are of the model fitted on train_cutoffs. Null: not refitted."),
          field(PROMOTED, DataTypes.BooleanType,
              "Whether the version became the champion that churn-score serves; false: saved as a challenger."),
          field(PROMOTION_REASON, DataTypes.StringType,
              "Why the version was promoted or not, with the numbers compared (churn.promotion-tolerance)."),
          field(CHAMPION_VERSION, DataTypes.StringType,
              "The champion the version was compared with; null when there was none."),
          field(CHAMPION_AUC_PR, DataTypes.DoubleType, "The champion's AUC-PR on the same validation snapshot."),
          field(CHAMPION_BRIER, DataTypes.DoubleType, "The champion's Brier score on the same validation snapshot.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, MODEL_VERSION, MODEL),
      "Churn model evaluation per training run and candidate: AUC-ROC, AUC-PR, log loss, Brier score, "
          + "calibration and lift tables, sizes and windows, and which model was chosen and why.");

  private ChurnModelMetrics() {}
}
