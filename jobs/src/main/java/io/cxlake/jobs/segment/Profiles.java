package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.spark.Joins;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * segment_profiles: one row per RFM segment and per cluster. Each customer is counted once under
 * segment_type rfm and once under cluster, so within one type the sizes sum to the base.
 */
public final class Profiles {
  /** Columns the profiles need from customer_360. */
  static final List<String> CUSTOMER_COLUMNS = List.of(Customer360.CUSTOMER_ID, Customer360.MONETARY_TOTAL,
      Customer360.PURCHASE_OCCASIONS, Customer360.RECENCY_DAYS, Customer360.LAST_ORDER_TS, Customer360.NPS_CLASS,
      Customer360.MEAN_CSAT, Customer360.TICKETS_365D, Customer360.CATEGORY_SHARES, Customer360.PREFERRED_CHANNEL,
      Customer360.MARKETING_OPT_IN);

  /** Per-customer CLV and churn probability of the as-of date, null where absent. */
  static final String CLV = "_clv";
  static final String CHURN = "_churn_probability";
  private static final String CLUSTER = "_cluster";

  private Profiles() {}

  /**
   * Every customer once per segment type, with the customer_360 columns the profiles need and, when
   * given, the CLV and churn probability of the same as-of date.
   *
   * @param clv customer_id and clv from clv_predictions, when it exists for the date
   * @param churn customer_id and churn_probability from churn_scores, when it exists for the date
   */
  static Dataset<Row> tagged(Dataset<Row> segments, Dataset<Row> customer360, Optional<Dataset<Row>> clv,
      Optional<Dataset<Row>> churn) {
    Dataset<Row> base = segments.select(col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT), col(Segments.CLUSTER_ID),
            col(Segments.CLUSTER_NAME))
        .join(customer360.select(CUSTOMER_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new)),
            Segments.CUSTOMER_ID);
    base = clv.isPresent()
        ? base.join(clv.get().select(col(Segments.CUSTOMER_ID), col(ClvPredictions.CLV).as(CLV)), Joins.on(Segments.CUSTOMER_ID), "left")
        : base.withColumn(CLV, lit(null).cast(DataTypes.DoubleType));
    base = churn.isPresent()
        ? base.join(churn.get().select(col(Segments.CUSTOMER_ID), col(ChurnScores.CHURN_PROBABILITY).as(CHURN)),
            Joins.on(Segments.CUSTOMER_ID), "left")
        : base.withColumn(CHURN, lit(null).cast(DataTypes.DoubleType));
    Dataset<Row> rfm = base.withColumn(SegmentProfiles.SEGMENT_TYPE, lit(SegmentProfiles.TYPE_RFM))
        .withColumn(SegmentProfiles.SEGMENT, col(Segments.RFM_SEGMENT))
        .withColumn(CLUSTER, lit(null).cast(DataTypes.IntegerType));
    Dataset<Row> clusters = base.withColumn(SegmentProfiles.SEGMENT_TYPE, lit(SegmentProfiles.TYPE_CLUSTER))
        .withColumn(SegmentProfiles.SEGMENT, col(Segments.CLUSTER_NAME))
        .withColumn(CLUSTER, col(Segments.CLUSTER_ID));
    return rfm.unionByName(clusters);
  }

  /**
   * The profile rows (without as_of_date).
   *
   * @param tagged output of {@link #tagged}
   * @param withClv whether CLV exists for the date (else the CLV columns are null rather than 0)
   * @param withChurn whether churn scores exist for the date
   */
  static Dataset<Row> build(Dataset<Row> tagged, boolean withClv, boolean withChurn, SegmentConfig config) {
    Column[] groupKeys = {col(SegmentProfiles.SEGMENT_TYPE), col(SegmentProfiles.SEGMENT)};
    Column purchaser = col(Customer360.LAST_ORDER_TS).isNotNull();
    Column nps = col(Customer360.NPS_CLASS);
    Column clv = coalesce(col(CLV), lit(0.0));
    Column respondents = count(nps);
    Column nullDouble = lit(null).cast(DataTypes.DoubleType);
    List<Column> aggs = new ArrayList<>(List.of(
        avg(coalesce(col(Customer360.MONETARY_TOTAL), lit(0.0))).as(SegmentProfiles.MEAN_MONETARY),
        avg(col(Customer360.PURCHASE_OCCASIONS)).as(SegmentProfiles.MEAN_FREQUENCY),
        avg(when(purchaser, col(Customer360.RECENCY_DAYS))).as(SegmentProfiles.MEAN_RECENCY_DAYS),
        (withClv ? avg(clv) : nullDouble).as(SegmentProfiles.MEAN_CLV),
        (withClv ? percentile_approx(clv, lit(0.5), lit(10000)) : nullDouble).as(SegmentProfiles.MEDIAN_CLV),
        (withChurn ? avg(col(CHURN)) : nullDouble).as(SegmentProfiles.MEAN_CHURN_PROBABILITY),
        avg(when(purchaser, col(Customer360.RECENCY_DAYS).gt(config.inactiveDays()).cast(DataTypes.DoubleType)))
            .as(SegmentProfiles.INACTIVE_RATE),
        when(respondents.gt(0),
            count(when(nps.equalTo(Customer360.NPS_PROMOTER), lit(1)))
                .minus(count(when(nps.equalTo(Customer360.NPS_DETRACTOR), lit(1))))
                .multiply(100.0).divide(respondents)).as(SegmentProfiles.NPS),
        respondents.as(SegmentProfiles.NPS_RESPONDENTS),
        avg(col(Customer360.MEAN_CSAT)).as(SegmentProfiles.MEAN_CSAT),
        avg(col(Customer360.TICKETS_365D)).as(SegmentProfiles.TICKETS_PER_CUSTOMER),
        avg(coalesce(col(Customer360.MARKETING_OPT_IN), lit(false)).cast(DataTypes.DoubleType))
            .as(SegmentProfiles.OPT_IN_SHARE),
        first(col(CLUSTER), true).as(SegmentProfiles.CLUSTER_ID)));
    Dataset<Row> main = tagged.groupBy(groupKeys)
        .agg(count(lit(1)).as(SegmentProfiles.CUSTOMERS), aggs.toArray(Column[]::new))
        .withColumn(SegmentProfiles.SHARE, col(SegmentProfiles.CUSTOMERS)
            .divide(sum(SegmentProfiles.CUSTOMERS).over(Window.partitionBy(SegmentProfiles.SEGMENT_TYPE))));

    Dataset<Row> channels = tagged
        .groupBy(col(SegmentProfiles.SEGMENT_TYPE), col(SegmentProfiles.SEGMENT),
            coalesce(col(Customer360.PREFERRED_CHANNEL), lit(SegmentProfiles.NO_CHANNEL)).as("_channel"))
        .agg(count(lit(1)).as("_n"))
        .withColumn("_share", col("_n").divide(sum("_n").over(
            Window.partitionBy(SegmentProfiles.SEGMENT_TYPE, SegmentProfiles.SEGMENT))))
        .groupBy(groupKeys)
        .agg(map_from_entries(collect_list(struct(col("_channel"), col("_share")))).as(SegmentProfiles.CHANNEL_MIX));

    Dataset<Row> categories = tagged
        .select(col(SegmentProfiles.SEGMENT_TYPE), col(SegmentProfiles.SEGMENT),
            explode(col(Customer360.CATEGORY_SHARES)).as(new String[] {"_category", "_share"}),
            col(Customer360.MONETARY_TOTAL))
        .groupBy(col(SegmentProfiles.SEGMENT_TYPE), col(SegmentProfiles.SEGMENT), col("_category"))
        .agg(sum(col("_share").multiply(col(Customer360.MONETARY_TOTAL))).as("_revenue"))
        .withColumn("_rank", row_number().over(Window.partitionBy(SegmentProfiles.SEGMENT_TYPE, SegmentProfiles.SEGMENT)
            .orderBy(col("_revenue").desc(), col("_category"))))
        .filter(col("_rank").leq(config.topCategories()))
        .groupBy(groupKeys)
        .agg(transform(sort_array(collect_list(struct(col("_rank"), col("_category")))), e -> e.getField("_category"))
            .as(SegmentProfiles.TOP_CATEGORIES));

    return main.join(channels, Joins.on(SegmentProfiles.SEGMENT_TYPE, SegmentProfiles.SEGMENT), "left")
        .join(categories, Joins.on(SegmentProfiles.SEGMENT_TYPE, SegmentProfiles.SEGMENT), "left")
        .withColumn(SegmentProfiles.TOP_CATEGORIES,
            coalesce(col(SegmentProfiles.TOP_CATEGORIES), array().cast("array<string>")));
  }
}
