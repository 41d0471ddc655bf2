package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Durations;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The implicit feedback the recommenders learn from, and the purchases they are judged on, all
 * point-in-time at a cut-off. Purchases are completed order lines; add-to-cart and product views
 * are web events attributed to the customer as of the cut-off.
 */
public final class Interactions {
  public static final String CUSTOMER_ID = "customer_id";
  public static final String PRODUCT_ID = "product_id";
  public static final String WEIGHT = "weight";
  public static final String PRODUCT_NAME = ProductDimension.PRODUCT_NAME;
  public static final String CATEGORY = ProductDimension.CATEGORY;
  public static final String BUYERS = "buyers";

  private static final String TS = "_ts";
  private static final String BASE_WEIGHT = "_base_weight";

  private Interactions() {}

  /** Completed order lines with a product. */
  static Dataset<Row> completedLines(Dataset<Row> transactions) {
    return transactions.filter(Transactions.completed().and(col(Transactions.PRODUCT_ID).isNotNull()));
  }

  /**
   * One row per customer and product with the decayed weight of its events in the lookback window
   * before the cut-off: sum of weight x 0.5^(age days / half-life).
   */
  public static Dataset<Row> weights(Dataset<Row> transactions, Dataset<Row> webEvents, AsOf cutoff,
      RecommendConfig config) {
    Dataset<Row> purchases = completedLines(transactions)
        .filter(cutoff.within(col(Transactions.ORDER_TS), config.lookbackDays()))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.PRODUCT_ID).as(PRODUCT_ID),
            col(Transactions.ORDER_TS).as(TS), lit(config.purchaseWeight()).as(BASE_WEIGHT));
    Column type = col(WebEvents.EVENT_TYPE);
    Dataset<Row> web = CustomerFeatures.attributedEvents(webEvents, cutoff)
        .filter(col(WebEvents.PRODUCT_ID).isNotNull()
            .and(type.isin(WebEvents.ADD_TO_CART, WebEvents.PRODUCT_VIEW))
            .and(cutoff.within(col(WebEvents.EVENT_TS), config.lookbackDays())))
        .select(col(CUSTOMER_ID), col(WebEvents.PRODUCT_ID).as(PRODUCT_ID), col(WebEvents.EVENT_TS).as(TS),
            when(type.equalTo(WebEvents.ADD_TO_CART), lit(config.cartWeight())).otherwise(lit(config.viewWeight()))
                .as(BASE_WEIGHT));
    Column age = cutoff.daysSince(col(TS));
    return purchases.unionByName(web)
        .filter(col(BASE_WEIGHT).gt(0))
        .groupBy(CUSTOMER_ID, PRODUCT_ID)
        .agg(sum(col(BASE_WEIGHT).multiply(pow(lit(0.5), age.divide(config.halfLifeDays())))).as(WEIGHT));
  }

  /** Distinct (customer, product) pairs of completed purchases in [from, to). */
  public static Dataset<Row> purchasesBetween(Dataset<Row> transactions, Instant from, Instant to) {
    return completedLines(transactions)
        .filter(Durations.between(col(Transactions.ORDER_TS), from, to))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.PRODUCT_ID).as(PRODUCT_ID))
        .distinct();
  }

  /**
   * Pairs a customer must not be recommended: products bought before the cut-off whose category is
   * not repurchasable (unknown categories per {@code unknown-category-repurchasable}).
   *
   * @param products product_id and category, from {@link ProductDimension}
   */
  public static Dataset<Row> exclusions(Dataset<Row> transactions, Dataset<Row> products, AsOf cutoff,
      RecommendConfig config) {
    Column category = col(CATEGORY);
    Column repurchasable = config.repurchasable().isEmpty() ? lit(false)
        : category.isin(config.repurchasable().toArray());
    Column again = when(category.isNull(), lit(config.unknownCategoryRepurchasable())).otherwise(repurchasable);
    return completedLines(transactions)
        .filter(cutoff.visible(col(Transactions.ORDER_TS)))
        .select(col(Transactions.CUSTOMER_ID).as(CUSTOMER_ID), col(Transactions.PRODUCT_ID).as(PRODUCT_ID))
        .distinct()
        .join(products.select(PRODUCT_ID, CATEGORY), Joins.on(PRODUCT_ID), "left")
        .filter(coalesce(again, lit(false)).unary_$bang())
        .select(CUSTOMER_ID, PRODUCT_ID);
  }

  /**
   * Distinct recent buyers per product in the popularity window before the cut-off, per group of
   * customers: {@code group, product_id, buyers}.
   *
   * @param customerGroups customer_id and a {@code group} column (the RFM segment, or one constant)
   */
  public static Dataset<Row> buyers(Dataset<Row> transactions, Dataset<Row> customerGroups, String groupColumn,
      AsOf cutoff, int days) {
    return purchasesBetween(transactions, cutoff.daysBefore(days), cutoff.cutoff())
        .join(customerGroups, CUSTOMER_ID)
        .groupBy(col(groupColumn), col(PRODUCT_ID))
        .agg(countDistinct(col(CUSTOMER_ID)).as(BUYERS));
  }
}
