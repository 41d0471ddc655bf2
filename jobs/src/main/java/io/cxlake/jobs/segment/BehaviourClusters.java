package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Segments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Behavioural clusters: KMeans on standardized features from every source (value, frequency,
 * recency, support experience, NPS, web engagement, category mix), k chosen by silhouette, clusters
 * numbered by value and named after the traits where their centre differs most from the base.
 *
 * <p>Heavy-tailed counts and amounts enter as log(1 + x) so a few extreme customers do not own a
 * cluster; missing rates and scores (no tickets, no survey answer) are imputed with the base mean, so
 * they place a customer at the average rather than at zero. A feature that is missing or constant for
 * the whole base (an absent source) is left out.
 */
public final class BehaviourClusters {
  /** Column of the standardized feature vector. */
  static final String FEATURES = "_features";
  static final String PREDICTION = "_prediction";
  /** The value feature: clusters are numbered by their centre on it. */
  static final String VALUE = "value";
  private static final String RAW = "_raw";
  private static final String IMPUTED = "_imputed_";
  private static final String CATEGORY_PREFIX = "share_";

  /**
   * One clustering feature.
   *
   * @param name column name in the feature frame and the model
   * @param expression how it is computed from customer_360
   * @param high trait phrase when a cluster's centre is far above the base mean, null for none
   * @param low trait phrase when far below, null for none
   */
  record Feature(String name, Column expression, String high, String low) {}

  /** A fitted cluster: its number, name, size-independent centre (z-scores per feature). */
  record Cluster(int prediction, int clusterId, String name, double[] centre) {}

  /**
   * The outcome of a fit.
   *
   * @param assignments customer_id, cluster_id, cluster_name per customer
   * @param scaled the cached standardized features behind the assignments; unpersist after writing
   * @param features names of the features used, in vector order
   * @param silhouettes silhouette per k tried (empty when a saved model was applied)
   * @param k the chosen k
   * @param preparation imputer, assembler and scaler
   * @param kmeans the chosen KMeans model
   * @param clusters the clusters by prediction index
   */
  record Result(Dataset<Row> assignments, Dataset<Row> scaled, List<String> features, Map<Integer, Double> silhouettes,
      int k, PipelineModel preparation, KMeansModel kmeans, List<Cluster> clusters) {}

  private BehaviourClusters() {}

  /** Every candidate feature, with one revenue-share feature per given category. */
  static List<Feature> candidates(List<String> categories) {
    List<Feature> f = new ArrayList<>();
    f.add(new Feature(VALUE, log1p(coalesce(col(Customer360.MONETARY_TOTAL), lit(0.0))), "high spenders", "low spenders"));
    f.add(new Feature("frequency", log1p(col(Customer360.PURCHASE_OCCASIONS)), "frequent buyers", "rare buyers"));
    f.add(new Feature("recency", log1p(coalesce(col(Customer360.RECENCY_DAYS), col(Customer360.TENURE_DAYS))),
        "lapsed", "recently active"));
    f.add(new Feature("tickets", log1p(col(Customer360.TICKETS_365D)), "support-heavy", null));
    f.add(new Feature("ticket_csat", col(Customer360.MEAN_TICKET_CSAT), "happy with support", "unhappy with support"));
    f.add(new Feature("nps", col(Customer360.LAST_NPS_SCORE), "promoters", "detractors"));
    f.add(new Feature("sessions", log1p(col(Customer360.SESSIONS_90D)), "web-engaged", "rarely online"));
    f.add(new Feature("product_views", log1p(col(Customer360.PRODUCT_VIEWS_90D)), "heavy browsers", null));
    f.add(new Feature("cart_abandonment", log1p(col(Customer360.CART_ABANDONMENTS_90D)), "cart abandoners", null));
    f.add(new Feature("campaign_response",
        log1p(col(Customer360.EMAIL_CLICKS_90D).plus(col(Customer360.PUSH_OPENS_90D))), "campaign-responsive", null));
    f.add(new Feature("return_rate", col(Customer360.RETURN_RATE), "frequent returners", null));
    f.add(new Feature("discount_share", col(Customer360.DISCOUNT_SHARE), "discount-driven", "full-price buyers"));
    for (String category : categories) {
      f.add(new Feature(CATEGORY_PREFIX + category.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"),
          coalesce(col(Customer360.CATEGORY_SHARES).getItem(category), lit(0.0)), category + " lovers", null));
    }
    return f;
  }

