package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The recommendations gold table: the top-K products per customer and as-of date. */
public final class Recommendations {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String RANK = "rank";
  public static final String PRODUCT_ID = "product_id";
  public static final String PRODUCT_NAME = "product_name";
  public static final String CATEGORY = "category";
  public static final String SCORE = "score";
  public static final String SOURCE = "source";
  public static final String RFM_SEGMENT = "rfm_segment";

  /** source values. */
  public static final String SOURCE_ALS = "als";
  public static final String SOURCE_POPULARITY = "popularity";

  public static final TableSpec TABLE = new TableSpec(
      "recommendations",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date: interactions before the end of this day were used."),
          field(CUSTOMER_ID, DataTypes.StringType, "Customer of the segments base."),
          field(RANK, DataTypes.IntegerType, "Position 1..recommend.top-k, 1 = best."),
          field(PRODUCT_ID, DataTypes.StringType, "Recommended product."),
          field(PRODUCT_NAME, DataTypes.StringType, "Product name from the catalogue, if known."),
          field(CATEGORY, DataTypes.StringType, "Product category from the catalogue, else from its sales."),
          field(SCORE, DataTypes.DoubleType,
              "ALS preference score (source = als) or recent buyers in the customer's RFM segment "
                  + "(source = popularity); compare only within one source."),
          field(SOURCE, DataTypes.StringType,
              "als = collaborative filtering; popularity = segment popularity fallback (customer without "
                  + "interactions, or fewer than top-k ALS products left after exclusions)."),
          field(RFM_SEGMENT, DataTypes.StringType, "The customer's RFM segment (whose popularity is the fallback).")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID, RANK),
      "Top-K product recommendations per customer and as-of date from implicit-feedback ALS, with segment "
          + "popularity for cold-start customers; already bought non-repurchasable products excluded.");

  private Recommendations() {}
}
