package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The cx_kpis gold table, in long format so BI tools pivot it: one row per period, metric and
 * dimension value. A rate has its numerator and denominator beside it, so it rolls up across
 * periods or dimension values as sum(numerator) / sum(denominator). Every metric's definition is
 * in docs/cohorts-kpis.md.
 */
public final class CxKpis {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String PERIOD_GRAIN = "period_grain";
  public static final String PERIOD_START = "period_start";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String METRIC = "metric";
  public static final String DIMENSION = "dimension";
  public static final String DIMENSION_VALUE = "dimension_value";
  public static final String VALUE = "value";
  public static final String NUMERATOR = "numerator";
  public static final String DENOMINATOR = "denominator";

  /** dimension and dimension_value of the overall figure. */
  public static final String ALL = "all";
  /** dimension_value of rows whose dimension value is missing. */
  public static final String UNKNOWN = "unknown";

  public static final TableSpec TABLE = new TableSpec(
      "cx_kpis",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date: computed from data before the end of this day (UTC)."),
          field(PERIOD_GRAIN, DataTypes.StringType, "Period length: day, week (Monday to Sunday) or month (UTC)."),
          field(PERIOD_START, DataTypes.DateType, "First day of the period."),
          field(PERIOD_COMPLETE, DataTypes.BooleanType,
              "False for the period containing the as-of day when it has not ended: figures to date."),
          field(METRIC, DataTypes.StringType, "Metric name, e.g. nps, csat_satisfied_share, first_contact_resolution_rate, "
              + "resolution_hours_p90, orders, repeat_purchase_rate, cart_abandonment_rate (docs/cohorts-kpis.md)."),
          field(DIMENSION, DataTypes.StringType,
              "What the metric is split by: 'all' (overall), touchpoint, ticket_channel, topic, sales_channel or device."),
          field(DIMENSION_VALUE, DataTypes.StringType,
              "Value of the dimension ('all' overall, 'unknown' when missing on the record)."),
          field(VALUE, DataTypes.DoubleType,
              "The metric: a count, a sum, a rate (numerator / denominator, NPS x 100), a mean, a percentile or a rank."),
          field(NUMERATOR, DataTypes.DoubleType,
              "Numerator of a rate or mean (NPS: promoters - detractors); equals value for counts and sums; "
                  + "null for percentiles and ranks."),
          field(DENOMINATOR, DataTypes.DoubleType,
              "Denominator of a rate or mean, or the number of values behind a percentile; null for counts and sums. "
                  + "A rate with no denominator (e.g. no surveys) has no row, never a 0."),
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, PERIOD_GRAIN, PERIOD_START, METRIC, DIMENSION, DIMENSION_VALUE),
      "CX KPIs per day, week and month, overall and by touchpoint, ticket channel, topic, sales channel and device: "
          + "NPS, CSAT, first-contact resolution, response and resolution times, reopen rate, ticket volume and "
          + "backlog, orders, revenue, repeat purchase and churn, web funnel. Long format.");

  private CxKpis() {}
}