  /** The base's top categories by revenue (ties alphabetical); bounded by {@code n}. */
  static List<String> topCategories(Dataset<Row> customer360, int n) {
    if (n == 0) {
      return List.of();
    }
    return customer360
        .select(explode(col(Customer360.CATEGORY_SHARES)).as(new String[] {"_category", "_share"}),
            col(Customer360.MONETARY_TOTAL))
        .groupBy("_category")
        .agg(sum(col("_share").multiply(col(Customer360.MONETARY_TOTAL))).as("_revenue"))
        .orderBy(desc("_revenue"), col("_category"))
        .limit(n)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** customer_id plus every feature as a double (null where the customer has no value). */
  static Dataset<Row> featureFrame(Dataset<Row> customer360, List<Feature> features) {
    List<Column> cols = new ArrayList<>();
    cols.add(col(Customer360.CUSTOMER_ID).as(Segments.CUSTOMER_ID));
    for (Feature f : features) {
      cols.add(f.expression().cast("double").as(f.name()));
    }
    return customer360.select(cols.toArray(Column[]::new));
  }

  /** The features with at least one value and some spread over the base (one aggregation). */
  static List<Feature> usable(Dataset<Row> frame, List<Feature> features) {
    List<Column> aggs = new ArrayList<>();
    for (Feature f : features) {
      aggs.add(count(col(f.name())));
      aggs.add(stddev_pop(col(f.name())));
    }
    Row stats = frame.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    List<Feature> kept = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      long present = stats.getLong(2 * i);
      Object sd = stats.get(2 * i + 1);
      if (present > 0 && sd != null && (double) sd > 1e-9) {
        kept.add(features.get(i));
      }
    }
    return kept;
  }

