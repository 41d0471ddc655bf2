package io.cxlake.jobs.recommend;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one recommend run.
 *
 * @param catalog the warehouse
 * @param asOf interactions before the end of this day are used
 * @param topK products per customer ({@code recommend.top-k})
 * @param purchaseWeight weight of a purchased order line ({@code recommend.weights.purchase})
 * @param cartWeight weight of an add-to-cart event ({@code recommend.weights.add-to-cart})
 * @param viewWeight weight of a product view ({@code recommend.weights.product-view})
 * @param halfLifeDays days after which an event counts half ({@code recommend.half-life-days})
 * @param lookbackDays events older than this are ignored ({@code recommend.lookback-days})
 * @param repurchasable categories that may be recommended again after a purchase
 *     ({@code recommend.repurchasable-categories})
 * @param unknownCategoryRepurchasable whether products without a category may be recommended again
 *     ({@code recommend.unknown-category-repurchasable})
 * @param popularityDays window of the popularity counts ({@code recommend.popularity-days})
 * @param candidates most products of a popularity list before exclusions ({@code recommend.candidates})
 * @param testDays days of the test window ({@code recommend.test-days})
 * @param validationDays days of the validation window ({@code recommend.validation-days})
 * @param ranks ALS ranks tried ({@code recommend.grid.rank})
 * @param regParams ALS regParams tried ({@code recommend.grid.reg-param})
 * @param alphas ALS alphas tried ({@code recommend.grid.alpha})
 * @param maxIterations ALS iterations ({@code recommend.max-iterations})
 * @param alsBlocks ALS user and item blocks, 0 for the session's default parallelism
 *     ({@code recommend.als-blocks})
 * @param seed ALS seed ({@code recommend.seed})
 * @param segmentTopProducts products listed per segment ({@code recommend.segment.top-products})
 * @param segmentTopCategories categories listed per segment ({@code recommend.segment.top-categories})
 * @param segmentMinBuyers segment buyers a product or category needs for its lift to count
 *     ({@code recommend.segment.min-buyers})
 * @param segmentWindowDays purchase window of the segment lifts ({@code recommend.segment.window-days})
 */
public record RecommendConfig(
    TableCatalog catalog,
    AsOf asOf,
    int topK,
    double purchaseWeight,
    double cartWeight,
    double viewWeight,
    double halfLifeDays,
    int lookbackDays,
    Set<String> repurchasable,
    boolean unknownCategoryRepurchasable,
    int popularityDays,
    int candidates,
    int testDays,
    int validationDays,
    List<Integer> ranks,
    List<Double> regParams,
    List<Double> alphas,
    int maxIterations,
    int alsBlocks,
    long seed,
    int segmentTopProducts,
    int segmentTopCategories,
    int segmentMinBuyers,
    int segmentWindowDays) {

  /** The cut-off of the offline evaluation: MAP@10 and friends are at 10 whatever top-k is served. */
  public static final int EVALUATION_K = 10;

  public RecommendConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    repurchasable = Set.copyOf(repurchasable);
    ranks = List.copyOf(ranks);
    regParams = List.copyOf(regParams);
    alphas = List.copyOf(alphas);
    positive("top-k", topK);
    if (purchaseWeight <= 0 || cartWeight < 0 || viewWeight < 0) {
      throw new IllegalArgumentException("Cannot configure recommend.weights: purchase must be positive, the others "
          + "not negative (" + purchaseWeight + ", " + cartWeight + ", " + viewWeight + ")");
    }
    if (!(purchaseWeight >= cartWeight && cartWeight >= viewWeight)) {
      throw new IllegalArgumentException("Cannot configure recommend.weights: expected purchase >= add-to-cart >= "
          + "product-view (" + purchaseWeight + ", " + cartWeight + ", " + viewWeight + ")");
    }
    if (halfLifeDays <= 0) {
      throw new IllegalArgumentException("Cannot configure recommend.half-life-days: must be positive ("
          + halfLifeDays + ")");
    }
    positive("lookback-days", lookbackDays);
    positive("popularity-days", popularityDays);
    if (candidates < topK) {
      throw new IllegalArgumentException("Cannot configure recommend.candidates: must be at least top-k " + topK
          + " (" + candidates + ")");
    }
    positive("test-days", testDays);
    positive("validation-days", validationDays);
    if (alsBlocks < 0) {
      throw new IllegalArgumentException("Cannot configure recommend.als-blocks: must not be negative (" + alsBlocks
          + ")");
    }
    if (ranks.isEmpty() || regParams.isEmpty() || alphas.isEmpty()) {
      throw new IllegalArgumentException("Cannot configure recommend.grid: every list needs a value (rank " + ranks
          + ", reg-param " + regParams + ", alpha " + alphas + ")");
    }
    for (int r : ranks) {
      positive("grid.rank", r);
    }
    for (double r : regParams) {
      if (r < 0) {
        throw new IllegalArgumentException("Cannot configure recommend.grid.reg-param: must not be negative (" + r + ")");
      }
    }
    for (double a : alphas) {
      if (a < 0) {
        throw new IllegalArgumentException("Cannot configure recommend.grid.alpha: must not be negative (" + a + ")");
      }
    }
    positive("max-iterations", maxIterations);
    positive("segment.top-products", segmentTopProducts);
    positive("segment.top-categories", segmentTopCategories);
    positive("segment.min-buyers", segmentMinBuyers);
    positive("segment.window-days", segmentWindowDays);
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Cannot configure recommend." + key + ": must be positive (" + value + ")");
    }
  }

  /** Builds the config from the effective configuration. */
  public static RecommendConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    var raw = config.raw();
    return new RecommendConfig(catalog, asOf,
        config.getInt("recommend.top-k"),
        config.getDouble("recommend.weights.purchase"),
        config.getDouble("recommend.weights.add-to-cart"),
        config.getDouble("recommend.weights.product-view"),
        config.getDouble("recommend.half-life-days"),
        config.getInt("recommend.lookback-days"),
        Set.copyOf(raw.getStringList("recommend.repurchasable-categories")),
        config.getBoolean("recommend.unknown-category-repurchasable"),
        config.getInt("recommend.popularity-days"),
        config.getInt("recommend.candidates"),
        config.getInt("recommend.test-days"),
        config.getInt("recommend.validation-days"),
        raw.getIntList("recommend.grid.rank"),
        raw.getDoubleList("recommend.grid.reg-param"),
        raw.getDoubleList("recommend.grid.alpha"),
        config.getInt("recommend.max-iterations"),
        config.getInt("recommend.als-blocks"),
        config.getLong("recommend.seed"),
        config.getInt("recommend.segment.top-products"),
        config.getInt("recommend.segment.top-categories"),
        config.getInt("recommend.segment.min-buyers"),
        config.getInt("recommend.segment.window-days"));
  }

  /** Last day of the evaluation's training data. */
  public AsOf trainEnd() {
    return new AsOf(asOf.date().minusDays(testDays));
  }

  /** Last day of the validation's training data. */
  public AsOf validationTrainEnd() {
    return new AsOf(asOf.date().minusDays((long) testDays + validationDays));
  }
}
