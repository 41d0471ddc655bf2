package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import io.cxlake.common.spark.Joins;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ALS on implicit feedback and the popularity lists, and how both become one ranked list per
 * customer: ALS candidates minus the excluded products, then popularity to fill the list (all of it
 * for a customer ALS has no factors for).
 */
public final class Recommender {
  /** Columns of a ranked list. */
  public static final String RANK = "rank";
  public static final String SCORE = "score";
  public static final String SOURCE = "source";
  public static final String SOURCE_ALS = "als";
  public static final String SOURCE_POPULARITY = "popularity";
  /** Column of the popularity group (RFM segment, or one constant for the baseline). */
  public static final String GROUP = "_group";

  static final String USER = "_user";
  static final String ITEM = "_item";
  private static final String PRIORITY = "_priority";
  private static final String ORDER = "_order";
  /**
   * Accuracy of the exclusions percentile (rank error 1/10,000). The lists are right for any value
   * it returns; only how many customers draw the smaller number depends on it.
   */
  private static final int PERCENTILE_ACCURACY = 10_000;

  private static final String CUSTOMER_ID = Interactions.CUSTOMER_ID;
  private static final String PRODUCT_ID = Interactions.PRODUCT_ID;

  /**
   * One point of the hyper-parameter grid.
   *
   * @param rank latent factors
   * @param regParam regularisation
   * @param alpha confidence scaling of implicit feedback: confidence = 1 + alpha x weight
   */
  public record AlsParams(int rank, double regParam, double alpha) {}

  /** A fitted model with the id mappings it was trained with (cached until {@link #unpersist}). */
  record Fitted(ALSModel model, Dataset<Row> users, Dataset<Row> items) {
    void unpersist() {
      users.unpersist();
      items.unpersist();
    }
  }

