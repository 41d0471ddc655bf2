package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The segments gold table: per customer of the base and as-of date, the RFM quintile scores with
 * the named RFM segment, and the behavioural cluster (KMeans) with its readable name.
 */
public final class Segments {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String RECENCY_DAYS = "recency_days";
  public static final String FREQUENCY = "frequency";
  public static final String MONETARY = "monetary";
  public static final String RECENCY_SCORE = "recency_score";
  public static final String FREQUENCY_SCORE = "frequency_score";
  public static final String MONETARY_SCORE = "monetary_score";
  public static final String FM_SCORE = "fm_score";
  public static final String RFM_SCORE = "rfm_score";
  public static final String RFM_SEGMENT = "rfm_segment";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String CLUSTER_NAME = "cluster_name";

  /** The eleven named segments of the RFM grid, plus the customers without a purchase. */
  public static final String CHAMPIONS = "Champions";
  public static final String LOYAL = "Loyal";
  public static final String POTENTIAL_LOYALIST = "Potential Loyalist";
  public static final String NEW = "New";
  public static final String PROMISING = "Promising";
  public static final String NEED_ATTENTION = "Need Attention";
  public static final String ABOUT_TO_SLEEP = "About to Sleep";
  public static final String AT_RISK = "At Risk";
  public static final String CANNOT_LOSE_THEM = "Cannot Lose Them";
  public static final String HIBERNATING = "Hibernating";
  public static final String LOST = "Lost";
  public static final String PROSPECTS = "Prospects";

  /** Every RFM segment name, best first; {@link #PROSPECTS} (no purchase yet) last. */
  public static final List<String> RFM_SEGMENTS = List.of(CHAMPIONS, LOYAL, POTENTIAL_LOYALIST, NEW, PROMISING,
      NEED_ATTENTION, ABOUT_TO_SLEEP, AT_RISK, CANNOT_LOSE_THEM, HIBERNATING, LOST, PROSPECTS);

  public static final TableSpec TABLE = new TableSpec(
      "segments",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the customer_360 snapshot the segments come from."),
          field(CUSTOMER_ID, DataTypes.StringType, "Customer of the customer_360 base at the as-of date."),
          field(RECENCY_DAYS, DataTypes.LongType,
              "Whole days from the last completed order to the cut-off (RFM recency); null without an order."),
          field(FREQUENCY, DataTypes.LongType, "Purchase occasions (RFM frequency); 0 without an order."),
          field(MONETARY, DataTypes.DoubleType, "Net revenue of completed orders (RFM monetary); null without an order."),
          field(RECENCY_SCORE, DataTypes.IntegerType,
              "Recency quintile 1-5 among purchasers, 5 = most recent; equal recencies share a score."),
          field(FREQUENCY_SCORE, DataTypes.IntegerType,
              "Frequency quintile 1-5 among purchasers, 5 = most purchase occasions; ties share a score."),
          field(MONETARY_SCORE, DataTypes.IntegerType,
              "Monetary quintile 1-5 among purchasers, 5 = highest revenue; ties share a score."),
          field(FM_SCORE, DataTypes.IntegerType,
              "Combined frequency-monetary score: (frequency_score + monetary_score) / 2 rounded up."),
          field(RFM_SCORE, DataTypes.StringType, "The three scores as one code, e.g. '545' (R, F, M)."),
          field(RFM_SEGMENT, DataTypes.StringType,
              "Named segment from the R x FM grid (docs/segments-recommendations.md): Champions, Loyal, "
                  + "Potential Loyalist, New, Promising, Need Attention, About to Sleep, At Risk, Cannot Lose "
                  + "Them, Hibernating, Lost; Prospects for customers without a completed order."),
          field(CLUSTER_ID, DataTypes.IntegerType,
              "Behavioural cluster (KMeans on standardized features), numbered 1..k from the highest-value centre "
                  + "(mean log spend) down."),
          field(CLUSTER_NAME, DataTypes.StringType,
              "Readable cluster name from the traits where its centre differs most from the base.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID),
      "Customer segments per as-of date: RFM quintile scores and named RFM segment, and the behavioural "
          + "KMeans cluster (k chosen by silhouette) with a readable name.");

  private Segments() {}
}
