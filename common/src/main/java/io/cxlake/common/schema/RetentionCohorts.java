package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The retention_cohorts gold table: acquisition cohorts (customers grouped by the period of their
 * first completed order) and what they did in every period since, for the whole base and split by
 * cohort dimensions. One row per cohort and period from the cohort's start to the as-of period,
 * also when nobody in the cohort bought in a period, so a heatmap has no holes.
 */
public final class RetentionCohorts {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String GRAIN = "grain";
  public static final String COHORT_DIMENSION = "cohort_dimension";
  public static final String COHORT_VALUE = "cohort_value";
  public static final String COHORT_START = "cohort_start";
  public static final String PERIOD = "period";
  public static final String PERIOD_START = "period_start";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String COHORT_SIZE = "cohort_size";
  public static final String ACTIVE_CUSTOMERS = "active_customers";
  public static final String RETENTION_RATE = "retention_rate";
  public static final String ORDERS = "orders";
  public static final String REVENUE = "revenue";
  public static final String REVENUE_PER_CUSTOMER = "revenue_per_customer";
  public static final String CUMULATIVE_REVENUE_PER_CUSTOMER = "cumulative_revenue_per_customer";
  public static final String REVENUE_RETENTION = "revenue_retention";

  /** cohort_dimension (and cohort_value) of the whole customer base. */
  public static final String ALL = "all";
  /** cohort_value of customers whose dimension value is missing. */
  public static final String UNKNOWN = "unknown";
  /** Cohort dimensions: columns of customers, and the category of the first order. */
  public static final String DIM_ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String DIM_COUNTRY = "country";
  public static final String DIM_FIRST_CATEGORY = "first_category";
  /** Every dimension a cohort can be split by. */
  public static final List<String> DIMENSIONS = List.of(DIM_ACQUISITION_CHANNEL, DIM_COUNTRY, DIM_FIRST_CATEGORY);

  /** The columns that name a cohort, shared with cohort_repeat_purchases. */
  static final StructField[] COHORT_KEY = {
      field(AS_OF_DATE, DataTypes.DateType, "As-of date: computed from data before the end of this day (UTC)."),
      field(GRAIN, DataTypes.StringType, "Period length of cohorts and periods: month or week (cohorts.grain)."),
      field(COHORT_DIMENSION, DataTypes.StringType,
          "What the cohorts are split by: 'all' (whole base), acquisition_channel, country or first_category."),
      field(COHORT_VALUE, DataTypes.StringType,
          "Value of the dimension ('all' for the whole base, 'unknown' when the customer has none)."),
      field(COHORT_START, DataTypes.DateType,
          "First day of the cohort's period: the period of the customers' first completed order (UTC; "
              + "weeks start on Monday)."),
  };

  public static final TableSpec TABLE = new TableSpec(
      "retention_cohorts",
      TableSpec.Layer.GOLD,
      new StructType(COHORT_KEY)
          .add(field(PERIOD, DataTypes.IntegerType, "Periods since the cohort start: 0 is the acquisition period."))
          .add(field(PERIOD_START, DataTypes.DateType, "First day of the period."))
          .add(field(PERIOD_COMPLETE, DataTypes.BooleanType,
              "False for the period that contains the as-of day when that day is not the period's last: its "
                  + "figures are to date, not comparable with complete periods."))
          .add(field(COHORT_SIZE, DataTypes.LongType, "Customers in the cohort."))
          .add(field(ACTIVE_CUSTOMERS, DataTypes.LongType,
              "Cohort customers with at least one completed order in the period (all of them in period 0)."))
          .add(field(RETENTION_RATE, DataTypes.DoubleType, "active_customers / cohort_size; 0 when nobody bought."))
          .add(field(ORDERS, DataTypes.LongType, "Distinct completed orders of cohort customers in the period."))
          .add(field(REVENUE, DataTypes.DoubleType,
              "Net revenue (quantity x unit_price - discount of completed lines) of cohort customers in the period."))
          .add(field(REVENUE_PER_CUSTOMER, DataTypes.DoubleType, "revenue / cohort_size."))
          .add(field(CUMULATIVE_REVENUE_PER_CUSTOMER, DataTypes.DoubleType,
              "Revenue of periods 0 to this one / cohort_size: value per acquired customer so far."))
          .add(field(REVENUE_RETENTION, DataTypes.DoubleType,
              "revenue / revenue of period 0 of the same cohort; null when period 0 revenue is not positive.")),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, GRAIN, COHORT_DIMENSION, COHORT_VALUE, COHORT_START, PERIOD),
      "Acquisition cohorts by first completed order (month or week), for the whole base and per acquisition "
          + "channel, country and first-order category: size, active customers, retention, orders and revenue "
          + "in every period since, zero-activity periods included; partial last period flagged.");

  private RetentionCohorts() {}
}
