package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The churn_drift gold table: per scoring date, the population stability index of every input of
 * the serving churn model and of its score, between the model's training window and the customers
 * scored that day, so a data scientist can see whether the model still sees the population it
 * learned from.
 */
public final class ChurnDrift {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String MODEL_VERSION = "model_version";
  public static final String FEATURE = "feature";
  public static final String KIND = "kind";
  public static final String PSI = "psi";
  public static final String DRIFTED = "drifted";
  public static final String REFERENCE_ROWS = "reference_rows";
  public static final String ROWS = "rows";
  public static final String BINS = "bins";

  /** Fields of one bin. */
  public static final String BIN = "bin";
  public static final String BIN_LABEL = "label";
  public static final String BIN_EXPECTED = "expected_share";
  public static final String BIN_ACTUAL = "actual_share";

  public static final String KIND_NUMERIC = "numeric";
  public static final String KIND_CATEGORICAL = "categorical";
  public static final String KIND_SCORE = "score";

  /** PSI above which an input is flagged: the usual "significant shift" threshold. */
  public static final double DRIFT_THRESHOLD = 0.2;

  public static final StructType BIN_TYPE = new StructType()
      .add(BIN, DataTypes.IntegerType)
      .add(BIN_LABEL, DataTypes.StringType)
      .add(BIN_EXPECTED, DataTypes.DoubleType)
      .add(BIN_ACTUAL, DataTypes.DoubleType);

  public static final TableSpec TABLE = new TableSpec(
      "churn_drift",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "Scoring date (the churn_scores partition compared)."),
          field(MODEL_VERSION, DataTypes.StringType, "The churn model version that scored that day."),
          field(FEATURE, DataTypes.StringType, "Model input, or churn_probability for the score."),
          field(KIND, DataTypes.StringType, "numeric (decile bins of the training window), categorical (its "
              + "categories, unseen ones in an 'other' bin) or score."),
          field(PSI, DataTypes.DoubleType, "Population stability index: sum over bins of (actual - expected) x "
              + "ln(actual / expected), shares floored at 0.0001. Below 0.1 stable, 0.1-0.2 moderate, above 0.2 "
              + "a significant shift."),
          field(DRIFTED, DataTypes.BooleanType, "psi above 0.2."),
          field(REFERENCE_ROWS, DataTypes.LongType, "Rows of the training window the reference shares come from."),
          field(ROWS, DataTypes.LongType, "Customers scored that day."),
          field(BINS, DataTypes.createArrayType(BIN_TYPE), "Per bin: its label (an interval like '(12.5, 40]' "
              + "on the model input's scale, or a category), the training window's share and the day's share.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, FEATURE),
      "Population stability of the churn model's inputs and score per scoring date, against its training window.");

  private ChurnDrift() {}
}
