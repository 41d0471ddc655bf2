package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The churn_backtest gold table: how past churn scores turned out. For every scoring date whose
 * horizon has closed by the run's as-of date, the churn the scored customers really showed
 * against what was predicted.
 */
public final class ChurnBacktest {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String SCORING_DATE = "scoring_date";
  public static final String MODEL_VERSION = "model_version";
  public static final String HORIZON_DAYS = "horizon_days";
  public static final String CUSTOMERS = "customers";
  public static final String CHURNERS = "churners";
  public static final String REALIZED_CHURN_RATE = "realized_churn_rate";
  public static final String MEAN_PREDICTED = "mean_predicted";
  public static final String AUC_ROC = "auc_roc";
  public static final String AUC_PR = "auc_pr";
  public static final String BRIER = "brier";
  public static final String TOP_DECILE_LIFT = "top_decile_lift";
  public static final String CALIBRATION = "calibration";
  public static final String TIERS = "tiers";

  /** Fields of a calibration decile and of a risk tier. */
  public static final String DECILE = "decile";
  public static final String TIER = "tier";
  public static final String GROUP_CUSTOMERS = "customers";
  public static final String GROUP_PREDICTED = "mean_predicted";
  public static final String GROUP_ACTUAL = "actual_rate";

  public static final StructType DECILE_TYPE = new StructType()
      .add(DECILE, DataTypes.IntegerType)
      .add(GROUP_CUSTOMERS, DataTypes.LongType)
      .add(GROUP_PREDICTED, DataTypes.DoubleType)
      .add(GROUP_ACTUAL, DataTypes.DoubleType);

  public static final StructType TIER_TYPE = new StructType()
      .add(TIER, DataTypes.StringType)
      .add(GROUP_CUSTOMERS, DataTypes.LongType)
      .add(GROUP_PREDICTED, DataTypes.DoubleType)
      .add(GROUP_ACTUAL, DataTypes.DoubleType);

  public static final TableSpec TABLE = new TableSpec(
      "churn_backtest",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the backtest run: outcomes are known up to the end of this day."),
          field(SCORING_DATE, DataTypes.DateType, "The churn_scores partition evaluated; its horizon ended by as_of_date."),
          field(MODEL_VERSION, DataTypes.StringType, "The model version that scored that day."),
          field(HORIZON_DAYS, DataTypes.IntegerType, "Churn horizon of the scores, in days."),
          field(CUSTOMERS, DataTypes.LongType, "Customers scored that day (with a probability)."),
          field(CHURNERS, DataTypes.LongType, "Of them, those who churned in the horizon (no completed purchase, or a closure)."),
          field(REALIZED_CHURN_RATE, DataTypes.DoubleType, "churners / customers."),
          field(MEAN_PREDICTED, DataTypes.DoubleType, "Mean predicted churn probability: compare with realized_churn_rate."),
          field(AUC_ROC, DataTypes.DoubleType, "Area under the ROC curve of the scores against the realized churn (ties count half)."),
          field(AUC_PR, DataTypes.DoubleType, "Area under the precision-recall curve (trapezoidal, as MLlib's areaUnderPR)."),
          field(BRIER, DataTypes.DoubleType, "Mean squared error of the probability against the realized churn."),
          field(TOP_DECILE_LIFT, DataTypes.DoubleType, "Churn rate of the 10 % highest scores / realized_churn_rate."),
          field(CALIBRATION, DataTypes.createArrayType(DECILE_TYPE),
              "Per decile of the score (1 = highest risk): customers, mean predicted probability, actual churn rate."),
          field(TIERS, DataTypes.createArrayType(TIER_TYPE),
              "Per risk tier: customers, mean predicted probability, actual churn rate.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, SCORING_DATE),
      "Churn scores against the churn that followed: per closed scoring date, realized churn, AUC-ROC, AUC-PR, "
          + "Brier, calibration by decile, top-decile lift and predicted vs actual churn per risk tier.");

  private ChurnBacktest() {}
}
