package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.cxlake.common.catalog.Snapshots;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code recommend} job: implicit-feedback ALS with segment popularity as the fallback, written
 * to {@code recommendations}; its offline evaluation against the popularity baseline on a time split
 * to {@code recommendation_metrics}; and per-segment lifts, actions and rationales to
 * {@code segment_recommendations}. Needs silver transactions and the segments of the as-of date.
 *
 * <p>Time split: hyper-parameters are chosen by MAP@10 on the validation window (trained before
 * it), then the chosen model is evaluated on the test window (the last test-days days, trained
 * before it), and finally refitted on everything up to the as-of date for the served lists. The
 * evaluation falls back to overall popularity (the segments of the as-of date would leak the test
 * window), so both evaluated models see exactly the training data.
 */
public final class RecommendJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "recommend";

  /** The group of every customer in the evaluation's overall popularity. */
  static final String ALL = "all";

  private RecommendJob() {}

  /** The training and test data of one split. */
  record Split(Dataset<Row> weights, Dataset<Row> exclusions, Dataset<Row> relevant, Dataset<Row> users,
      Dataset<Row> popularity, long catalogue, long coldStart, int candidates) {
    void unpersist() {
      weights.unpersist();
      exclusions.unpersist();
      relevant.unpersist();
      popularity.unpersist();
    }
  }

  /** Reads, evaluates, fits, writes the three tables. */
  public static RunStats run(SparkSession spark, RecommendConfig config) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    Dataset<Row> transactions = DeltaIO.readRequired(spark, Transactions.TABLE, catalog.path(Transactions.TABLE),
        "build recommendations", "ingest");
    Dataset<Row> web = DeltaIO.readOrEmpty(spark, WebEvents.TABLE, catalog.path(WebEvents.TABLE));
    Dataset<Row> catalogue = DeltaIO.readOrEmpty(spark, Products.TABLE, catalog.path(Products.TABLE));
    Dataset<Row> segments = required(spark, catalog, Segments.TABLE, Segments.AS_OF_DATE, asOf);
    Dataset<Row> profiles = required(spark, catalog, SegmentProfiles.TABLE, SegmentProfiles.AS_OF_DATE, asOf);
    Dataset<Row> customer360 = required(spark, catalog, Customer360.TABLE, Customer360.AS_OF_DATE, asOf);

    Dataset<Row> products = Interactions.products(catalogue, transactions, asOf).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> base = segments.select(col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, String> details = new LinkedHashMap<>();
    try {
      // 1. Hyper-parameters on the validation window.
      List<AlsParams> grid = grid(config);
      AlsParams chosen = grid.get(0);
      Double validationMap = null;
      if (grid.size() > 1) {
        Split validation = split(transactions, web, products, base, config.validationTrainEnd(),
            config.trainEnd().cutoff(), config);
        try {
          double best = Double.NEGATIVE_INFINITY;
          for (AlsParams p : grid) {
            double map = evaluateAls(validation, p, config).map();
            details.put("validation_map." + label(p), format(map));
            // Strictly better only: ties keep the earlier (smaller) grid point.
            if (map > best) {
              best = map;
              chosen = p;
            }
          }
          validationMap = best;
        } finally {
          validation.unpersist();
        }
      }

      // 2. ALS and the popularity baseline on the test window.
      Split test = split(transactions, web, products, base, config.trainEnd(), asOf.cutoff(), config);
      Metrics als;
      Metrics popularity;
      try {
        als = evaluateAls(test, chosen, config);
        Dataset<Row> none = spark.createDataFrame(List.of(), alsSchema());
        popularity = RankingEval.evaluate(Recommender.rank(test.users(), none, test.popularity(), test.exclusions(),
            RecommendConfig.EVALUATION_K), test.relevant(), test.catalogue(), RecommendConfig.EVALUATION_K);
      } finally {
        test.unpersist();
      }
      List<Row> metricRows = List.of(
          metricsRow(RecommendationMetrics.MODEL_ALS, als, test.coldStart(), chosen, validationMap, config),
          metricsRow(RecommendationMetrics.MODEL_POPULARITY, popularity, test.coldStart(), null, null, config));
      DeltaIO.replacePartition(spark, spark.createDataFrame(metricRows, RecommendationMetrics.TABLE.schema()),
          RecommendationMetrics.TABLE, catalog.path(RecommendationMetrics.TABLE), RecommendationMetrics.AS_OF_DATE,
          asOf.date());

      // 3. The served lists, refitted on everything up to the as-of date.
      long written = serve(spark, transactions, web, products, base, chosen, config);

      // 4. Segment-level recommendations.
      List<Row> segmentRows = SegmentPlaybook.build(segments, profiles, customer360, transactions, products, config);
      DeltaIO.replacePartition(spark, spark.createDataFrame(segmentRows, SegmentRecommendations.TABLE.schema()),
          SegmentRecommendations.TABLE, catalog.path(SegmentRecommendations.TABLE), SegmentRecommendations.AS_OF_DATE,
          asOf.date());

      details.put("chosen", label(chosen));
      details.put("map_at_10.als", format(als.map()));
      details.put("map_at_10.popularity", format(popularity.map()));
      details.put("test_users", String.valueOf(als.users()));
      return new RunStats(written, written, 0, details);
    } finally {
      base.unpersist();
      products.unpersist();
    }
  }

  /** The rows of the as-of date of a table this job needs; fails naming the job to run first. */
  static Dataset<Row> required(SparkSession spark, TableCatalog catalog, TableSpec table, String dateColumn,
      AsOf asOf) {
    String path = catalog.path(table);
    String producer = table == Customer360.TABLE ? "customer360" : "segment";
    DeltaIO.readRequired(spark, table, path, "build recommendations", producer);
    return Snapshots.atDate(spark, path, dateColumn, asOf.date())
        .orElseThrow(() -> new IllegalStateException("Cannot build recommendations: " + table.name()
            + " has no rows for " + asOf.date() + ", run " + producer + " --as-of " + asOf.date() + " first ("
            + path + ")"));
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
  static Split split(Dataset<Row> transactions, Dataset<Row> web, Dataset<Row> products, Dataset<Row> base,
      AsOf trainEnd, Instant testEnd, RecommendConfig config) {
    String id = Interactions.CUSTOMER_ID;
    Dataset<Row> weights = Interactions.weights(transactions, web, trainEnd, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> exclusions = Interactions.exclusions(transactions, products, trainEnd, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> relevant = Interactions.purchasesBetween(transactions, trainEnd.cutoff(), testEnd)
        .join(base.select(id), id)
        .join(exclusions, Recommender.on(id, Interactions.PRODUCT_ID), "left_anti")
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> users = relevant.select(id).distinct().withColumn(Recommender.GROUP, lit(ALL));
    Dataset<Row> everyone = base.select(id).withColumn(Recommender.GROUP, lit(ALL));
    long catalogue = weights.select(Interactions.PRODUCT_ID).distinct().count();
    int candidates = Recommender.candidateCount(exclusions, catalogue, RecommendConfig.EVALUATION_K,
        config.candidates());
    Dataset<Row> buyers = Interactions.buyers(transactions, everyone, Recommender.GROUP, trainEnd,
        config.popularityDays());
    // Every evaluation of the split (a grid point each, and the baseline) reads the popularity lists.
    Dataset<Row> popularity = Recommender.popularity(buyers, buyers.select(Interactions.PRODUCT_ID,
        Interactions.BUYERS), everyone.limit(1), candidates).persist(StorageLevel.MEMORY_AND_DISK());
    long coldStart = users.join(weights.select(id).distinct(), Recommender.on(id), "left_anti").count();
    return new Split(weights, exclusions, relevant, users, popularity, catalogue, coldStart, candidates);
  }

  /** Fits ALS on a split's training weights and evaluates its served lists on the split's test purchases. */
  static Metrics evaluateAls(Split split, AlsParams params, RecommendConfig config) {
    Recommender.Fitted fitted = Recommender.fit(split.weights(), params, config);
    // rank reads the candidates three times (kept, short lists, filler); scoring them is the costly part.
    Dataset<Row> candidates = Recommender.alsCandidates(fitted, split.users(), split.candidates())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> lists = Recommender.rank(split.users(), candidates, split.popularity(), split.exclusions(),
          RecommendConfig.EVALUATION_K);
      return RankingEval.evaluate(lists, split.relevant(), split.catalogue(), RecommendConfig.EVALUATION_K);
    } finally {
      candidates.unpersist();
      fitted.users().unpersist();
      fitted.items().unpersist();
    }
  }

  /** Fits on everything up to the as-of date and writes every base customer's list. */
  private static long serve(SparkSession spark, Dataset<Row> transactions, Dataset<Row> web, Dataset<Row> products,
      Dataset<Row> base, AlsParams params, RecommendConfig config) {
    AsOf asOf = config.asOf();
    Dataset<Row> weights = Interactions.weights(transactions, web, asOf, config).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> exclusions = Interactions.exclusions(transactions, products, asOf, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Recommender.Fitted fitted = Recommender.fit(weights, params, config);
    try {
      int candidates = Recommender.candidateCount(exclusions, fitted.items().count(), config.topK(),
          config.candidates());
      Dataset<Row> customers = base.select(col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT).as(Recommender.GROUP));
      Dataset<Row> groupBuyers = Interactions.buyers(transactions, customers, Recommender.GROUP, asOf,
          config.popularityDays()).persist(StorageLevel.MEMORY_AND_DISK());
      // Segments partition the customers, so a product's buyers over all segments add up.
      Dataset<Row> overall = groupBuyers.groupBy(Interactions.PRODUCT_ID)
          .agg(sum(Interactions.BUYERS).as(Interactions.BUYERS));
      Dataset<Row> popularity = Recommender.popularity(groupBuyers, overall, customers, candidates);
      Dataset<Row> alsCandidates = Recommender.alsCandidates(fitted, customers, candidates)
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> lists = Recommender.rank(customers, alsCandidates, popularity, exclusions, config.topK());
      Dataset<Row> out = lists
          .join(products, Recommender.on(Interactions.PRODUCT_ID), "left")
          .join(base, Recommender.on(Segments.CUSTOMER_ID))
          .select(
              asOf.dateLit().as(Recommendations.AS_OF_DATE),
              col(Interactions.CUSTOMER_ID).as(Recommendations.CUSTOMER_ID),
              col(Recommender.RANK).as(Recommendations.RANK),
              col(Interactions.PRODUCT_ID).as(Recommendations.PRODUCT_ID),
              col(Interactions.PRODUCT_NAME).as(Recommendations.PRODUCT_NAME),
              col(Interactions.CATEGORY).as(Recommendations.CATEGORY),
              col(Recommender.SCORE).as(Recommendations.SCORE),
              col(Recommender.SOURCE).as(Recommendations.SOURCE),
              col(Segments.RFM_SEGMENT).as(Recommendations.RFM_SEGMENT));
      String path = config.catalog().path(Recommendations.TABLE);
      DeltaIO.replacePartition(spark, out, Recommendations.TABLE, path, Recommendations.AS_OF_DATE, asOf.date());
      alsCandidates.unpersist();
      groupBuyers.unpersist();
      return DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    } finally {
      fitted.users().unpersist();
      fitted.items().unpersist();
      exclusions.unpersist();
      weights.unpersist();
    }
  }

  static StructType alsSchema() {
    return new StructType()
        .add(Interactions.CUSTOMER_ID, DataTypes.StringType)
        .add(Interactions.PRODUCT_ID, DataTypes.StringType)
        .add(Recommender.SCORE, DataTypes.DoubleType);
  }

  private static Row metricsRow(String model, Metrics m, long coldStart, AlsParams params, Double validationMap,
      RecommendConfig config) {
    return RowFactory.create(
        Date.valueOf(config.asOf().date()),
        model,
        finite(m.precision()),
        finite(m.recall()),
        finite(m.map()),
        m.coverage(),
        m.users(),
        coldStart,
        Date.valueOf(config.trainEnd().date()),
        Date.valueOf(config.trainEnd().date().plusDays(1)),
        Date.valueOf(config.asOf().date()),
        params == null ? null : params.rank(),
        params == null ? null : params.regParam(),
        params == null ? null : params.alpha(),
        validationMap);
  }

  /** NaN (no test customers) is stored as null. */
  private static Double finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static String label(AlsParams p) {
    return String.format(Locale.ROOT, "rank=%d,reg=%s,alpha=%s", p.rank(), p.regParam(), p.alpha());
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.5f", v);
  }
}
