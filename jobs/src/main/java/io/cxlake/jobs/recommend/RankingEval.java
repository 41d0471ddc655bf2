package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import io.cxlake.common.spark.Joins;
import org.apache.spark.ml.evaluation.RankingEvaluator;
import org.apache.spark.mllib.evaluation.RankingMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Offline ranking metrics of served lists against the products customers actually bought, with
 * MLlib's {@link RankingEvaluator} / {@link RankingMetrics}: precision@k (hits in the top k / k),
 * recall@k (hits / relevant) and MAP@k (per customer the sum of precision@i at each hit i <= k over
 * min(relevant, k)), each averaged over the customers with at least one relevant product; plus
 * catalogue coverage (distinct products in their top-k lists / catalogue size).
 */
public final class RankingEval {
  private static final String PREDICTED = "_predicted";
  private static final String RELEVANT = "_relevant";

  /**
   * The metrics of one model.
   *
   * @param precision precision@k
   * @param recall recall@k
   * @param map MAP@k
   * @param coverage distinct recommended products / catalogue size
   * @param users customers evaluated
   */
  public record Metrics(double precision, double recall, double map, double coverage, long users) {}

  private RankingEval() {}

  /**
   * Evaluates ranked lists.
   *
   * @param lists customer_id, rank, product_id (rank 1 = best); customers without a list count as misses
   * @param relevant customer_id, product_id pairs the customers bought in the test window
   * @param catalogueSize products the models could recommend, for coverage
   */
  public static Metrics evaluate(Dataset<Row> lists, Dataset<Row> relevant, long catalogueSize, int k) {
    // The lists are a deep plan (ALS scoring, exclusions, popularity filler); the product numbering,
    // the pairs and the coverage below each read them, so they are computed once.
    Dataset<Row> served = lists.filter(col(Recommender.RANK).leq(k))
        .select(Interactions.CUSTOMER_ID, Recommender.RANK, Interactions.PRODUCT_ID)
        .persist(StorageLevel.MEMORY_AND_DISK());
    // MLlib compares items as doubles: number the products that occur in either side.
    Dataset<Row> products = Recommender.index(
        served.select(Interactions.PRODUCT_ID).unionByName(relevant.select(Interactions.PRODUCT_ID)),
        Interactions.PRODUCT_ID, "_item");
    Column item = col("_item").cast("double").as("_value");
    Dataset<Row> truth = relevant.join(products, Interactions.PRODUCT_ID)
        .groupBy(Interactions.CUSTOMER_ID)
        .agg(collect_list(item).as(RELEVANT));
    Dataset<Row> topK = served.join(truth.select(Interactions.CUSTOMER_ID), Interactions.CUSTOMER_ID);
    Dataset<Row> predicted = topK.join(products, Interactions.PRODUCT_ID)
        .groupBy(Interactions.CUSTOMER_ID)
        .agg(transform(sort_array(collect_list(struct(col(Recommender.RANK), item))), e -> e.getField("_value"))
            .as(PREDICTED));
    Dataset<Row> pairs = truth.join(predicted, Joins.on(Interactions.CUSTOMER_ID), "left")
        .select(coalesce(col(PREDICTED), array().cast("array<double>")).as(PREDICTED), col(RELEVANT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long users = pairs.count();
      long recommended = topK.agg(count_distinct(col(Interactions.PRODUCT_ID))).first().getLong(0);
      double coverage = catalogueSize == 0 ? 0.0 : (double) recommended / catalogueSize;
      if (users == 0) {
        return new Metrics(Double.NaN, Double.NaN, Double.NaN, coverage, 0);
      }
      RankingMetrics<Object> metrics = new RankingEvaluator().setPredictionCol(PREDICTED).setLabelCol(RELEVANT)
          .setK(k).getMetrics(pairs);
      return new Metrics(metrics.precisionAt(k), metrics.recallAt(k), metrics.meanAveragePrecisionAt(k), coverage,
          users);
    } finally {
      pairs.unpersist();
      served.unpersist();
    }
  }
}
