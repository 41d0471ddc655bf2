package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The recommendation_metrics gold table: offline evaluation of the recommenders on a time split
 * (train before the last recommend.test-days days, test on the purchases in them).
 */
public final class RecommendationMetrics {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String MODEL = "model";
  public static final String PRECISION_AT_10 = "precision_at_10";
  public static final String RECALL_AT_10 = "recall_at_10";
  public static final String MAP_AT_10 = "map_at_10";
  public static final String COVERAGE = "coverage";
  public static final String USERS = "users";
  public static final String COLD_START_USERS = "cold_start_users";
  public static final String TRAIN_END = "train_end";
  public static final String TEST_START = "test_start";
  public static final String TEST_END = "test_end";
  public static final String RANK = "rank";
  public static final String REG_PARAM = "reg_param";
  public static final String ALPHA = "alpha";
  public static final String VALIDATION_MAP_AT_10 = "validation_map_at_10";

  /** model values. */
  public static final String MODEL_ALS = "als";
  public static final String MODEL_POPULARITY = "popularity";

  public static final TableSpec TABLE = new TableSpec(
      "recommendation_metrics",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "As-of date of the recommend run; test_end is this day."),
          field(MODEL, DataTypes.StringType,
              "als (ALS with the popularity fallback, as served) or popularity (most bought products)."),
          field(PRECISION_AT_10, DataTypes.DoubleType,
              "Mean over test customers of relevant products in the top 10 / 10."),
          field(RECALL_AT_10, DataTypes.DoubleType,
              "Mean over test customers of relevant products in the top 10 / relevant products."),
          field(MAP_AT_10, DataTypes.DoubleType,
              "Mean average precision at 10: per customer the sum of precision@i at each hit i <= 10, "
                  + "divided by min(relevant products, 10); averaged over test customers."),
          field(COVERAGE, DataTypes.DoubleType,
              "Distinct products in the test customers' top 10 lists / products with interactions in training."),
          field(USERS, DataTypes.LongType,
              "Test customers: customers of the base with at least one relevant product in the test window."),
          field(COLD_START_USERS, DataTypes.LongType, "Test customers without training interactions (popularity fallback)."),
          field(TRAIN_END, DataTypes.DateType, "Last day of the training data."),
          field(TEST_START, DataTypes.DateType, "First day of the test window."),
          field(TEST_END, DataTypes.DateType, "Last day of the test window."),
          field(RANK, DataTypes.IntegerType, "ALS rank chosen on the validation window; null for popularity."),
          field(REG_PARAM, DataTypes.DoubleType, "ALS regParam chosen on the validation window; null for popularity."),
          field(ALPHA, DataTypes.DoubleType, "ALS implicit confidence alpha chosen; null for popularity."),
          field(VALIDATION_MAP_AT_10, DataTypes.DoubleType,
              "MAP@10 of the chosen hyper-parameters on the validation window before the test window; "
                  + "null when the grid has one point.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, MODEL),
      "Offline evaluation of ALS and the popularity baseline on a time split: precision, recall and MAP at 10, "
          + "catalogue coverage, split dates and the chosen ALS hyper-parameters.");

  private RecommendationMetrics() {}
}
