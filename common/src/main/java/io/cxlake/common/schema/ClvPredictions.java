package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The clv_predictions gold table: per customer, the BTYD calibration summary at the as-of date and
 * what the fitted models predict from it.
 */
public final class ClvPredictions {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String SEGMENT = "segment";
  public static final String TIME_UNIT = "time_unit";
  public static final String X = "x";
  public static final String T_X = "t_x";
  public static final String T = "t";
  public static final String MEAN_REPEAT_VALUE = "mean_repeat_value";
  public static final String P_ALIVE = "p_alive";
  public static final String EXPECTED_TRANSACTIONS_30D = "expected_transactions_30d";
  public static final String EXPECTED_TRANSACTIONS_90D = "expected_transactions_90d";
  public static final String EXPECTED_TRANSACTIONS_365D = "expected_transactions_365d";
  public static final String EXPECTED_AVG_ORDER_VALUE = "expected_avg_order_value";
  public static final String CLV = "clv";
  public static final String CLV_CURVE = "clv_curve";
  public static final String PREDICTION_MODEL = "prediction_model";

  public static final TableSpec TABLE = new TableSpec(
      "clv_predictions",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "Calibration end: purchases up to the end of this day."),
          field(CUSTOMER_ID, DataTypes.StringType, "Customer with at least one completed purchase."),
          field(SEGMENT, DataTypes.StringType,
              "Group whose model scored the customer (clv.segment-column value), 'all' for one model."),
          field(TIME_UNIT, DataTypes.StringType, "Unit of t_x and t: weeks or days (clv.time-unit)."),
          field(X, DataTypes.LongType,
              "Repeat purchases in the calibration window: purchase occasions minus the first one."),
          field(T_X, DataTypes.DoubleType, "Time from the first to the last purchase, in time_unit."),
          field(T, DataTypes.DoubleType, "Time from the first purchase to the as-of day, in time_unit."),
          field(MEAN_REPEAT_VALUE, DataTypes.DoubleType,
              "Mean value of the x repeat purchases (net of discounts; first purchase excluded); null when x = 0."),
          field(P_ALIVE, DataTypes.DoubleType, "Probability the customer is still active (prediction_model)."),
          field(EXPECTED_TRANSACTIONS_30D, DataTypes.DoubleType, "Expected purchases in the next 30 days."),
          field(EXPECTED_TRANSACTIONS_90D, DataTypes.DoubleType, "Expected purchases in the next 90 days."),
          field(EXPECTED_TRANSACTIONS_365D, DataTypes.DoubleType, "Expected purchases in the next 365 days."),
          field(EXPECTED_AVG_ORDER_VALUE, DataTypes.DoubleType,
              "Gamma-Gamma expected value of a future purchase given x and mean_repeat_value "
                  + "(population mean for x = 0)."),
          field(CLV, DataTypes.DoubleType,
              "Discounted expected value over clv.horizon-months at clv.annual-discount-rate: "
                  + "sum of clv_curve."),
          field(CLV_CURVE, DataTypes.createArrayType(DataTypes.DoubleType),
              "Discounted expected value per month ahead (element 1 = month 1), for value-over-time charts."),
          field(PREDICTION_MODEL, DataTypes.StringType, "Transaction model behind the predictions: bgnbd or paretonbd.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID),
      "Customer lifetime value per customer and as-of date: BTYD summary (x, t_x, t), P(alive), "
          + "expected purchases, Gamma-Gamma order value and discounted CLV with a monthly curve.");

  private ClvPredictions() {}
}