  /** Candidates as {@link #alsCandidates} returns them: customer_id, product_id, score. */
  static final StructType CANDIDATES_SCHEMA = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType)
      .add(PRODUCT_ID, DataTypes.StringType)
      .add(SCORE, DataTypes.DoubleType);

  private Recommender() {}

  /**
   * Dense integer ids for the distinct values of a string column, in sorted order (deterministic),
   * as ALS needs: {@code idColumn, indexColumn}.
   */
  static Dataset<Row> index(Dataset<Row> data, String idColumn, String indexColumn) {
    Dataset<Row> distinct = data.select(idColumn).distinct().orderBy(idColumn);
    JavaRDD<Row> indexed = distinct.javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._1().getString(0), Math.toIntExact(t._2())));
    StructType schema = new StructType().add(idColumn, DataTypes.StringType).add(indexColumn, DataTypes.IntegerType);
    return data.sparkSession().createDataFrame(indexed, schema);
  }

  /** Fits implicit ALS on the weights (customer_id, product_id, weight). */
  static Fitted fit(Dataset<Row> weights, AlsParams params, RecommendConfig config) {
    Dataset<Row> users = index(weights, CUSTOMER_ID, USER).cache();
    Dataset<Row> items = index(weights, PRODUCT_ID, ITEM).cache();
    Dataset<Row> ratings = weights.join(users, CUSTOMER_ID).join(items, PRODUCT_ID)
        .select(col(USER), col(ITEM), col(Interactions.WEIGHT));
    // Spark's default of 10 user and 10 item blocks makes each iteration 20+ small tasks per side on
    // a small machine; one block per core does the same work with less shuffle and scheduling.
    int blocks = config.alsBlocks() > 0 ? config.alsBlocks()
        : Math.max(1, weights.sparkSession().sparkContext().defaultParallelism());
    ALSModel model = new ALS()
        .setImplicitPrefs(true)
        .setNumBlocks(blocks)
        .setRank(params.rank())
        .setRegParam(params.regParam())
        .setAlpha(params.alpha())
        .setMaxIter(config.maxIterations())
        .setSeed(config.seed())
        .setUserCol(USER)
        .setItemCol(ITEM)
        .setRatingCol(Interactions.WEIGHT)
        .setColdStartStrategy("drop")
        .fit(ratings);
    return new Fitted(model, users, items);
  }

  /**
   * How many candidates to draw per customer before exclusions, so that each keeps {@code k}: ALS
   * scores bought products highly, so a heavy buyer's top list is mostly excluded. Most customers
   * exclude few products, and the scored rows grow with the draw, so customers with at most the 95th
   * percentile of exclusions draw k + that many and only the others k + the largest number; both at
   * most {@code recommend.candidates} and the number of products.
   *
   * @param typical the draw of a customer with at most {@code typicalExclusions} excluded products
   * @param typicalExclusions the 95th percentile of the customers' excluded products
   * @param most the draw of every other customer; also the length of the popularity lists
   */
  record CandidateCounts(int typical, long typicalExclusions, int most) {}

  /**
   * The draws for these exclusions ({@link CandidateCounts}).
   *
   * @param products products the candidates come from
   */
  static CandidateCounts candidateCounts(Dataset<Row> exclusions, long products, int k, int cap) {
    Row counts = excludedPerCustomer(exclusions)
        .agg(max(col("count")), percentile_approx(col("count"), lit(0.95), lit(PERCENTILE_ACCURACY))).first();
    long most = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long typical = counts.isNullAt(1) ? 0 : counts.getLong(1);
    return new CandidateCounts(draw(k, typical, products, cap), typical, draw(k, most, products, cap));
  }

  private static int draw(int k, long excluded, long products, int cap) {
    return (int) Math.max(k, Math.min(Math.min(cap, k + excluded), products));
  }

  private static Dataset<Row> excludedPerCustomer(Dataset<Row> exclusions) {
    return exclusions.groupBy(CUSTOMER_ID).count();
  }

  /**
   * The ALS candidates of the customers ALS knows: {@code customer_id, product_id, score}, each
   * customer's top products by predicted preference, as many as {@code counts} draws for it. The
   * lists served from them are those of the largest draw for everyone: a customer with e excluded
   * products finds its k best allowed products within its top k + e.
   */
  static Dataset<Row> alsCandidates(Fitted fitted, Dataset<Row> customers, Dataset<Row> exclusions,
      CandidateCounts counts) {
    Dataset<Row> known = customers.select(CUSTOMER_ID).join(fitted.users(), CUSTOMER_ID);
    if (counts.typical() == counts.most()) {
      return top(fitted, known, counts.most());
    }
    Dataset<Row> heavy = excludedPerCustomer(exclusions).filter(col("count").gt(counts.typicalExclusions()))
        .select(CUSTOMER_ID);
    return top(fitted, known.join(heavy, Joins.on(CUSTOMER_ID), "left_anti"), counts.typical())
        .unionByName(top(fitted, known.join(heavy, Joins.on(CUSTOMER_ID), "left_semi"), counts.most()));
  }

  private static Dataset<Row> top(Fitted fitted, Dataset<Row> known, int n) {
    return fitted.model().recommendForUserSubset(known.select(USER), n)
        .select(col(USER), explode(col("recommendations")).as("_r"))
        .select(col(USER), col("_r." + ITEM).as(ITEM), col("_r.rating").cast(DataTypes.DoubleType).as(SCORE))
        .join(fitted.users(), USER)
        .join(fitted.items(), ITEM)
        .select(CUSTOMER_ID, PRODUCT_ID, SCORE);
  }

  /**
   * Popularity lists per group: the group's own most bought products first, then the overall most
   * bought ones the group has not bought, so every group's list is {@code candidates} long:
   * {@code _group, product_id, score (buyers), _order}.
   *
   * @param groupBuyers _group, product_id, buyers from {@link Interactions#buyers}
   * @param overallBuyers product_id, buyers over everyone
   * @param groups the groups to list (every segment of the base, bought or not)
   */
  static Dataset<Row> popularity(Dataset<Row> groupBuyers, Dataset<Row> overallBuyers, Dataset<Row> groups,
      int candidates) {
    Column byBuyers = col(Interactions.BUYERS).desc();
    Dataset<Row> own = groupBuyers
        .withColumn(ORDER, row_number().over(Window.partitionBy(GROUP).orderBy(byBuyers, col(PRODUCT_ID))))
        .filter(col(ORDER).leq(candidates))
        .withColumn(PRIORITY, lit(0));
    Dataset<Row> overall = overallBuyers
        .withColumn(ORDER, row_number().over(Window.partitionBy(lit(1)).orderBy(byBuyers, col(PRODUCT_ID))))
        .filter(col(ORDER).leq(candidates))
        .withColumn(PRIORITY, lit(1))
        .crossJoin(groups.select(GROUP).distinct());
    return own.unionByName(overall)
        .groupBy(GROUP, PRODUCT_ID)
        .agg(min(struct(col(PRIORITY), col(ORDER), col(Interactions.BUYERS))).as("_best"))
        .select(col(GROUP), col(PRODUCT_ID), col("_best." + Interactions.BUYERS).cast(DataTypes.DoubleType).as(SCORE),
            row_number().over(Window.partitionBy(GROUP)
                .orderBy(col("_best." + PRIORITY), col("_best." + ORDER), col(PRODUCT_ID))).as(ORDER))
        .filter(col(ORDER).leq(candidates));
  }

  /**
   * The served lists: per customer the ALS candidates that are not excluded, best first, then the
   * customer's group popularity (not excluded, not already listed) until {@code k} products:
   * {@code customer_id, rank, product_id, score, source}.
   *
   * @param customers customer_id and _group of every customer to recommend to
   * @param als ALS candidates ({@link #alsCandidates}); may be empty
   * @param popularity group lists ({@link #popularity})
   * @param exclusions customer_id, product_id pairs never to recommend
   */
  static Dataset<Row> rank(Dataset<Row> customers, Dataset<Row> als, Dataset<Row> popularity, Dataset<Row> exclusions,
      int k) {
    Dataset<Row> alsKept = als.join(exclusions, Joins.on(CUSTOMER_ID, PRODUCT_ID), "left_anti")
        .withColumn(ORDER, row_number().over(Window.partitionBy(CUSTOMER_ID)
            .orderBy(col(SCORE).desc(), col(PRODUCT_ID))))
        .filter(col(ORDER).leq(k))
        .select(col(CUSTOMER_ID), col(PRODUCT_ID), col(SCORE), lit(SOURCE_ALS).as(SOURCE), lit(0).as(PRIORITY),
            col(ORDER));
    // Only customers ALS left short need the popularity join, which is customers x candidates rows.
    Dataset<Row> shortOf = customers
        .join(alsKept.groupBy(CUSTOMER_ID).agg(count(lit(1)).as("_n")), Joins.on(CUSTOMER_ID), "left")
        .filter(col("_n").isNull().or(col("_n").lt(k)))
        .select(CUSTOMER_ID, GROUP);
    Dataset<Row> filler = shortOf.join(popularity, GROUP)
        .join(exclusions, Joins.on(CUSTOMER_ID, PRODUCT_ID), "left_anti")
        .join(alsKept.select(CUSTOMER_ID, PRODUCT_ID), Joins.on(CUSTOMER_ID, PRODUCT_ID), "left_anti")
        .select(col(CUSTOMER_ID), col(PRODUCT_ID), col(SCORE), lit(SOURCE_POPULARITY).as(SOURCE), lit(1).as(PRIORITY),
            col(ORDER));
    return alsKept.unionByName(filler)
        .withColumn(RANK, row_number().over(Window.partitionBy(CUSTOMER_ID).orderBy(col(PRIORITY), col(ORDER))))
        .filter(col(RANK).leq(k))
        .select(CUSTOMER_ID, RANK, PRODUCT_ID, SCORE, SOURCE);
  }
}
