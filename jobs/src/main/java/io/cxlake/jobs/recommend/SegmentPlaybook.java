package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * segment_recommendations: per RFM segment and behavioural cluster, the products and categories the
 * segment buys more than the base (lift), the playbook action for the segment, the channel its
 * consenting customers engage with, and a sentence a marketer can act on. The per-segment
 * aggregates are computed in Spark; the few resulting rows are assembled on the driver.
 */
public final class SegmentPlaybook {
  /**
   * What to do with a segment.
   *
   * @param action the key stored in segment_recommendations.action
   * @param phrase what to do, in a marketer's words
   */
  public record Play(String action, String phrase) {}

  /**
   * The play of each RFM segment, in the spirit of the RFM practice the segment names come from.
   * The phrase is followed by the segment's top category where it has one.
   */
  public static final Map<String, Play> PLAYBOOK = Map.ofEntries(
      Map.entry(Segments.CHAMPIONS, new Play("reward", "reward them with early access and ask for referrals")),
      Map.entry(Segments.LOYAL, new Play("upsell", "upsell higher-value products")),
      Map.entry(Segments.POTENTIAL_LOYALIST, new Play("loyalty_offer", "offer membership or loyalty perks")),
      Map.entry(Segments.NEW, new Play("onboard", "onboard them with a first-order follow-up and starter picks")),
      Map.entry(Segments.PROMISING, new Play("nurture", "build awareness with a trial offer")),
      Map.entry(Segments.NEED_ATTENTION, new Play("reactivate", "send a limited-time offer based on their history")),
      Map.entry(Segments.ABOUT_TO_SLEEP, new Play("reengage", "re-engage with popular products and a renewal discount")),
      Map.entry(Segments.AT_RISK, new Play("win_back", "win-back with the category they buy most")),
      Map.entry(Segments.CANNOT_LOSE_THEM, new Play("win_back_personal",
          "win them back personally (a call or a tailored offer) with newer products")),
      Map.entry(Segments.HIBERNATING, new Play("reactivate_discount", "offer relevant products at a special discount")),
      Map.entry(Segments.LOST, new Play("revive_or_ignore", "try one revival campaign, then stop spending on them")),
      Map.entry(Segments.PROSPECTS, new Play("welcome", "send a welcome offer on the best sellers")));

  /** The play of an RFM segment; an unknown segment is treated as a prospect. */
  static Play play(String rfmSegment) {
    return PLAYBOOK.getOrDefault(rfmSegment, PLAYBOOK.get(Segments.PROSPECTS));
  }

  /** Channel when no consenting customer of the segment shows a preference. */
  public static final String DEFAULT_CHANNEL = "email";

  private static final String TYPE = SegmentProfiles.SEGMENT_TYPE;
  private static final String SEGMENT = SegmentProfiles.SEGMENT;
  private static final String CUSTOMER_ID = Interactions.CUSTOMER_ID;
  private static final String PRODUCT_ID = Interactions.PRODUCT_ID;

  private SegmentPlaybook() {}

  /** high, average or low: a segment's mean value against the base's (x1.25 and x0.8 bounds). */
  static String valueLevel(double segmentMean, double baseMean) {
    if (baseMean <= 0) {
      return "average";
    }
    double ratio = segmentMean / baseMean;
    return ratio >= 1.25 ? "high" : ratio <= 0.8 ? "low" : "average";
  }

  /**
   * The marketer's sentence, e.g. "At Risk, prefers email, high CLV: win-back with the category they
   * buy most (home)".
   *
   * @param label the segment as a marketer knows it
   * @param rfmSegment the RFM segment whose playbook applies
   * @param valueWord "CLV", or "spend" when there is no CLV
   * @param topCategory the category with the largest share of the segment's revenue, or null
   */
  static String rationale(String label, String rfmSegment, String channel, String level, String valueWord,
      String topCategory) {
    String category = topCategory == null || rfmSegment.equals(Segments.PROSPECTS) ? "" : " (" + topCategory + ")";
    return label + ", prefers " + channel + ", " + level + " " + valueWord + ": " + play(rfmSegment).phrase() + category;
  }

