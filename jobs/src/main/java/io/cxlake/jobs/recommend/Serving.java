package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.recommend.Recommender.AlsParams;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The recommend job's serving step: the chosen ALS refitted on everything up to the as-of date,
 * and every base customer's top-K list, with the customer's RFM segment popularity where ALS has
 * no factors or too few candidates.
 */
final class Serving {
  private Serving() {}

  /**
   * The recommendations rows and what they were computed from, cached until the rows are written.
   *
   * @param rows the recommendations rows of the as-of date
   */
  record Lists(Dataset<Row> rows, List<Dataset<Row>> cached, Recommender.Indexed indexed) implements AutoCloseable {
    @Override
    public void close() {
      cached.forEach(Dataset::unpersist);
      indexed.close();
    }
  }

  /** Fits on everything up to the as-of date and lists every base customer's products. */
  static Lists lists(RecommendJob.Inputs in, AlsParams params, RecommendConfig config) {
    AsOf asOf = config.asOf();
    Dataset<Row> weights = Interactions.weights(in.transactions(), in.web(), asOf, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> exclusions = Interactions.exclusions(in.transactions(), in.products(), asOf, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Recommender.Indexed indexed = Recommender.Indexed.of(weights);
    Recommender.Fitted fitted = Recommender.fit(indexed, params, config);
    int popularityLength = Recommender.popularityLength(exclusions, fitted.items().count(), config.topK(),
        config.candidates());
    Dataset<Row> customers = in.base().select(col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT).as(Recommender.GROUP));
    Dataset<Row> groupBuyers = Interactions.buyers(in.transactions(), customers, Recommender.GROUP, asOf,
        config.popularityDays()).persist(StorageLevel.MEMORY_AND_DISK());
    // Segments partition the customers, so a product's buyers over all segments add up.
    Dataset<Row> overall = groupBuyers.groupBy(Interactions.PRODUCT_ID)
        .agg(sum(Interactions.BUYERS).as(Interactions.BUYERS));
    Dataset<Row> popularity = Recommender.popularity(groupBuyers, overall, customers, popularityLength);
    Dataset<Row> als = Recommender.alsTop(fitted, customers, exclusions, config.topK())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> rows = Recommender.rank(customers, als, popularity, exclusions, config.topK())
        .join(in.products(), Joins.on(Interactions.PRODUCT_ID), "left")
        .join(in.base(), Joins.on(Segments.CUSTOMER_ID))
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
    return new Lists(rows, List.of(als, groupBuyers, exclusions, weights), indexed);
  }
}
