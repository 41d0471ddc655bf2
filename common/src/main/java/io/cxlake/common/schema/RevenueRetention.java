package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The revenue_retention gold table: net and gross revenue retention (NRR, GRR) of the whole base
 * per period: of the customers who bought in the base period, how much revenue they brought in the
 * period lookback_periods later, with expansion counted (NRR) or capped at each customer's base
 * revenue (GRR). New customers never count.
 */
public final class RevenueRetention {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String GRAIN = "grain";
  public static final String LOOKBACK_PERIODS = "lookback_periods";
  public static final String PERIOD_START = "period_start";
  public static final String BASE_PERIOD_START = "base_period_start";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String BASE_CUSTOMERS = "base_customers";
  public static final String RETAINED_CUSTOMERS = "retained_customers";
  public static final String BASE_REVENUE = "base_revenue";
  public static final String CURRENT_REVENUE = "current_revenue";
  public static final String EXPANSION_REVENUE = "expansion_revenue";
  public static final String CONTRACTION_REVENUE = "contraction_revenue";
  public static final String CHURNED_REVENUE = "churned_revenue";
  public static final String NRR = "nrr";
  public static final String GRR = "grr";

  public static final TableSpec TABLE = new TableSpec(
      "revenue_retention",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date: computed from data before the end of this day (UTC)."),
          field(GRAIN, DataTypes.StringType, "Period length: month or week (cohorts.grain)."),
          field(LOOKBACK_PERIODS, DataTypes.IntegerType,
              "Periods between base and measured period: 1 = period over period, 12 months = year over year "
                  + "(cohorts.revenue-retention-lookbacks)."),
          field(PERIOD_START, DataTypes.DateType, "First day of the measured period."),
          field(BASE_PERIOD_START, DataTypes.DateType, "First day of the base period (lookback_periods earlier)."),
          field(PERIOD_COMPLETE, DataTypes.BooleanType,
              "False when the measured period contains the as-of day and has not ended: revenue to date."),
          field(BASE_CUSTOMERS, DataTypes.LongType, "Customers with positive net revenue in the base period."),
          field(RETAINED_CUSTOMERS, DataTypes.LongType,
              "Base customers with positive net revenue in the measured period."),
          field(BASE_REVENUE, DataTypes.DoubleType, "Net revenue of the base customers in the base period."),
          field(CURRENT_REVENUE, DataTypes.DoubleType,
              "Net revenue of the base customers in the measured period (new customers excluded)."),
          field(EXPANSION_REVENUE, DataTypes.DoubleType,
              "Sum over base customers of max(measured - base revenue, 0)."),
          field(CONTRACTION_REVENUE, DataTypes.DoubleType,
              "Sum over retained base customers of max(base - measured revenue, 0)."),
          field(CHURNED_REVENUE, DataTypes.DoubleType,
              "Base revenue of base customers without revenue in the measured period."),
          field(NRR, DataTypes.DoubleType,
              "Net revenue retention: current_revenue / base_revenue = (base + expansion - contraction - churned) / base."),
          field(GRR, DataTypes.DoubleType,
              "Gross revenue retention: sum of min(measured, base revenue) per base customer / base_revenue = "
                  + "(base - contraction - churned) / base; at most 1."),
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, GRAIN, LOOKBACK_PERIODS, PERIOD_START),
      "Net and gross revenue retention (NRR, GRR) of the whole customer base per period: revenue of the customers "
          + "who bought in the base period, lookback_periods later, with expansion, contraction and churn.");

  private RevenueRetention() {}
}
