package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The clv_model gold table: one row per fitted model, with its fit and holdout evaluation. */
public final class ClvModel {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String MODEL = "model";
  public static final String SEGMENT = "segment";
  public static final String TIME_UNIT = "time_unit";
  public static final String R = "r";
  public static final String ALPHA = "alpha";
  public static final String A = "a";
  public static final String B = "b";
  public static final String S = "s";
  public static final String BETA = "beta";
  public static final String P = "p";
  public static final String Q = "q";
  public static final String GAMMA = "gamma";
  public static final String LOG_LIKELIHOOD = "log_likelihood";
  public static final String CUSTOMERS = "customers";
  public static final String DISTINCT_ROWS = "distinct_rows";
  public static final String FIT_RESOLUTION_DAYS = "fit_resolution_days";
  public static final String CONVERGED = "converged";
  public static final String ITERATIONS = "iterations";
  public static final String FIT_SECONDS = "fit_seconds";
  public static final String HOLDOUT_END = "holdout_end";
  public static final String HOLDOUT_BUCKETS = "holdout_buckets";
  public static final String HOLDOUT_ACTUAL = "holdout_actual";
  public static final String HOLDOUT_PREDICTED = "holdout_predicted";
  public static final String HOLDOUT_CORRELATION = "holdout_correlation";
  public static final String HOLDOUT_MAE = "holdout_mae";

  /** Fields of one holdout bucket. */
  public static final String BUCKET = "bucket";
  public static final String BUCKET_CUSTOMERS = "customers";
  public static final String BUCKET_ACTUAL_MEAN = "actual_mean";
  public static final String BUCKET_PREDICTED_MEAN = "predicted_mean";

  public static final String MODEL_BGNBD = "bgnbd";
  public static final String MODEL_PARETO_NBD = "paretonbd";
  public static final String MODEL_GAMMA_GAMMA = "gamma_gamma";

  public static final StructType BUCKET_TYPE = new StructType()
      .add(BUCKET, DataTypes.StringType)
      .add(BUCKET_CUSTOMERS, DataTypes.LongType)
      .add(BUCKET_ACTUAL_MEAN, DataTypes.DoubleType)
      .add(BUCKET_PREDICTED_MEAN, DataTypes.DoubleType);

  public static final TableSpec TABLE = new TableSpec(
      "clv_model",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "Calibration end of the fit."),
          field(MODEL, DataTypes.StringType, "bgnbd, paretonbd or gamma_gamma."),
          field(SEGMENT, DataTypes.StringType, "Group the model was fitted on; 'all' for the whole base."),
          field(TIME_UNIT, DataTypes.StringType, "Unit of the rate parameters: weeks or days."),
          field(R, DataTypes.DoubleType, "BG/NBD and Pareto/NBD: shape of the purchase-rate gamma."),
          field(ALPHA, DataTypes.DoubleType, "BG/NBD and Pareto/NBD: scale of the purchase-rate gamma."),
          field(A, DataTypes.DoubleType, "BG/NBD: beta parameter a of the dropout probability."),
          field(B, DataTypes.DoubleType, "BG/NBD: beta parameter b of the dropout probability."),
          field(S, DataTypes.DoubleType, "Pareto/NBD: shape of the dropout-rate gamma."),
          field(BETA, DataTypes.DoubleType, "Pareto/NBD: scale of the dropout-rate gamma."),
          field(P, DataTypes.DoubleType, "Gamma-Gamma: shape of a purchase's value."),
          field(Q, DataTypes.DoubleType, "Gamma-Gamma: shape of the customers' value-scale gamma."),
          field(GAMMA, DataTypes.DoubleType, "Gamma-Gamma: scale of the customers' value-scale gamma."),
          field(LOG_LIKELIHOOD, DataTypes.DoubleType,
              "Maximised log-likelihood (Gamma-Gamma: density of the mean spend; add sum ln x for the total)."),
          field(CUSTOMERS, DataTypes.LongType, "Customers in the fit."),
          field(DISTINCT_ROWS, DataTypes.LongType,
              "Distinct summary rows the customers compressed to (what the optimiser iterated over)."),
          field(FIT_RESOLUTION_DAYS, DataTypes.IntegerType,
              "Days t_x and T were rounded to for the BG/NBD and Pareto/NBD fit: 1 = exact; coarser only when the "
                  + "exact rows exceed clv.max-fit-rows. Predictions always use each customer's exact t_x and T."),
          field(CONVERGED, DataTypes.BooleanType, "Whether the optimiser met its convergence criterion."),
          field(ITERATIONS, DataTypes.IntegerType, "Optimiser iterations."),
          field(FIT_SECONDS, DataTypes.DoubleType, "Seconds the fit took on the driver."),
          field(HOLDOUT_END, DataTypes.DateType, "End of the holdout period (--holdout-end); null without one."),
          field(HOLDOUT_BUCKETS, DataTypes.createArrayType(BUCKET_TYPE),
              "Per calibration-frequency bucket (0..6, 7+): customers, actual and predicted mean holdout purchases."),
          field(HOLDOUT_ACTUAL, DataTypes.DoubleType, "Actual repeat purchases in the holdout period, all customers."),
          field(HOLDOUT_PREDICTED, DataTypes.DoubleType, "Sum of the conditional expectations for the holdout period."),
          field(HOLDOUT_CORRELATION, DataTypes.DoubleType, "Correlation of actual and predicted holdout purchases per customer."),
          field(HOLDOUT_MAE, DataTypes.DoubleType, "Mean absolute error of predicted holdout purchases per customer.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, MODEL, SEGMENT),
      "Fitted CLV models per as-of date: parameters, log-likelihood, convergence, fit time and, with "
          + "a holdout period, actual vs predicted purchases.");

  private ClvModel() {}
}
