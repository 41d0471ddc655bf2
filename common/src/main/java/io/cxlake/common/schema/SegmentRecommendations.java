package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The segment_recommendations gold table: per RFM segment and behavioural cluster, what the
 * segment buys more than the base does (lift), the recommended action and channel, and why.
 */
public final class SegmentRecommendations {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String SEGMENT_TYPE = "segment_type";
  public static final String SEGMENT = "segment";
  public static final String CUSTOMERS = "customers";
  public static final String TOP_PRODUCTS = "top_products";
  public static final String TOP_CATEGORIES = "top_categories";
  public static final String ACTION = "action";
  public static final String CHANNEL = "channel";
  public static final String VALUE_LEVEL = "value_level";
  public static final String RATIONALE = "rationale";

  /** Fields of one top_products element. */
  public static final String PRODUCT_ID = "product_id";
  public static final String PRODUCT_NAME = "product_name";
  public static final String CATEGORY = "category";
  public static final String BUYERS = "buyers";
  public static final String LIFT = "lift";
  /** Field of one top_categories element. */
  public static final String REVENUE_SHARE = "revenue_share";

  public static final StructType PRODUCT_TYPE = new StructType()
      .add(PRODUCT_ID, DataTypes.StringType)
      .add(PRODUCT_NAME, DataTypes.StringType)
      .add(CATEGORY, DataTypes.StringType)
      .add(BUYERS, DataTypes.LongType)
      .add(LIFT, DataTypes.DoubleType);

  public static final StructType CATEGORY_TYPE = new StructType()
      .add(CATEGORY, DataTypes.StringType)
      .add(REVENUE_SHARE, DataTypes.DoubleType)
      .add(LIFT, DataTypes.DoubleType);

  public static final TableSpec TABLE = new TableSpec(
      "segment_recommendations",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the segments and purchases used."),
          field(SEGMENT_TYPE, DataTypes.StringType, "rfm or cluster, as in segment_profiles."),
          field(SEGMENT, DataTypes.StringType, "RFM segment name or cluster name."),
          field(CUSTOMERS, DataTypes.LongType, "Customers in the segment."),
          field(TOP_PRODUCTS, DataTypes.createArrayType(PRODUCT_TYPE),
              "Products with the highest lift: (segment buyers / segment customers) / (all buyers / all customers) "
                  + "over the last recommend.segment.window-days days, at least recommend.segment.min-buyers buyers."),
          field(TOP_CATEGORIES, DataTypes.createArrayType(CATEGORY_TYPE),
              "Categories with the highest lift of revenue share (segment share / base share), with the share."),
          field(ACTION, DataTypes.StringType,
              "Recommended action from the RFM playbook (for a cluster: that of its most common RFM segment)."),
          field(CHANNEL, DataTypes.StringType,
              "Most common preferred channel among the segment's consenting customers (email when none is seen)."),
          field(VALUE_LEVEL, DataTypes.StringType,
              "high, average or low: mean CLV (or spend without CLV) against the base mean (x1.25 / x0.8)."),
          field(RATIONALE, DataTypes.StringType, "The recommendation in words a marketer can act on.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, SEGMENT_TYPE, SEGMENT),
      "Segment-level personalization per as-of date: products and categories each segment over-buys (lift), "
          + "recommended action and channel, and a readable rationale.");

  private SegmentRecommendations() {}
}
