package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The cohort_repeat_purchases gold table: per acquisition cohort (as in retention_cohorts), the
 * share of its customers whose 2nd, 3rd ... purchase came within N days of their first.
 */
public final class CohortRepeatPurchases {
  public static final String AS_OF_DATE = RetentionCohorts.AS_OF_DATE;
  public static final String GRAIN = RetentionCohorts.GRAIN;
  public static final String COHORT_DIMENSION = RetentionCohorts.COHORT_DIMENSION;
  public static final String COHORT_VALUE = RetentionCohorts.COHORT_VALUE;
  public static final String COHORT_START = RetentionCohorts.COHORT_START;
  public static final String COHORT_SIZE = "cohort_size";
  public static final String PURCHASE_NUMBER = "purchase_number";
  public static final String WITHIN_DAYS = "within_days";
  public static final String CUSTOMERS = "customers";
  public static final String SHARE = "share";
  public static final String WINDOW_COMPLETE = "window_complete";

  public static final TableSpec TABLE = new TableSpec(
      "cohort_repeat_purchases",
      TableSpec.Layer.GOLD,
      new StructType(RetentionCohorts.COHORT_KEY)
          .add(field(COHORT_SIZE, DataTypes.LongType, "Customers in the cohort."))
          .add(field(PURCHASE_NUMBER, DataTypes.IntegerType,
              "Which purchase: 2 = second purchase (first repeat), 3 = third ... (cohorts.repeat-purchase-numbers). "
                  + "A purchase is a completed order, or one purchase day when cohorts.merge-same-day-orders is true."))
          .add(field(WITHIN_DAYS, DataTypes.IntegerType,
              "Window after the first purchase (cohorts.repeat-windows-days)."))
          .add(field(CUSTOMERS, DataTypes.LongType,
              "Cohort customers whose purchase number purchase_number came at most within_days x 24 hours after "
                  + "their first purchase, before the cut-off."))
          .add(field(SHARE, DataTypes.DoubleType, "customers / cohort_size."))
          .add(field(WINDOW_COMPLETE, DataTypes.BooleanType,
              "Whether the window has elapsed for every cohort customer (cohort end + within_days <= cut-off); "
                  + "when false the share can still grow.")),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, GRAIN, COHORT_DIMENSION, COHORT_VALUE, COHORT_START, PURCHASE_NUMBER, WITHIN_DAYS),
      "Repeat-purchase view of the acquisition cohorts: share of each cohort whose 2nd, 3rd purchase came within "
          + "30/60/90 days of the first, with a flag while the window is still open.");

  private CohortRepeatPurchases() {}
}
