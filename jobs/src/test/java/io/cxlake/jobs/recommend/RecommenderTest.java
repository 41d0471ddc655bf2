package io.cxlake.jobs.recommend;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Implicit feedback weights, exclusions and how ALS and popularity make one list. */
@ExtendWith(SparkExtension.class)
class RecommenderTest {
  private static final AsOf AS_OF = AsOf.parse("2026-03-31");

  private static RecommendConfig config() {
    return RecommendConfig.from(CxConfig.defaults(), new TableCatalog("/tmp/unused"), AS_OF);
  }

  private static Fixtures.Builder line(Fixtures.Builder b, String id, String customer, String product, String ts,
      String status) {
    return b.with(Transactions.TRANSACTION_ID, id, Transactions.ORDER_ID, "O" + id, Transactions.CUSTOMER_ID, customer,
        Transactions.PRODUCT_ID, product, Transactions.ORDER_TS, ts(ts), Transactions.QUANTITY, 1,
        Transactions.UNIT_PRICE, 10.0, Transactions.NET_AMOUNT, 10.0, Transactions.STATUS, status);
  }

  @Test
  void weightsDecayWithAgeAndRankPurchasesAboveCartsAboveViews(SparkSession spark) {
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "T1", "C1", "P1", "2026-01-01T00:00:00", "completed");   // 90 days before the cut-off
    line(tx, "T2", "C1", "P3", "2026-03-30T00:00:00", "returned");    // not a purchase
    line(tx, "T3", "C2", "P1", "2026-04-05T00:00:00", "completed");   // after the as-of day
    Fixtures.Builder web = Fixtures.frame(WebEvents.TABLE.schema());
    web.with(WebEvents.EVENT_ID, "E1", WebEvents.CUSTOMER_ID, "C1", WebEvents.EVENT_TYPE, WebEvents.PRODUCT_VIEW,
        WebEvents.PRODUCT_ID, "P1", WebEvents.EVENT_TS, ts("2026-01-01T00:00:00"));
    web.with(WebEvents.EVENT_ID, "E2", WebEvents.CUSTOMER_ID, "C1", WebEvents.EVENT_TYPE, WebEvents.ADD_TO_CART,
        WebEvents.PRODUCT_ID, "P2", WebEvents.EVENT_TS, ts("2025-10-03T00:00:00"));  // 180 days
    web.with(WebEvents.EVENT_ID, "E3", WebEvents.RESOLVED_CUSTOMER_ID, "C2", WebEvents.RESOLVED_TS,
        ts("2026-04-02T00:00:00"), WebEvents.EVENT_TYPE, WebEvents.PRODUCT_VIEW, WebEvents.PRODUCT_ID, "P2",
        WebEvents.EVENT_TS, ts("2026-03-30T00:00:00"));  // anonymous until a login after the cut-off
    web.with(WebEvents.EVENT_ID, "E4", WebEvents.CUSTOMER_ID, "C2", WebEvents.EVENT_TYPE, WebEvents.PRODUCT_VIEW,
        WebEvents.PRODUCT_ID, "P2", WebEvents.EVENT_TS, ts("2026-03-02T00:00:00"));  // 30 days
    web.with(WebEvents.EVENT_ID, "E5", WebEvents.CUSTOMER_ID, "C2", WebEvents.EVENT_TYPE, WebEvents.PAGE_VIEW,
        WebEvents.EVENT_TS, ts("2026-03-02T00:00:00"));

