package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.Snapshots;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.time.AsOf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code segment} job: RFM segments and behavioural clusters of the customer_360 snapshot of
 * the as-of date, written to {@code segments}, with their profiles in {@code segment_profiles}
 * (CLV and churn where clv_predictions and churn_scores exist for the date). The KMeans model is
 * saved under {@link SegmentConfig#modelPath()}.
 */
public final class SegmentJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "segment";

  private SegmentJob() {}

  /** Reads customer_360 (and CLV, churn when present), segments, profiles and writes. */
  public static RunStats run(SparkSession spark, SegmentConfig config) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    Dataset<Row> customer360 = snapshot(spark, catalog, asOf, "build segments");
    Optional<Dataset<Row>> clv = clv(spark, catalog, asOf);
    Optional<Dataset<Row>> churn = churn(spark, catalog, asOf);

    Dataset<Row> rfm = Rfm.score(customer360);
    List<BehaviourClusters.Feature> candidates = BehaviourClusters.candidates(
        BehaviourClusters.topCategories(customer360, config.categoryFeatures()));
    Dataset<Row> features = BehaviourClusters.featureFrame(customer360, candidates);
    List<BehaviourClusters.Feature> used = BehaviourClusters.usable(features, candidates);
    BehaviourClusters.Result clusters = BehaviourClusters.fit(features, used, config);
    try {
      save(spark, clusters, config);
      String segmentsPath = catalog.path(Segments.TABLE);
      DeltaIO.replacePartition(spark, rfm.join(clusters.assignments(), Segments.CUSTOMER_ID, "left")
              .withColumn(Segments.AS_OF_DATE, asOf.dateLit()),
          Segments.TABLE, segmentsPath, Segments.AS_OF_DATE, asOf.date());
      long written = DeltaIO.lastCommitMetric(spark, segmentsPath, "numOutputRows");

      // Profiles from exactly what was written, so they reconcile with the segments table.
      Dataset<Row> segments = DeltaIO.read(spark, segmentsPath)
          .filter(col(Segments.AS_OF_DATE).equalTo(java.sql.Date.valueOf(asOf.date())));
      Dataset<Row> profiles = Profiles.build(Profiles.tagged(segments, customer360, clv, churn),
          clv.isPresent(), churn.isPresent(), config).withColumn(SegmentProfiles.AS_OF_DATE, asOf.dateLit());
      DeltaIO.replacePartition(spark, profiles, SegmentProfiles.TABLE, catalog.path(SegmentProfiles.TABLE),
          SegmentProfiles.AS_OF_DATE, asOf.date());

      Map<String, String> details = new LinkedHashMap<>();
      details.put("k", String.valueOf(clusters.k()));
      clusters.silhouettes().forEach((k, s) -> details.put("silhouette.k" + k, String.format(Locale.ROOT, "%.4f", s)));
      details.put("features", String.join(",", clusters.features()));
      details.put("clv", String.valueOf(clv.isPresent()));
      details.put("churn_scores", String.valueOf(churn.isPresent()));
      details.put("model", config.modelPath());
      return new RunStats(written, written, 0, details);
    } finally {
      clusters.scaled().unpersist();
    }
  }

  /** The customer_360 rows of the as-of date; fails naming what to run when there are none. */
  static Dataset<Row> snapshot(SparkSession spark, TableCatalog catalog, AsOf asOf, String action) {
    String path = catalog.path(Customer360.TABLE);
    DeltaIO.readRequired(spark, Customer360.TABLE, path, action, "customer360");
    return Snapshots.atDate(spark, path, Customer360.AS_OF_DATE, asOf.date())
        .orElseThrow(() -> new IllegalStateException("Cannot " + action + ": customer_360 has no rows for "
            + asOf.date() + ", run customer360 --as-of " + asOf.date() + " first (" + path + ")"));
  }

  /** customer_id and clv of clv_predictions for the date, when the clv job has run for it. */
  static Optional<Dataset<Row>> clv(SparkSession spark, TableCatalog catalog, AsOf asOf) {
    return Snapshots.atDate(spark, catalog.path(ClvPredictions.TABLE), ClvPredictions.AS_OF_DATE, asOf.date())
        .map(c -> c.select(ClvPredictions.CUSTOMER_ID, ClvPredictions.CLV));
  }

  /** customer_id and churn_probability of churn_scores for the date, when the churn job has run for it. */
  static Optional<Dataset<Row>> churn(SparkSession spark, TableCatalog catalog, AsOf asOf) {
    return Snapshots.churnProbabilities(spark, catalog, asOf.date());
  }

  /** Saves the preparation pipeline, the KMeans model and the cluster numbering and names. */
  private static void save(SparkSession spark, BehaviourClusters.Result clusters, SegmentConfig config) {
    String root = config.modelPath();
    try {
      clusters.preparation().write().overwrite().save(root + "/features");
      clusters.kmeans().write().overwrite().save(root + "/kmeans");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the segment model: " + e.getMessage() + " (" + root + ")", e);
    }
    StructType schema = new StructType()
        .add("prediction", DataTypes.IntegerType)
        .add(Segments.CLUSTER_ID, DataTypes.IntegerType)
        .add(Segments.CLUSTER_NAME, DataTypes.StringType)
        .add("features", DataTypes.createArrayType(DataTypes.StringType))
        .add("centre_z", DataTypes.createArrayType(DataTypes.DoubleType));
    List<Row> rows = new ArrayList<>();
    for (BehaviourClusters.Cluster c : clusters.clusters()) {
      List<Double> centre = new ArrayList<>();
      for (double z : c.centre()) {
        centre.add(z);
      }
      rows.add(RowFactory.create(c.prediction(), c.clusterId(), c.name(), clusters.features(), centre));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").json(root + "/clusters");
  }
}
