package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.lit;

import io.cxlake.common.runlog.Progress;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.spark.Concurrently;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.recommend.RankingEval.Metrics;
import io.cxlake.jobs.recommend.Recommender.AlsParams;
import java.sql.Date;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The recommend job's evaluation step on a time split: hyper-parameters are chosen by MAP@10 on the
 * validation window (trained before it), then the chosen ALS and the popularity baseline are
 * evaluated on the test window (the last test-days days, trained before it). The evaluation ranks
 * with overall popularity (the segments of the as-of date would leak the test window), so both
 * models see exactly the training data.
 */
final class OfflineEvaluation {
  /** The group of every customer in the evaluation's overall popularity. */
  static final String ALL = "all";

  private OfflineEvaluation() {}

  /** The training and test data of one split. */
  record Split(Dataset<Row> weights, Recommender.Indexed indexed, Dataset<Row> exclusions, Dataset<Row> relevant,
      Dataset<Row> users, Dataset<Row> popularity, long catalogue, long coldStart) {
    void unpersist() {
      weights.unpersist();
      indexed.close();
      exclusions.unpersist();
      relevant.unpersist();
      popularity.unpersist();
    }
  }

  /**
   * What the evaluation found.
   *
   * @param chosen the grid point served
   * @param validationMaps MAP@10 of every grid point on the validation window (empty for a one-point grid)
   * @param als the chosen ALS on the test window
   * @param popularity the popularity baseline on the test window
   * @param coldStart test customers without training interactions
   */
  record Result(AlsParams chosen, Map<AlsParams, Double> validationMaps, Metrics als, Metrics popularity,
      long coldStart) {
    Result {
      validationMaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(validationMaps));
    }

    /** The recommendation_metrics rows of the two models. */
    List<Row> metricRows(RecommendConfig config) {
      AsOf asOf = config.asOf();
      var common = RecommendationMetrics.TABLE.row()
          .set(RecommendationMetrics.AS_OF_DATE, Date.valueOf(asOf.date()))
          .set(RecommendationMetrics.COLD_START_USERS, coldStart)
          .set(RecommendationMetrics.TRAIN_END, Date.valueOf(config.trainEnd().date()))
          .set(RecommendationMetrics.TEST_START, Date.valueOf(config.trainEnd().date().plusDays(1)))
          .set(RecommendationMetrics.TEST_END, Date.valueOf(asOf.date()));
      return List.of(
          metrics(common.copy(), RecommendationMetrics.MODEL_ALS, als)
              .set(RecommendationMetrics.RANK, chosen.rank())
              .set(RecommendationMetrics.REG_PARAM, chosen.regParam())
              .set(RecommendationMetrics.ALPHA, chosen.alpha())
              .set(RecommendationMetrics.VALIDATION_MAP_AT_10, validationMaps.get(chosen))
              .build(),
          metrics(common.copy(), RecommendationMetrics.MODEL_POPULARITY, popularity)
              .setNull(RecommendationMetrics.RANK, RecommendationMetrics.REG_PARAM, RecommendationMetrics.ALPHA,
                  RecommendationMetrics.VALIDATION_MAP_AT_10)
              .build());
    }

    /** The test MAP@10 of both models and the choice, for a person. */
    String finding(long served) {
      return String.format(Locale.ROOT, "MAP@10 on the test window: ALS %.3f vs popularity %.3f over %,d customers "
          + "(%s); %,d recommendations served", als.map(), popularity.map(), als.users(), label(chosen), served);
    }

    /** Run-log details: every grid point's validation MAP, the choice and the test MAPs. */
    Map<String, String> details() {
      Map<String, String> details = new LinkedHashMap<>();
      validationMaps.forEach((p, map) -> details.put("validation_map." + label(p), format(map)));
      details.put("chosen", label(chosen));
      details.put("map_at_10.als", format(als.map()));
      details.put("map_at_10.popularity", format(popularity.map()));
      details.put("test_users", String.valueOf(als.users()));
      return details;
    }