  /** Fits the preparation and one KMeans per k, keeps the k with the best silhouette, names the clusters. */
  static Result fit(Dataset<Row> frame, List<Feature> features, SegmentConfig config) {
    if (features.isEmpty()) {
      throw new IllegalStateException("Cannot cluster customers: no feature varies across the base (0 features)");
    }
    String[] names = features.stream().map(Feature::name).toArray(String[]::new);
    String[] imputed = features.stream().map(f -> IMPUTED + f.name()).toArray(String[]::new);
    PipelineModel preparation = new Pipeline().setStages(new PipelineStage[] {
        new Imputer().setInputCols(names).setOutputCols(imputed).setStrategy("mean"),
        new VectorAssembler().setInputCols(imputed).setOutputCol(RAW),
        new StandardScaler().setInputCol(RAW).setOutputCol(FEATURES).setWithMean(true).setWithStd(true)
    }).fit(frame);
    Dataset<Row> scaled = preparation.transform(frame).select(col(Segments.CUSTOMER_ID), col(FEATURES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long customers = scaled.count();
    if (customers < 2L * config.kMin()) {
      scaled.unpersist();
      throw new IllegalStateException("Cannot cluster customers: need at least 2 x segment.k-min customers ("
          + customers + ")");
    }
    ClusteringEvaluator silhouette = new ClusteringEvaluator().setFeaturesCol(FEATURES).setPredictionCol(PREDICTION);
    Map<Integer, Double> silhouettes = new LinkedHashMap<>();
    KMeansModel best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int k = config.kMin(); k <= Math.min(config.kMax(), customers - 1); k++) {
      KMeansModel model = new KMeans().setK(k).setSeed(config.seed()).setMaxIter(config.maxIterations())
          .setFeaturesCol(FEATURES).setPredictionCol(PREDICTION).fit(scaled);
      if (model.clusterCenters().length < 2) {
        continue;
      }
      double score = silhouette.evaluate(model.transform(scaled));
      silhouettes.put(k, score);
      // Strictly better only: on a tie the smaller k, the simpler segmentation, stays.
      if (score > bestScore) {
        bestScore = score;
        best = model;
      }
    }
    if (best == null) {
      scaled.unpersist();
      throw new IllegalStateException("Cannot cluster customers: the customers do not form two clusters ("
          + customers + " customers)");
    }
    List<Cluster> clusters = describe(best.clusterCenters(), features, config.nameMinZ());
    return new Result(assignments(best, scaled, clusters), scaled, List.of(names), silhouettes, best.getK(),
        preparation, best, clusters);
  }

  /** customer_id, cluster_id and cluster_name of the standardized customers; clusters in prediction order. */
  static Dataset<Row> assignments(KMeansModel kmeans, Dataset<Row> scaled, List<Cluster> clusters) {
    Column[] ids = clusters.stream().map(c -> lit(c.clusterId())).toArray(Column[]::new);
    Column[] labels = clusters.stream().map(c -> lit(c.name())).toArray(Column[]::new);
    Column index = col(PREDICTION).plus(1);
    return kmeans.transform(scaled).select(
        col(Segments.CUSTOMER_ID),
        element_at(array(ids), index).as(Segments.CLUSTER_ID),
        element_at(array(labels), index).as(Segments.CLUSTER_NAME));
  }

  /**
   * Numbers the clusters 1..k from the highest centre on the value feature down, and names each
   * from its (at most two) strongest traits: the features where the centre is at least
   * {@code minZ} standard deviations from the base mean, strongest first. Names are made unique.
   */
  static List<Cluster> describe(Vector[] centres, List<Feature> features, double minZ) {
    int valueIndex = -1;
    for (int i = 0; i < features.size(); i++) {
      if (features.get(i).name().equals(VALUE)) {
        valueIndex = i;
      }
    }
    final int v = valueIndex;
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < centres.length; p++) {
      order.add(p);
    }
    order.sort(Comparator.comparingDouble((Integer p) -> v < 0 ? 0.0 : -centres[p].apply(v))
        .thenComparingInt(p -> p));
    int[] clusterId = new int[centres.length];
    for (int rank = 0; rank < order.size(); rank++) {
      clusterId[order.get(rank)] = rank + 1;
    }
    List<Cluster> out = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int p = 0; p < centres.length; p++) {
      double[] centre = centres[p].toArray();
      List<String> traits = traits(centre, features, minZ);
      String name = traits.isEmpty() ? "Typical customers" : join(traits.subList(0, Math.min(2, traits.size())));
      if (taken.contains(name) && traits.size() > 2) {
        name = join(traits.subList(0, 3));
      }
      if (taken.contains(name)) {
        name = name + " (cluster " + clusterId[p] + ")";
      }
      taken.add(name);
      out.add(new Cluster(p, clusterId[p], name, centre));
    }
    return out;
  }

  /** Trait phrases of a centre, strongest first. */
  private static List<String> traits(double[] centre, List<Feature> features, double minZ) {
    List<Integer> strong = new ArrayList<>();
    for (int i = 0; i < centre.length; i++) {
      Feature f = features.get(i);
      String phrase = centre[i] >= 0 ? f.high() : f.low();
      if (Math.abs(centre[i]) >= minZ && phrase != null) {
        strong.add(i);
      }
    }
    strong.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(centre[i])).thenComparingInt(i -> i));
    return strong.stream().map(i -> centre[i] >= 0 ? features.get(i).high() : features.get(i).low()).toList();
  }

  private static String join(List<String> traits) {
    String joined = String.join(", ", traits);
    return Character.toUpperCase(joined.charAt(0)) + joined.substring(1);
  }
}