    List<Row> weights = Interactions.weights(tx.build(spark), web.build(spark), AS_OF, config())
        .orderBy(Interactions.CUSTOMER_ID, Interactions.PRODUCT_ID).collectAsList();
    assertThat(weights).extracting(r -> r.getString(0) + "/" + r.getString(1)).as("pairs")
        .containsExactly("C1/P1", "C1/P2", "C2/P2");
    // Half-life 90 days: purchase 3 x 0.5 + view 0.25 x 0.5; cart 1 x 0.25; view 0.25 x 0.5^(30/90).
    assertThat(weights.get(0).getDouble(2)).as("C1/P1").isCloseTo(1.625, within(1e-9));
    assertThat(weights.get(1).getDouble(2)).as("C1/P2").isCloseTo(0.25, within(1e-9));
    assertThat(weights.get(2).getDouble(2)).as("C2/P2").isCloseTo(0.25 * Math.pow(0.5, 1.0 / 3), within(1e-9));
  }

  @Test
  void excludesBoughtNonRepurchasableProductsAndFillsFromSegmentPopularity(SparkSession spark) {
    Fixtures.Builder tx = Fixtures.frame(Transactions.TABLE.schema());
    line(tx, "T1", "C1", "P1", "2026-03-01T00:00:00", "completed");
    line(tx, "T2", "C1", "P2", "2026-03-01T00:00:00", "completed");
    line(tx, "T3", "C1", "P3", "2026-03-01T00:00:00", "completed");
    Dataset<Row> catalogue = Fixtures.frame(Products.TABLE.schema())
        .with(Products.PRODUCT_ID, "P1", Products.NAME, "Coffee", Products.CATEGORY, "grocery", Products.PRICE, 5.0)
        .with(Products.PRODUCT_ID, "P2", Products.NAME, "Speaker", Products.CATEGORY, "electronics", Products.PRICE, 90.0)
        .build(spark);
    Dataset<Row> products = ProductDimension.of(catalogue, tx.build(spark), AS_OF);
    Dataset<Row> exclusions = Interactions.exclusions(tx.build(spark), products, AS_OF, config());
    assertThat(exclusions.orderBy(Interactions.PRODUCT_ID).collectAsList())
        .extracting(r -> r.getString(0) + "/" + r.getString(1))
        .as("grocery is repurchasable; electronics and the uncategorised P3 are not")
        .containsExactly("C1/P2", "C1/P3");

    StructType group = new StructType().add(Interactions.CUSTOMER_ID, DataTypes.StringType)
        .add(Recommender.GROUP, DataTypes.StringType);
    Dataset<Row> customers = spark.createDataFrame(List.of(RowFactory.create("C1", "Loyal"),
        RowFactory.create("C2", "Prospects")), group);
    Dataset<Row> als = spark.createDataFrame(List.of(RowFactory.create("C1", "P1", 0.5, 1),
        RowFactory.create("C1", "P4", 0.4, 2)), Recommender.ALS_LISTS_SCHEMA);
    StructType buyersSchema = new StructType().add(Recommender.GROUP, DataTypes.StringType)
        .add(Interactions.PRODUCT_ID, DataTypes.StringType).add(Interactions.BUYERS, DataTypes.LongType);
    // P2 is the segment's best seller, but C1 bought it: the filler must skip it.
    Dataset<Row> groupBuyers = spark.createDataFrame(List.of(RowFactory.create("Loyal", "P5", 3L),
        RowFactory.create("Loyal", "P4", 2L), RowFactory.create("Loyal", "P2", 9L)), buyersSchema);
    Dataset<Row> overall = spark.createDataFrame(List.of(RowFactory.create("all", "P5", 3L),
        RowFactory.create("all", "P4", 2L), RowFactory.create("all", "P6", 5L), RowFactory.create("all", "P1", 1L)),
        buyersSchema).drop(Recommender.GROUP);
    Dataset<Row> popularity = Recommender.popularity(groupBuyers, overall, customers, 100);

    List<String> lists = Recommender.rank(customers, als, popularity, exclusions, 4)
        .orderBy(Interactions.CUSTOMER_ID, Recommender.RANK).collectAsList().stream()
        .map(r -> r.getAs(Interactions.CUSTOMER_ID) + " " + r.getAs(Recommender.RANK) + " "
            + r.getAs(Interactions.PRODUCT_ID) + " " + r.getAs(Recommender.SOURCE))
        .toList();
    assertThat(lists).as("ALS's list, then the segment's own best sellers, then the overall ones, never P2")
        .containsExactly(
            "C1 1 P1 als", "C1 2 P4 als", "C1 3 P5 popularity", "C1 4 P6 popularity",
            "C2 1 P6 popularity", "C2 2 P5 popularity", "C2 3 P4 popularity", "C2 4 P1 popularity");
  }

  @Test
  void configRejectsWeightsOutOfOrder() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecommendConfig.from(CxConfig.load(Optional.empty(),
            Map.of("recommend.weights.product-view", "2.0")), new TableCatalog("/tmp/unused"), AS_OF))
        .hasMessage("Cannot configure recommend.weights: expected purchase >= add-to-cart >= product-view "
            + "(3.0, 1.0, 2.0)");
  }

  @Test
  void configRejectsNegativeAlsBlocks() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecommendConfig.from(CxConfig.load(Optional.empty(),
            Map.of("recommend.als-blocks", "-1")), new TableCatalog("/tmp/unused"), AS_OF))
        .hasMessage("Cannot configure recommend.als-blocks: must not be negative (-1)");
  }

  @Test
  void alsListsAreAlsOwnRankingWithoutTheExcludedProducts(SparkSession spark) {
    StructType pairs = new StructType().add(Interactions.CUSTOMER_ID, DataTypes.StringType)
        .add(Interactions.PRODUCT_ID, DataTypes.StringType);
    List<Row> weights = new java.util.ArrayList<>();
    List<Row> excluded = new java.util.ArrayList<>();
    for (int c = 0; c < 20; c++) {
      for (int p = 0; p < 12; p++) {
        if ((c * 7 + p * 3) % 5 < 2) {
          weights.add(RowFactory.create("C" + c, "P" + p, 1.0 + (c + p) % 3));
        }
      }
      excluded.add(RowFactory.create("C" + c, "P" + (c % 12)));
    }
    for (int p = 0; p < 10; p++) {
      excluded.add(RowFactory.create("C0", "P" + (p + 1)));   // with P0, C0 may be offered only P11
    }
    for (int p : new int[] {0, 5, 7}) {
      weights.add(RowFactory.create("C20", "P" + p, 2.0));   // C20 excludes nothing
    }
    Dataset<Row> w = spark.createDataFrame(weights, pairs.add(Interactions.WEIGHT, DataTypes.DoubleType));
    Dataset<Row> exclusions = spark.createDataFrame(excluded, pairs).distinct();
    try (Recommender.Indexed indexed = Recommender.Indexed.of(w)) {
      Recommender.Fitted fitted = Recommender.fit(indexed, new Recommender.AlsParams(2, 0.1, 1.0), config());
      // C99 has no interactions, so no factors: no ALS list (popularity serves it).
      Dataset<Row> customers = w.select(Interactions.CUSTOMER_ID).distinct()
          .union(spark.createDataFrame(List.of(RowFactory.create("C99")),
              new StructType().add(Interactions.CUSTOMER_ID, DataTypes.StringType)));
      int k = 3;

      // ALS's own ranking of every product, minus the exclusions, cut at k.
      Map<String, List<String>> expected = new java.util.TreeMap<>();
      Map<String, List<Double>> expectedScores = new java.util.TreeMap<>();
      Dataset<Row> allScored = fitted.model().recommendForUserSubset(
              customers.join(fitted.users(), Interactions.CUSTOMER_ID).select(Recommender.USER), 12)
          .select(org.apache.spark.sql.functions.col(Recommender.USER),
              org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.col("recommendations")).as("r"))
          .select(org.apache.spark.sql.functions.col(Recommender.USER),
              org.apache.spark.sql.functions.col("r." + Recommender.ITEM).as(Recommender.ITEM),
              org.apache.spark.sql.functions.col("r.rating").cast("double").as(Recommender.SCORE))
          .join(fitted.users(), Recommender.USER).join(fitted.items(), Recommender.ITEM)
          .join(exclusions, io.cxlake.common.spark.Joins.on(Interactions.CUSTOMER_ID, Interactions.PRODUCT_ID),
              "left_anti")
          .orderBy(org.apache.spark.sql.functions.col(Interactions.CUSTOMER_ID),
              org.apache.spark.sql.functions.col(Recommender.SCORE).desc(),
              org.apache.spark.sql.functions.col(Interactions.PRODUCT_ID));
      for (Row r : allScored.collectAsList()) {
        List<String> list = expected.computeIfAbsent(r.getAs(Interactions.CUSTOMER_ID), c -> new java.util.ArrayList<>());
        if (list.size() < k) {
          list.add(r.getAs(Interactions.PRODUCT_ID));
          expectedScores.computeIfAbsent(r.getAs(Interactions.CUSTOMER_ID), c -> new java.util.ArrayList<>())
              .add(r.getAs(Recommender.SCORE));
        }
      }

      Map<String, List<String>> actual = new java.util.TreeMap<>();
      Map<String, List<Double>> actualScores = new java.util.TreeMap<>();
      for (Row r : Recommender.alsTop(fitted, customers, exclusions, k)
          .orderBy(Interactions.CUSTOMER_ID, "_order").collectAsList()) {
        actual.computeIfAbsent(r.getAs(Interactions.CUSTOMER_ID), c -> new java.util.ArrayList<>())
            .add(r.getAs(Interactions.PRODUCT_ID));
        actualScores.computeIfAbsent(r.getAs(Interactions.CUSTOMER_ID), c -> new java.util.ArrayList<>())
            .add(r.getAs(Recommender.SCORE));
      }
      assertThat(actual).as("the same products in the same order").isEqualTo(expected).hasSize(21)
          .doesNotContainKey("C99");
      assertThat(actual.get("C20")).as("k products for a customer without exclusions").hasSize(k);
      assertThat(actual.get("C0")).as("one product is allowed").containsExactly("P11");
      expectedScores.forEach((c, scores) -> {
        for (int i = 0; i < scores.size(); i++) {
          // ALS scores in float with its own BLAS, the list in float term by term: the last bits may differ.
          assertThat(actualScores.get(c).get(i)).as(c + " score " + i).isCloseTo(scores.get(i), within(1e-5));
        }
      });
      assertThat(Recommender.popularityLength(exclusions, 12, k, 500)).as("3 + C0's 11 excluded, at most 12 products")
          .isEqualTo(12);
    }
  }
}