    private static io.cxlake.common.schema.TableSpec.RowBuilder metrics(
        io.cxlake.common.schema.TableSpec.RowBuilder row, String model, Metrics m) {
      return row.set(RecommendationMetrics.MODEL, model)
          .set(RecommendationMetrics.PRECISION_AT_10, finite(m.precision()))
          .set(RecommendationMetrics.RECALL_AT_10, finite(m.recall()))
          .set(RecommendationMetrics.MAP_AT_10, finite(m.map()))
          .set(RecommendationMetrics.COVERAGE, m.coverage())
          .set(RecommendationMetrics.USERS, m.users());
    }
  }

  /** Chooses the grid point on the validation window and evaluates it and the baseline on the test window. */
  static Result run(RecommendJob.Inputs in, RecommendConfig config) {
    List<AlsParams> grid = grid(config);
    AlsParams chosen = grid.get(0);
    Map<AlsParams, Double> validationMaps = new LinkedHashMap<>();
    Progress progress = Progress.of(RecommendJob.NAME);
    if (grid.size() > 1) {
      progress.phase("ALS grid of " + grid.size() + " points on the validation window, "
          + Concurrently.THREADS + " at a time");
      Split validation = split(in, config.validationTrainEnd(), config.trainEnd().cutoff(), config);
      try {
        List<Double> maps = Concurrently.map(grid, p -> evaluateAls(validation, p, config).map(),
            p -> "evaluate ALS (" + label(p) + ") on the validation window");
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < grid.size(); i++) {
          validationMaps.put(grid.get(i), maps.get(i));
          // Strictly better only: ties keep the earlier (smaller) grid point.
          if (maps.get(i) > best) {
            best = maps.get(i);
            chosen = grid.get(i);
          }
        }
      } finally {
        validation.unpersist();
      }
    }
    progress.phase("ALS (" + label(chosen) + ") and popularity on the test window");
    Split test = split(in, config.trainEnd(), config.asOf().cutoff(), config);
    try {
      Metrics als = evaluateAls(test, chosen, config);
      Dataset<Row> none = in.transactions().sparkSession().createDataFrame(List.of(), Recommender.ALS_LISTS_SCHEMA);
      Metrics popularity = RankingEval.evaluate(Recommender.rank(test.users(), none, test.popularity(),
          test.exclusions(), RecommendConfig.EVALUATION_K), test.relevant(), test.catalogue(), RecommendConfig.EVALUATION_K);
      return new Result(chosen, validationMaps, als, popularity, test.coldStart());
    } finally {
      test.unpersist();
    }
  }

  /** Every combination of the grid, in configuration order. */
  static List<AlsParams> grid(RecommendConfig config) {
    List<AlsParams> grid = new ArrayList<>();
    for (int rank : config.ranks()) {
      for (double reg : config.regParams()) {
        for (double alpha : config.alphas()) {
          grid.add(new AlsParams(rank, reg, alpha));
        }
      }
    }
    return grid;
  }

  /**
   * Training data up to {@code trainEnd} and the test purchases after it up to {@code testEnd}: the
   * relevant products are those the customers of the base bought in the window and could have been
   * recommended (not excluded at the training cut-off).
   */
  static Split split(RecommendJob.Inputs in, AsOf trainEnd, Instant testEnd, RecommendConfig config) {
    String id = Interactions.CUSTOMER_ID;
    Dataset<Row> weights = Interactions.weights(in.transactions(), in.web(), trainEnd, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> exclusions = Interactions.exclusions(in.transactions(), in.products(), trainEnd, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> relevant = Interactions.purchasesBetween(in.transactions(), trainEnd.cutoff(), testEnd)
        .join(in.base().select(id), id)
        .join(exclusions, Joins.on(id, Interactions.PRODUCT_ID), "left_anti")
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> users = relevant.select(id).distinct().withColumn(Recommender.GROUP, lit(ALL));
    Dataset<Row> everyone = in.base().select(id).withColumn(Recommender.GROUP, lit(ALL));
    Recommender.Indexed indexed = Recommender.Indexed.of(weights);
    long catalogue = indexed.items().count();
    int popularityLength = Recommender.popularityLength(exclusions, catalogue, RecommendConfig.EVALUATION_K,
        config.candidates());
    Dataset<Row> buyers = Interactions.buyers(in.transactions(), everyone, Recommender.GROUP, trainEnd,
        config.popularityDays());
    // Every evaluation of the split (a grid point each, and the baseline) reads the popularity lists.
    Dataset<Row> popularity = Recommender.popularity(buyers, buyers.select(Interactions.PRODUCT_ID,
        Interactions.BUYERS), everyone.limit(1), popularityLength).persist(StorageLevel.MEMORY_AND_DISK());
    long coldStart = users.join(indexed.users().select(id), Joins.on(id), "left_anti").count();
    return new Split(weights, indexed, exclusions, relevant, users, popularity, catalogue, coldStart);
  }

  /** Fits ALS on a split's training weights and evaluates its served lists on the split's test purchases. */
  static Metrics evaluateAls(Split split, AlsParams params, RecommendConfig config) {
    Recommender.Fitted fitted = Recommender.fit(split.indexed(), params, config);
    // rank reads the ALS lists three times (kept, short lists, filler); scoring them is the costly part.
    Dataset<Row> als = Recommender.alsTop(fitted, split.users(), split.exclusions(), RecommendConfig.EVALUATION_K)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> lists = Recommender.rank(split.users(), als, split.popularity(), split.exclusions(),
          RecommendConfig.EVALUATION_K);
      return RankingEval.evaluate(lists, split.relevant(), split.catalogue(), RecommendConfig.EVALUATION_K);
    } finally {
      als.unpersist();
    }
  }

  /** NaN (no test customers) is stored as null. */
  private static Double finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  static String label(AlsParams p) {
    return String.format(Locale.ROOT, "rank=%d,reg=%s,alpha=%s", p.rank(), p.regParam(), p.alpha());
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.5f", v);
  }
}
