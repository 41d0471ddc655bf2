package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The churn_scores gold table: per customer and as-of date, the calibrated probability of churning
 * within the horizon, its risk tier, the value at risk and the three features that drive the score
 * most; or, for a customer the model cannot score honestly, the reason instead of a score.
 */
public final class ChurnScores {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String CHURN_PROBABILITY = "churn_probability";
  public static final String RISK_TIER = "risk_tier";
  public static final String REASON = "reason";
  public static final String CLV = "clv";
  public static final String VALUE_AT_RISK = "value_at_risk";
  public static final String CLV_AS_OF_DATE = "clv_as_of_date";
  public static final String DRIVERS = "drivers";
  public static final String MODEL_VERSION = "model_version";
  public static final String MODEL = "model";
  public static final String HORIZON_DAYS = "horizon_days";

  /** Fields of one driver. */
  public static final String DRIVER_FEATURE = "feature";
  public static final String DRIVER_CONTRIBUTION = "contribution";
  public static final String DRIVER_DIRECTION = "direction";
  public static final String DRIVER_VALUE = "value";
  public static final String DRIVER_TYPICAL = "typical";
  public static final String DRIVER_TEXT = "text";

  public static final String TIER_HIGH = "high";
  public static final String TIER_MEDIUM = "medium";
  public static final String TIER_LOW = "low";

  public static final String DIRECTION_RAISES = "raises";
  public static final String DIRECTION_LOWERS = "lowers";

  /** No completed purchase before the cut-off: nothing to extrapolate from. */
  public static final String REASON_NO_PURCHASE = "no_purchase";
  /** First completed purchase more recent than churn.min-history-days. */
  public static final String REASON_TOO_LITTLE_HISTORY = "too_little_history";
  /** No completed purchase within churn.active-window-days: already churned by definition. */
  public static final String REASON_LAPSED = "lapsed";
  /** An account-closure event (churn.closure-ticket-topics) before the cut-off. */
  public static final String REASON_ACCOUNT_CLOSED = "account_closed";

  public static final StructType DRIVER_TYPE = new StructType()
      .add(DRIVER_FEATURE, DataTypes.StringType)
      .add(DRIVER_CONTRIBUTION, DataTypes.DoubleType)
      .add(DRIVER_DIRECTION, DataTypes.StringType)
      .add(DRIVER_VALUE, DataTypes.DoubleType)
      .add(DRIVER_TYPICAL, DataTypes.DoubleType)
      .add(DRIVER_TEXT, DataTypes.StringType);

  public static final TableSpec TABLE = new TableSpec(
      "churn_scores",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date: the score uses data before the end of this day (UTC)."),
          field(CUSTOMER_ID, DataTypes.StringType, "Business customer identifier (every customer known at the as-of date)."),
          field(CHURN_PROBABILITY, DataTypes.DoubleType,
              "Calibrated probability of no completed purchase in the horizon_days after the as-of date; "
                  + "null when reason is set."),
          field(RISK_TIER, DataTypes.StringType,
              "high (probability >= churn.risk-tier-high), medium (>= churn.risk-tier-medium) or low; "
                  + "null when reason is set."),
          field(REASON, DataTypes.StringType,
              "Why the customer has no score: no_purchase, too_little_history (first purchase within "
                  + "churn.min-history-days), lapsed (no purchase within churn.active-window-days: already "
                  + "churned) or account_closed; null when scored."),
          field(CLV, DataTypes.DoubleType, "CLV of the customer from clv_predictions of clv_as_of_date; null without one."),
          field(VALUE_AT_RISK, DataTypes.DoubleType, "clv x churn_probability: the expected value lost if nothing is done."),
          field(CLV_AS_OF_DATE, DataTypes.DateType,
              "As-of date of the clv_predictions partition used (at most churn.clv-max-age-days before as_of_date)."),
          field(DRIVERS, DataTypes.createArrayType(DRIVER_TYPE),
              "Top 3 features by absolute contribution to this customer's churn log-odds relative to an "
                  + "average customer (logistic regression: coefficient x standardized value; gbt: Saabas "
                  + "path attribution), with direction raises or lowers the risk, the customer's value on the "
                  + "feature's own scale (null for a category), the typical value among the customers scored that "
                  + "day (median; for a category the share of customers in it) and a sentence, e.g. "
                  + "'recency_days = 143 vs 41 typical raises risk'. A category is a driver only for its own members."),
          field(MODEL_VERSION, DataTypes.StringType,
              "Version of the churn model (its training as-of date; models/churn/<version> in the warehouse)."),
          field(MODEL, DataTypes.StringType, "Model family that scored: logistic_regression or gbt."),
          field(HORIZON_DAYS, DataTypes.IntegerType, "Churn horizon of the model, in days.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID),
      "Churn risk per customer and as-of date: calibrated probability of no purchase in the horizon, "
          + "risk tier, value at risk (CLV x probability), top 3 drivers, or the reason a customer is not scored.");

  private ChurnScores() {}
}