  /** Each customer once as rfm and once as cluster: segment_type, segment, customer_id, rfm_segment. */
  static Dataset<Row> tagged(Dataset<Row> segments) {
    Dataset<Row> rfm = segments.select(lit(SegmentProfiles.TYPE_RFM).as(TYPE), col(Segments.RFM_SEGMENT).as(SEGMENT),
        col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT));
    Dataset<Row> cluster = segments.select(lit(SegmentProfiles.TYPE_CLUSTER).as(TYPE),
        col(Segments.CLUSTER_NAME).as(SEGMENT), col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT));
    return rfm.unionByName(cluster);
  }

  /**
   * The table's rows (as_of_date included).
   *
   * @param segments the segments of the as-of date
   * @param profiles the segment_profiles of the as-of date
   * @param customer360 the customer_360 of the as-of date (preferred channel, consent)
   * @param transactions silver transactions
   * @param products the product dimension ({@link io.cxlake.common.features.ProductDimension})
   */
  static List<Row> build(Dataset<Row> segments, Dataset<Row> profiles, Dataset<Row> customer360,
      Dataset<Row> transactions, Dataset<Row> products, RecommendConfig config) {
    AsOf asOf = config.asOf();
    Dataset<Row> tagged = tagged(segments);
    List<Row> profileRows = profiles.select(TYPE, SEGMENT, SegmentProfiles.CUSTOMERS, SegmentProfiles.MEAN_CLV,
        SegmentProfiles.MEAN_MONETARY, SegmentProfiles.TOP_CATEGORIES).collectAsList();
    long base = profileRows.stream().filter(r -> r.getString(0).equals(SegmentProfiles.TYPE_RFM))
        .mapToLong(r -> r.getLong(2)).sum();
    Dataset<Row> sizes = profiles.select(col(TYPE), col(SEGMENT), col(SegmentProfiles.CUSTOMERS).as("_size"));

    Dataset<Row> bought = Interactions.completedLines(transactions)
        .filter(asOf.within(col(Transactions.ORDER_TS), config.segmentWindowDays()))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.PRODUCT_ID).as(PRODUCT_ID),
            Transactions.netAmount().as("_amount"))
        .join(products.select(PRODUCT_ID, Interactions.CATEGORY), PRODUCT_ID, "left");

    Map<String, List<Row>> topProducts = collectByKey(topProducts(bought, tagged, sizes, products, base, config));
    Map<String, List<Row>> topCategories = collectByKey(topCategories(bought, tagged, config));
    Map<String, String> channels = new HashMap<>();
    for (Row r : channels(tagged, customer360).collectAsList()) {
      channels.put(key(r.getString(0), r.getString(1)), r.getString(2));
    }
    Map<String, String> dominant = new HashMap<>();
    for (Row r : dominantRfm(tagged).collectAsList()) {
      dominant.put(r.getString(0), r.getString(1));
    }

    boolean withClv = profileRows.stream().anyMatch(r -> !r.isNullAt(3));
    int valueColumn = withClv ? 3 : 4;
    double baseValue = profileRows.stream().filter(r -> r.getString(0).equals(SegmentProfiles.TYPE_RFM))
        .mapToDouble(r -> r.getLong(2) * (r.isNullAt(valueColumn) ? 0.0 : r.getDouble(valueColumn))).sum()
        / Math.max(1, base);
    List<Row> out = new ArrayList<>();
    for (Row p : profileRows) {
      String type = p.getString(0);
      String segment = p.getString(1);
      String key = key(type, segment);
      boolean rfm = type.equals(SegmentProfiles.TYPE_RFM);
      String rfmSegment = rfm ? segment : dominant.getOrDefault(segment, Segments.PROSPECTS);
      String channel = channels.getOrDefault(key, DEFAULT_CHANNEL);
      String level = valueLevel(p.isNullAt(valueColumn) ? 0.0 : p.getDouble(valueColumn), baseValue);
      List<String> cats = p.getList(5);
      String label = rfm ? segment : "Cluster '" + segment + "' (mostly " + rfmSegment + ")";
      out.add(SegmentRecommendations.TABLE.row()
          .set(SegmentRecommendations.AS_OF_DATE, Date.valueOf(asOf.date()))
          .set(SegmentRecommendations.SEGMENT_TYPE, type)
          .set(SegmentRecommendations.SEGMENT, segment)
          .set(SegmentRecommendations.CUSTOMERS, p.getLong(2))
          .set(SegmentRecommendations.TOP_PRODUCTS, topProducts.getOrDefault(key, List.of()))
          .set(SegmentRecommendations.TOP_CATEGORIES, topCategories.getOrDefault(key, List.of()))
          .set(SegmentRecommendations.ACTION, play(rfmSegment).action())
          .set(SegmentRecommendations.CHANNEL, channel)
          .set(SegmentRecommendations.VALUE_LEVEL, level)
          .set(SegmentRecommendations.RATIONALE, rationale(label, rfmSegment, channel, level, withClv ? "CLV" : "spend",
              cats.isEmpty() ? null : cats.get(0)))
          .build());
    }
    return out;
  }

  private static String key(String type, String segment) {
    return type + "\u0000" + segment;
  }

  /** Rows of (type, segment, array of structs) into a map by segment key. */
  private static Map<String, List<Row>> collectByKey(Dataset<Row> lists) {
    Map<String, List<Row>> out = new HashMap<>();
    for (Row r : lists.collectAsList()) {
      out.put(key(r.getString(0), r.getString(1)), r.getList(2));
    }
    return out;
  }

  private static WindowSpec perSegment() {
    return Window.partitionBy(TYPE, SEGMENT);
  }

  /** Products with the highest lift per segment, with at least min-buyers buyers in it. */
  static Dataset<Row> topProducts(Dataset<Row> bought, Dataset<Row> tagged, Dataset<Row> sizes, Dataset<Row> products,
      long base, RecommendConfig config) {
    Dataset<Row> pairs = bought.select(CUSTOMER_ID, PRODUCT_ID).distinct();
    Dataset<Row> overall = pairs.groupBy(PRODUCT_ID).agg(count(lit(1)).as("_all_buyers"));
    Column lift = col(SegmentRecommendations.BUYERS).divide(col("_size"))
        .divide(col("_all_buyers").divide((double) Math.max(1, base)));
    return pairs.join(tagged, CUSTOMER_ID)
        .groupBy(TYPE, SEGMENT, PRODUCT_ID)
        .agg(count(lit(1)).as(SegmentRecommendations.BUYERS))
        .filter(col(SegmentRecommendations.BUYERS).geq(config.segmentMinBuyers()))
        .join(sizes, Joins.on(TYPE, SEGMENT))
        .join(overall, PRODUCT_ID)
        .withColumn(SegmentRecommendations.LIFT, lift)
        .withColumn("_rank", row_number().over(perSegment()
            .orderBy(col(SegmentRecommendations.LIFT).desc(), col(SegmentRecommendations.BUYERS).desc(), col(PRODUCT_ID))))
        .filter(col("_rank").leq(config.segmentTopProducts()))
        .join(products, PRODUCT_ID, "left")
        .groupBy(TYPE, SEGMENT)
        .agg(transform(sort_array(collect_list(struct(col("_rank"),
                struct(col(PRODUCT_ID).as(SegmentRecommendations.PRODUCT_ID),
                    col(Interactions.PRODUCT_NAME).as(SegmentRecommendations.PRODUCT_NAME),
                    col(Interactions.CATEGORY).as(SegmentRecommendations.CATEGORY),
                    col(SegmentRecommendations.BUYERS), col(SegmentRecommendations.LIFT)).as("_p")))),
            e -> e.getField("_p")).as("_list"));
  }

  /** Categories with the highest lift of revenue share per segment, with at least min-buyers buyers. */
  static Dataset<Row> topCategories(Dataset<Row> bought, Dataset<Row> tagged, RecommendConfig config) {
    Dataset<Row> withCategory = bought.filter(col(Interactions.CATEGORY).isNotNull());
    Dataset<Row> overall = withCategory.groupBy(Interactions.CATEGORY).agg(sum("_amount").as("_all_amount"))
        .withColumn("_all_share", col("_all_amount").divide(sum("_all_amount").over(Window.partitionBy(lit(1)))));
    Column share = col("_amount_sum").divide(sum("_amount_sum").over(perSegment()));
    return withCategory.join(tagged, CUSTOMER_ID)
        .groupBy(TYPE, SEGMENT, Interactions.CATEGORY)
        .agg(sum("_amount").as("_amount_sum"), countDistinct(CUSTOMER_ID).as("_buyers"))
        .withColumn(SegmentRecommendations.REVENUE_SHARE, share)
        .filter(col("_buyers").geq(config.segmentMinBuyers()))
        .join(overall, Interactions.CATEGORY)
        .withColumn(SegmentRecommendations.LIFT, col(SegmentRecommendations.REVENUE_SHARE).divide(col("_all_share")))
        .withColumn("_rank", row_number().over(perSegment()
            .orderBy(col(SegmentRecommendations.LIFT).desc(), col(Interactions.CATEGORY))))
        .filter(col("_rank").leq(config.segmentTopCategories()))
        .groupBy(TYPE, SEGMENT)
        .agg(transform(sort_array(collect_list(struct(col("_rank"),
                struct(col(Interactions.CATEGORY).as(SegmentRecommendations.CATEGORY),
                    col(SegmentRecommendations.REVENUE_SHARE), col(SegmentRecommendations.LIFT)).as("_c")))),
            e -> e.getField("_c")).as("_list"));
  }

  /** The most common preferred channel of each segment's consenting customers (ties alphabetical). */
  static Dataset<Row> channels(Dataset<Row> tagged, Dataset<Row> customer360) {
    return tagged.join(customer360.select(Customer360.CUSTOMER_ID, Customer360.PREFERRED_CHANNEL,
            Customer360.MARKETING_OPT_IN), CUSTOMER_ID)
        .filter(col(Customer360.MARKETING_OPT_IN).equalTo(true).and(col(Customer360.PREFERRED_CHANNEL).isNotNull()))
        .groupBy(TYPE, SEGMENT, Customer360.PREFERRED_CHANNEL)
        .agg(count(lit(1)).as("_n"))
        .withColumn("_rank", row_number().over(perSegment()
            .orderBy(col("_n").desc(), col(Customer360.PREFERRED_CHANNEL))))
        .filter(col("_rank").equalTo(1))
        .select(TYPE, SEGMENT, Customer360.PREFERRED_CHANNEL);
  }

  /** Each cluster's most common RFM segment (ties: the better segment, in grid order). */
  static Dataset<Row> dominantRfm(Dataset<Row> tagged) {
    Column order = lit(Segments.RFM_SEGMENTS.size());
    for (int i = Segments.RFM_SEGMENTS.size() - 1; i >= 0; i--) {
      order = org.apache.spark.sql.functions.when(col(Segments.RFM_SEGMENT).equalTo(Segments.RFM_SEGMENTS.get(i)), lit(i))
          .otherwise(order);
    }
    return tagged.filter(col(TYPE).equalTo(SegmentProfiles.TYPE_CLUSTER))
        .groupBy(col(SEGMENT), col(Segments.RFM_SEGMENT))
        .agg(count(lit(1)).as("_n"))
        .withColumn("_rank", row_number().over(Window.partitionBy(SEGMENT)
            .orderBy(col("_n").desc(), order)))
        .filter(col("_rank").equalTo(1))
        .select(SEGMENT, Segments.RFM_SEGMENT);
  }
}
