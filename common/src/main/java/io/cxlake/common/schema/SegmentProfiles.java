package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The segment_profiles gold table: one row per RFM segment and per behavioural cluster, with size,
 * value, risk, experience and channel mix; within one segment_type the sizes sum to the base.
 */
public final class SegmentProfiles {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String SEGMENT_TYPE = "segment_type";
  public static final String SEGMENT = "segment";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String CUSTOMERS = "customers";
  public static final String SHARE = "share";
  public static final String MEAN_MONETARY = "mean_monetary";
  public static final String MEAN_FREQUENCY = "mean_frequency";
  public static final String MEAN_RECENCY_DAYS = "mean_recency_days";
  public static final String MEAN_CLV = "mean_clv";
  public static final String MEDIAN_CLV = "median_clv";
  public static final String MEAN_CHURN_PROBABILITY = "mean_churn_probability";
  public static final String INACTIVE_RATE = "inactive_rate";
  public static final String NPS = "nps";
  public static final String NPS_RESPONDENTS = "nps_respondents";
  public static final String MEAN_CSAT = "mean_csat";
  public static final String TICKETS_PER_CUSTOMER = "tickets_per_customer";
  public static final String TOP_CATEGORIES = "top_categories";
  public static final String CHANNEL_MIX = "channel_mix";
  public static final String OPT_IN_SHARE = "opt_in_share";

  /** segment_type values. */
  public static final String TYPE_RFM = "rfm";
  public static final String TYPE_CLUSTER = "cluster";

  /** channel_mix key of customers without an observed preferred channel. */
  public static final String NO_CHANNEL = "none";

  public static final TableSpec TABLE = new TableSpec(
      "segment_profiles",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the segments."),
          field(SEGMENT_TYPE, DataTypes.StringType,
              "rfm (named RFM segments) or cluster (behavioural clusters); each type partitions the whole base."),
          field(SEGMENT, DataTypes.StringType, "RFM segment name, or the cluster name."),
          field(CLUSTER_ID, DataTypes.IntegerType, "Cluster number for segment_type = cluster; null for rfm."),
          field(CUSTOMERS, DataTypes.LongType, "Customers in the segment; the rows of one type sum to the base."),
          field(SHARE, DataTypes.DoubleType, "customers / all customers of the base."),
          field(MEAN_MONETARY, DataTypes.DoubleType, "Mean net revenue to date (customers without orders count 0)."),
          field(MEAN_FREQUENCY, DataTypes.DoubleType, "Mean purchase occasions to date."),
          field(MEAN_RECENCY_DAYS, DataTypes.DoubleType, "Mean days since the last order, over purchasers."),
          field(MEAN_CLV, DataTypes.DoubleType,
              "Mean clv_predictions.clv of the as-of date (customers without a prediction count 0); "
                  + "null when clv has not run for that date."),
          field(MEDIAN_CLV, DataTypes.DoubleType, "Median CLV on the same basis as mean_clv."),
          field(MEAN_CHURN_PROBABILITY, DataTypes.DoubleType,
              "Mean churn_scores.churn_probability of the as-of date; null when churn scores do not exist."),
          field(INACTIVE_RATE, DataTypes.DoubleType,
              "Share of purchasers without an order in the last segment.inactive-days days (rule-based churn rate)."),
          field(NPS, DataTypes.DoubleType,
              "Net Promoter Score of the latest answers: % promoters - % detractors (-100..100); null without answers."),
          field(NPS_RESPONDENTS, DataTypes.LongType, "Customers with an NPS answer."),
          field(MEAN_CSAT, DataTypes.DoubleType, "Mean of the customers' mean CSAT survey score (1-5)."),
          field(TICKETS_PER_CUSTOMER, DataTypes.DoubleType, "Support tickets opened in the last 365 days per customer."),
          field(TOP_CATEGORIES, DataTypes.createArrayType(DataTypes.StringType),
              "Categories with the largest share of the segment's revenue, largest first."),
          field(CHANNEL_MIX, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType),
              "Share of customers per preferred channel (email, push, phone; none = no engagement seen)."),
          field(OPT_IN_SHARE, DataTypes.DoubleType, "Share of customers with marketing consent.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, SEGMENT_TYPE, SEGMENT),
      "Profiles of RFM segments and behavioural clusters per as-of date: size and share, value (CLV), "
          + "churn, NPS, CSAT, ticket rate, top categories, channel mix and consent.");

  private SegmentProfiles() {}
}
