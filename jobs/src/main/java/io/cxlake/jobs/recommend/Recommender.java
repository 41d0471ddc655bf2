package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import io.cxlake.common.spark.Joins;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * ALS on implicit feedback and the popularity lists, and how both become one ranked list per
 * customer: its best ALS products that are not excluded, then popularity to fill the list (all of it
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
  private static final String EXCLUDED = "_excluded";

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

  /**
   * The weights with the dense integer ids ALS needs ({@code _user, _item, weight}) and the id
   * mappings, cached until {@link #close}: every grid point fitted on the same weights shares them.
   */
  record Indexed(Dataset<Row> ratings, Dataset<Row> users, Dataset<Row> items) implements AutoCloseable {
    /** Numbers the customers and products of the weights (customer_id, product_id, weight). */
    static Indexed of(Dataset<Row> weights) {
      Dataset<Row> users = index(weights, CUSTOMER_ID, USER).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> items = index(weights, PRODUCT_ID, ITEM).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> ratings = weights.join(users, CUSTOMER_ID).join(items, PRODUCT_ID)
          .select(col(USER), col(ITEM), col(Interactions.WEIGHT))
          .persist(StorageLevel.MEMORY_AND_DISK());
      return new Indexed(ratings, users, items);
    }

    @Override
    public void close() {
      ratings.unpersist();
      users.unpersist();
      items.unpersist();
    }
  }

  /** A fitted model with the id mappings it was trained with. */
  record Fitted(ALSModel model, Dataset<Row> users, Dataset<Row> items) {}

  /** ALS lists as {@link #alsTop} returns them: customer_id, product_id, score, _order. */
  static final StructType ALS_LISTS_SCHEMA = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType)
      .add(PRODUCT_ID, DataTypes.StringType)
      .add(SCORE, DataTypes.DoubleType)
      .add(ORDER, DataTypes.IntegerType);

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

  /** Fits implicit ALS on indexed weights. */
  static Fitted fit(Indexed data, AlsParams params, RecommendConfig config) {
    // Spark's default of 10 user and 10 item blocks makes each iteration 20+ small tasks per side on
    // a small machine; one block per core does the same work with less shuffle and scheduling.
    int blocks = config.alsBlocks() > 0 ? config.alsBlocks()
        : Math.max(1, data.ratings().sparkSession().sparkContext().defaultParallelism());
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
        .fit(data.ratings());
    return new Fitted(model, data.users(), data.items());
  }

  /**
   * Length of the popularity lists: a customer must find {@code k} products it may be offered among
   * them after its exclusions, so k + the largest number of excluded products, but at most
   * {@code cap} and at least k.
   *
   * @param products products the lists come from
   */
  static int popularityLength(Dataset<Row> exclusions, long products, int k, int cap) {
    Row most = exclusions.groupBy(CUSTOMER_ID).count().agg(max(col("count"))).first();
    long excluded = most.isNullAt(0) ? 0 : most.getLong(0);
    return (int) Math.max(k, Math.min(Math.min(cap, k + excluded), products));
  }

  /** The item factors of a model, as every scoring task holds them: ids and factors in the same order. */
  private record ItemFactors(int[] ids, float[][] factors) implements Serializable {}

  /**
   * Each known customer's {@code k} best products by predicted preference among those it may be
   * offered: {@code customer_id, product_id, score, _order} (1 = best; equal scores by product_id).
   * Every product ALS knows is scored for every customer, as ALS's own recommendForUserSubset does,
   * but the exclusions are applied while scoring: only k rows per customer leave the task, where a
   * draw of ranked candidates had to be long enough to survive a heavy buyer's exclusions.
   */
  static Dataset<Row> alsTop(Fitted fitted, Dataset<Row> customers, Dataset<Row> exclusions, int k) {
    // One row per product ALS knows: the catalogue, not customer-level data.
    List<Row> items = fitted.model().itemFactors().orderBy("id").collectAsList();
    int[] ids = new int[items.size()];
    float[][] factors = new float[items.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = items.get(i).getInt(0);
      factors[i] = floats(items.get(i).getList(1));
    }
    SparkSession spark = customers.sparkSession();
    Broadcast<ItemFactors> catalogue = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new ItemFactors(ids, factors));
    Dataset<Row> excluded = exclusions.join(fitted.items(), PRODUCT_ID)
        .groupBy(CUSTOMER_ID).agg(collect_list(col(ITEM)).as(EXCLUDED));
    Dataset<Row> users = customers.select(CUSTOMER_ID).join(fitted.users(), CUSTOMER_ID)
        .join(fitted.model().userFactors().withColumnRenamed("id", USER), USER)
        .join(excluded, Joins.on(CUSTOMER_ID), "left")
        .select(col(CUSTOMER_ID), col("features"), col(EXCLUDED));
    StructType scored = new StructType().add(CUSTOMER_ID, DataTypes.StringType).add(ITEM, DataTypes.IntegerType)
        .add(SCORE, DataTypes.DoubleType).add(ORDER, DataTypes.IntegerType);
    Dataset<Row> top = users.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> new TopK(rows, catalogue.value(), k), Encoders.row(scored));
    return top.join(broadcast(fitted.items()), ITEM).select(CUSTOMER_ID, PRODUCT_ID, SCORE, ORDER);
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  /**
   * The rows of {@link #alsTop} for one partition of customers: per customer, the dot product of its
   * factors with every allowed product's, kept in a heap of the k best.
   */
  private static final class TopK implements Iterator<Row> {
    private final Iterator<Row> customers;
    private final ItemFactors catalogue;
    private final int k;
    private final float[] scores;
    private final ArrayDeque<Row> pending = new ArrayDeque<>();

    TopK(Iterator<Row> customers, ItemFactors catalogue, int k) {
      this.customers = customers;
      this.catalogue = catalogue;
      this.k = k;
      this.scores = new float[catalogue.ids().length];
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty() && customers.hasNext()) {
        score(customers.next());
      }
      return !pending.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.poll();
    }

    private void score(Row customer) {
      String id = customer.getString(0);
      float[] user = floats(customer.getList(1));
      Set<Integer> excluded = customer.isNullAt(2) ? Set.of() : new HashSet<>(customer.<Integer>getList(2));
      int[] ids = catalogue.ids();
      // Worst first: the lower score, then the larger id (ids follow product_id order).
      PriorityQueue<Integer> best = new PriorityQueue<>(k + 1, (a, b) -> scores[a] != scores[b]
          ? Float.compare(scores[a], scores[b]) : Integer.compare(ids[b], ids[a]));
      for (int i = 0; i < ids.length; i++) {
        if (excluded.contains(ids[i])) {
          continue;
        }
        float[] item = catalogue.factors()[i];
        float dot = 0f;
        for (int f = 0; f < user.length; f++) {
          dot += user[f] * item[f];
        }
        scores[i] = dot;
        best.offer(i);
        if (best.size() > k) {
          best.poll();
        }
      }
      Row[] ranked = new Row[best.size()];
      for (int order = ranked.length; order >= 1; order--) {
        int i = best.poll();
        ranked[order - 1] = RowFactory.create(id, ids[i], (double) scores[i], order);
      }
      pending.addAll(List.of(ranked));
    }
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
   * The served lists: per customer its ALS list (best first, excluded products already left out), then the
   * customer's group popularity (not excluded, not already listed) until {@code k} products:
   * {@code customer_id, rank, product_id, score, source}.
   *
   * @param customers customer_id and _group of every customer to recommend to
   * @param als ALS lists ({@link #alsTop}); may be empty
   * @param popularity group lists ({@link #popularity})
   * @param exclusions customer_id, product_id pairs never to recommend
   */
  static Dataset<Row> rank(Dataset<Row> customers, Dataset<Row> als, Dataset<Row> popularity, Dataset<Row> exclusions,
      int k) {
    Dataset<Row> alsKept = als.select(col(CUSTOMER_ID), col(PRODUCT_ID), col(SCORE), lit(SOURCE_ALS).as(SOURCE),
        lit(0).as(PRIORITY), col(ORDER));
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
