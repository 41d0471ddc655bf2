package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The campaign_results gold table: whether the next best actions worked. For every campaign and
 * action date whose response window has closed, the customers the action was delivered to against
 * its control group (held out at random by the same rule): conversion, revenue, and the difference
 * with its 95% confidence interval, overall and per RFM segment.
 */
public final class CampaignResults {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CAMPAIGN = "campaign";
  public static final String ACTION = "action";
  public static final String ACTION_DATE = "action_date";
  public static final String RESPONSE_DAYS = "response_days";
  public static final String SEGMENT_TYPE = "segment_type";
  public static final String SEGMENT = "segment";
  public static final String DELIVERED_CUSTOMERS = "delivered_customers";
  public static final String CONTROL_CUSTOMERS = "control_customers";
  public static final String DELIVERED_CONVERTERS = "delivered_converters";
  public static final String CONTROL_CONVERTERS = "control_converters";
  public static final String DELIVERED_CONVERSION_RATE = "delivered_conversion_rate";
  public static final String CONTROL_CONVERSION_RATE = "control_conversion_rate";
  public static final String UPLIFT = "uplift";
  public static final String UPLIFT_CI_LOW = "uplift_ci_low";
  public static final String UPLIFT_CI_HIGH = "uplift_ci_high";
  public static final String RELATIVE_UPLIFT = "relative_uplift";
  public static final String DELIVERED_REVENUE_PER_CUSTOMER = "delivered_revenue_per_customer";
  public static final String CONTROL_REVENUE_PER_CUSTOMER = "control_revenue_per_customer";
  public static final String REVENUE_UPLIFT = "revenue_uplift";
  public static final String REVENUE_UPLIFT_CI_LOW = "revenue_uplift_ci_low";
  public static final String REVENUE_UPLIFT_CI_HIGH = "revenue_uplift_ci_high";
  public static final String INCREMENTAL_CONVERSIONS = "incremental_conversions";
  public static final String INCREMENTAL_REVENUE = "incremental_revenue";
  public static final String CONTROL_TOO_SMALL = "control_too_small";
  public static final String SIGNIFICANT = "significant";

  /** segment_type of the whole campaign. */
  public static final String TYPE_ALL = "all";
  /** segment_type of the rows per RFM segment of the action date. */
  public static final String TYPE_RFM = "rfm";

  public static final TableSpec TABLE = new TableSpec(
      "campaign_results",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the run: every window that had closed by the end of it."),
          field(CAMPAIGN, DataTypes.StringType, "Campaign of the actions (next_best_actions.campaign)."),
          field(ACTION, DataTypes.StringType, "Action of the campaign: win_back, browse_abandon, ..."),
          field(ACTION_DATE, DataTypes.DateType, "Day the actions were chosen (next_best_actions.as_of_date)."),
          field(RESPONSE_DAYS, DataTypes.IntegerType,
              "Response window in days after the action date (actions.response-days)."),
          field(SEGMENT_TYPE, DataTypes.StringType, "all (the whole campaign) or rfm (per RFM segment of the action date)."),
          field(SEGMENT, DataTypes.StringType, "The RFM segment, 'all' for the whole campaign, 'unknown' without segments."),
          field(DELIVERED_CUSTOMERS, DataTypes.LongType, "Customers the action was delivered to (status deliver)."),
          field(CONTROL_CUSTOMERS, DataTypes.LongType, "Customers held out as the control group (status control)."),
          field(DELIVERED_CONVERTERS, DataTypes.LongType,
              "Delivered customers with a completed purchase in the response window."),
          field(CONTROL_CONVERTERS, DataTypes.LongType, "Control customers with a completed purchase in the response window."),
          field(DELIVERED_CONVERSION_RATE, DataTypes.DoubleType, "delivered_converters / delivered_customers."),
          field(CONTROL_CONVERSION_RATE, DataTypes.DoubleType, "control_converters / control_customers."),
          field(UPLIFT, DataTypes.DoubleType,
              "Absolute uplift: delivered_conversion_rate - control_conversion_rate (a share, 0.05 = 5 points)."),
          field(UPLIFT_CI_LOW, DataTypes.DoubleType,
              "Lower end of the 95% confidence interval of the uplift (difference of two proportions: Newcombe's hybrid "
                  + "score interval from the two Wilson intervals, sound with few converters)."),
          field(UPLIFT_CI_HIGH, DataTypes.DoubleType, "Upper end of the 95% confidence interval of the uplift."),
          field(RELATIVE_UPLIFT, DataTypes.DoubleType, "uplift / control_conversion_rate; null when the control rate is 0."),
          field(DELIVERED_REVENUE_PER_CUSTOMER, DataTypes.DoubleType,
              "Net revenue of completed purchases in the window per delivered customer (0 for a non-buyer)."),
          field(CONTROL_REVENUE_PER_CUSTOMER, DataTypes.DoubleType, "The same per control customer."),
          field(REVENUE_UPLIFT, DataTypes.DoubleType,
              "delivered_revenue_per_customer - control_revenue_per_customer."),
          field(REVENUE_UPLIFT_CI_LOW, DataTypes.DoubleType,
              "Lower end of the 95% confidence interval of the revenue uplift (Welch's unequal-variance standard error)."),
          field(REVENUE_UPLIFT_CI_HIGH, DataTypes.DoubleType, "Upper end of the 95% confidence interval of the revenue uplift."),
          field(INCREMENTAL_CONVERSIONS, DataTypes.DoubleType, "uplift x delivered_customers: purchases the action added."),
          field(INCREMENTAL_REVENUE, DataTypes.DoubleType, "revenue_uplift x delivered_customers: revenue the action added."),
          field(CONTROL_TOO_SMALL, DataTypes.BooleanType,
              "The control group (or the delivered group) is smaller than actions.min-group-customers: do not conclude."),
          field(SIGNIFICANT, DataTypes.BooleanType,
              "The conversion uplift's 95% interval excludes 0 and the groups are large enough.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CAMPAIGN, ACTION_DATE, SEGMENT_TYPE, SEGMENT),
      "Whether the next best actions worked: delivered vs control per campaign and action date whose response window "
          + "has closed, conversion and revenue uplift with 95% confidence intervals, overall and per RFM segment.");

  private CampaignResults() {}
}
