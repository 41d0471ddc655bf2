package io.cxlake.jobs.sample;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The ground-truth folder {@link GenerateSampleJob} writes next to a landing zone: what each
 * customer really was and did, which landing rows were broken on purpose, and the population
 * parameters. Tests and notebooks compare the pipeline's outputs against it.
 */
public final class SampleTruth {
  /** Folder of the per-customer truth (Parquet). */
  public static final String CUSTOMERS = "customers";
  /** Folder of the planted bad rows (Parquet). */
  public static final String BAD_ROWS = "bad_rows";
  /** Folder of the one-row population parameters (Parquet). */
  public static final String PARAMS = "params";

  public static final String CUSTOMER_ID = "customer_id";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  /** BG/NBD purchase rate, per week. */
  public static final String LAMBDA_PER_WEEK = "lambda_per_week";
  /** BG/NBD dropout probability per repeat purchase (channel multiplier applied), before support/NPS effects. */
  public static final String DROPOUT_P = "dropout_p";
  /** Gamma-Gamma per-customer scale nu. */
  public static final String GG_NU = "gg_nu";
  /** gg_p / gg_nu: the customer's mean order value. */
  public static final String EXPECTED_ORDER_VALUE = "expected_order_value";
  public static final String FIRST_PURCHASE_TS = "first_purchase_ts";
  /** The purchase after which the customer dropped out; null when alive at the end of the history. */
  public static final String DROPOUT_TS = "dropout_ts";
  public static final String ALIVE = "alive";
  /** Purchase occasions generated (cancelled orders excluded). */
  public static final String PURCHASES = "purchases";
  public static final String BAD_SUPPORT_EXPERIENCES = "bad_support_experiences";
  public static final String DETRACTOR = "detractor";
  public static final String FAVOURITE_CATEGORY = "favourite_category";

  public static final String SOURCE = "source";
  /** The broken row's key as written; null when the defect is a blank key. */
  public static final String RECORD_KEY = "record_key";
  /** A {@link io.cxlake.common.schema.Quarantine.Reason} name. */
  public static final String EXPECTED_REASON = "expected_reason";

  public static final String R = "r";
  public static final String ALPHA = "alpha";
  public static final String A = "a";
  public static final String B = "b";
  public static final String GG_P = "gg_p";
  public static final String GG_Q = "gg_q";
  public static final String GG_GAMMA = "gg_gamma";
  public static final String SEED = "seed";
  public static final String CUSTOMER_COUNT = "customers";
  public static final String AS_OF = "as_of";
  public static final String HISTORY_DAYS = "history_days";
  public static final String PRODUCTS = "products";
  public static final String BAD_ROW_RATE = "bad_row_rate";

  /** Schema of {@link #CUSTOMERS}. */
  public static final StructType CUSTOMERS_SCHEMA = schema(
      DataTypes.createStructField(CUSTOMER_ID, DataTypes.StringType, false),
      DataTypes.createStructField(ACQUISITION_CHANNEL, DataTypes.StringType, true),
      DataTypes.createStructField(LAMBDA_PER_WEEK, DataTypes.DoubleType, false),
      DataTypes.createStructField(DROPOUT_P, DataTypes.DoubleType, false),
      DataTypes.createStructField(GG_NU, DataTypes.DoubleType, false),
      DataTypes.createStructField(EXPECTED_ORDER_VALUE, DataTypes.DoubleType, false),
      DataTypes.createStructField(FIRST_PURCHASE_TS, DataTypes.TimestampType, true),
      DataTypes.createStructField(DROPOUT_TS, DataTypes.TimestampType, true),
      DataTypes.createStructField(ALIVE, DataTypes.BooleanType, false),
      DataTypes.createStructField(PURCHASES, DataTypes.IntegerType, false),
      DataTypes.createStructField(BAD_SUPPORT_EXPERIENCES, DataTypes.IntegerType, false),
      DataTypes.createStructField(DETRACTOR, DataTypes.BooleanType, false),
      DataTypes.createStructField(FAVOURITE_CATEGORY, DataTypes.StringType, true));

  /** Schema of {@link #BAD_ROWS}. */
  public static final StructType BAD_ROWS_SCHEMA = schema(
      DataTypes.createStructField(SOURCE, DataTypes.StringType, false),
      DataTypes.createStructField(RECORD_KEY, DataTypes.StringType, true),
      DataTypes.createStructField(EXPECTED_REASON, DataTypes.StringType, false));

  /** Schema of {@link #PARAMS}. */
  public static final StructType PARAMS_SCHEMA = schema(
      DataTypes.createStructField(R, DataTypes.DoubleType, false),
      DataTypes.createStructField(ALPHA, DataTypes.DoubleType, false),
      DataTypes.createStructField(A, DataTypes.DoubleType, false),
      DataTypes.createStructField(B, DataTypes.DoubleType, false),
      DataTypes.createStructField(GG_P, DataTypes.DoubleType, false),
      DataTypes.createStructField(GG_Q, DataTypes.DoubleType, false),
      DataTypes.createStructField(GG_GAMMA, DataTypes.DoubleType, false),
      DataTypes.createStructField(SEED, DataTypes.LongType, false),
      DataTypes.createStructField(CUSTOMER_COUNT, DataTypes.LongType, false),
      DataTypes.createStructField(AS_OF, DataTypes.DateType, false),
      DataTypes.createStructField(HISTORY_DAYS, DataTypes.IntegerType, false),
      DataTypes.createStructField(PRODUCTS, DataTypes.IntegerType, false),
      DataTypes.createStructField(BAD_ROW_RATE, DataTypes.DoubleType, false));

  private SampleTruth() {}

  private static StructType schema(StructField... fields) {
    return new StructType(fields);
  }

  /** The truth folder's sub-folders. */
  public static List<String> folders() {
    return List.of(CUSTOMERS, BAD_ROWS, PARAMS);
  }
}
