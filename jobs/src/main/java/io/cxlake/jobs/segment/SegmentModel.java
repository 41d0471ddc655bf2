package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.ModelVersions;
import io.cxlake.common.schema.Segments;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The behavioural clustering a {@code segment-train} (or a refitting {@code segment}) run saved
 * under {@code <warehouse>/models/segments/as_of_date=<date>/}: the feature preparation, the KMeans
 * model, and per cluster its number, name and the features and categories it was fitted on, so a
 * later day's customers are assigned to the same clusters with the same names.
 */
final class SegmentModel {
  static final String DATE_PREFIX = "as_of_date=";
  private static final String PREPARATION = "features";
  private static final String KMEANS = "kmeans";
  /** Written last: a folder without it is an interrupted save and never used. */
  private static final String CLUSTERS = "clusters";
  private static final String PREDICTION = "prediction";
  private static final String FEATURES = "features";
  private static final String CATEGORIES = "categories";
  private static final String CENTRE = "centre_z";

  private SegmentModel() {}

  /**
   * Saves a fit, atomically ({@link ModelVersions#publish}); the categories are those the
   * category-share features were built for.
   */
  static void save(SparkSession spark, BehaviourClusters.Result fit, List<String> categories, String path) {
    StructType schema = new StructType()
        .add(PREDICTION, DataTypes.IntegerType)
        .add(Segments.CLUSTER_ID, DataTypes.IntegerType)
        .add(Segments.CLUSTER_NAME, DataTypes.StringType)
        .add(FEATURES, DataTypes.createArrayType(DataTypes.StringType))
        .add(CATEGORIES, DataTypes.createArrayType(DataTypes.StringType))
        .add(CENTRE, DataTypes.createArrayType(DataTypes.DoubleType));
    List<Row> rows = new ArrayList<>();
    for (BehaviourClusters.Cluster c : fit.clusters()) {
      List<Double> centre = new ArrayList<>();
      for (double z : c.centre()) {
        centre.add(z);
      }
      rows.add(RowFactory.create(c.prediction(), c.clusterId(), c.name(), fit.features(), categories, centre));
    }
    ModelVersions.publish(spark, path, folder -> {
      fit.preparation().write().save(folder + "/" + PREPARATION);
      fit.kmeans().write().save(folder + "/" + KMEANS);
      spark.createDataFrame(rows, schema).coalesce(1).write().json(folder + "/" + CLUSTERS);
    });
  }

  /** The as-of date of the latest complete model saved on or before a date: never one that saw later data. */
  static Optional<LocalDate> latest(SparkSession spark, String modelsRoot, LocalDate onOrBefore) {
    return ModelVersions.latest(spark, modelsRoot, DATE_PREFIX, CLUSTERS + "/_SUCCESS", onOrBefore, "segment models");
  }


  /**
   * Assigns the customers of a customer_360 snapshot to the clusters of the model saved at
   * {@code path}: the same features (the saved categories' shares), imputation means, scaling and
   * centres as when it was fitted.
   */
  static BehaviourClusters.Result apply(SparkSession spark, String path, Dataset<Row> customer360) {
    List<Row> saved = spark.read().json(path + "/" + CLUSTERS).orderBy(PREDICTION).collectAsList();
    if (saved.isEmpty()) {
      throw new IllegalStateException("Cannot apply the segment model: it has no clusters (" + path + ")");
    }
    Row first = saved.get(0);
    List<String> names = first.getList(first.fieldIndex(FEATURES));
    List<String> categories = first.getList(first.fieldIndex(CATEGORIES));
    Map<String, BehaviourClusters.Feature> byName = new java.util.HashMap<>();
    BehaviourClusters.candidates(categories).forEach(f -> byName.put(f.name(), f));
    List<BehaviourClusters.Feature> features = names.stream().map(byName::get).toList();

    List<BehaviourClusters.Cluster> clusters = new ArrayList<>();
    for (Row r : saved) {
      List<Double> centre = r.getList(r.fieldIndex(CENTRE));
      clusters.add(new BehaviourClusters.Cluster((int) r.getLong(r.fieldIndex(PREDICTION)),
          (int) r.getLong(r.fieldIndex(Segments.CLUSTER_ID)), r.getString(r.fieldIndex(Segments.CLUSTER_NAME)),
          centre.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    PipelineModel preparation = PipelineModel.load(path + "/" + PREPARATION);
    KMeansModel kmeans = KMeansModel.load(path + "/" + KMEANS);
    Dataset<Row> scaled = preparation.transform(BehaviourClusters.featureFrame(customer360, features))
        .select(col(Segments.CUSTOMER_ID), col(BehaviourClusters.FEATURES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new BehaviourClusters.Result(BehaviourClusters.assignments(kmeans, scaled, clusters), scaled, names,
        Map.of(), kmeans.getK(), preparation, kmeans, clusters);
  }
}
