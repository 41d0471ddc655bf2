package io.cxlake.jobs.churn;

import io.cxlake.common.catalog.ModelVersions;
import io.cxlake.common.schema.ChurnModelMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fitted churn models under the warehouse: {@code <models>/<version>/<model family>/} holds each
 * candidate's calibrated MLlib PipelineModel (MLlib's own save and load), and
 * {@code <models>/<version>/metadata/} one JSON record of what was trained on what. The metadata
 * is written last, so a version without it is an interrupted run and is never scored with.
 */
public final class ModelStore {
  static final String METADATA = "metadata";

  /** What a model version is: its training window, inputs and chosen model. */
  public record Metadata(
      String version,
      LocalDate asOf,
      String dataset,
      Instant trainedAt,
      Integer horizonDays,
      List<LocalDate> trainCutoffs,
      LocalDate validationCutoff,
      String chosenModel,
      String selectionMetric,
      String selectionReason,
      String calibration,
      List<String> numericFeatures,
      List<String> categoricalFeatures,
      List<String> featureNames,
      Integer activeWindowDays,
      Integer minHistoryDays,
      boolean clvFeatures,
      String sparkVersion) {}

  static final StructType SCHEMA = new StructType()
      .add("version", DataTypes.StringType)
      .add("as_of_date", DataTypes.DateType)
      .add(ChurnModelMetrics.DATASET, DataTypes.StringType)
      .add(ChurnModelMetrics.TRAINED_AT, DataTypes.TimestampType)
      .add(ChurnModelMetrics.HORIZON_DAYS, DataTypes.IntegerType)
      .add(ChurnModelMetrics.TRAIN_CUTOFFS, DataTypes.createArrayType(DataTypes.DateType))
      .add(ChurnModelMetrics.VALIDATION_CUTOFF, DataTypes.DateType)
      .add("chosen_model", DataTypes.StringType)
      .add(ChurnModelMetrics.SELECTION_METRIC, DataTypes.StringType)
      .add(ChurnModelMetrics.SELECTION_REASON, DataTypes.StringType)
      .add(ChurnModelMetrics.CALIBRATION_METHOD, DataTypes.StringType)
      .add("numeric_features", DataTypes.createArrayType(DataTypes.StringType))
      .add("categorical_features", DataTypes.createArrayType(DataTypes.StringType))
      .add("feature_names", DataTypes.createArrayType(DataTypes.StringType))
      .add("active_window_days", DataTypes.IntegerType)
      .add("min_history_days", DataTypes.IntegerType)
      .add("clv_features", DataTypes.BooleanType)
      .add("spark_version", DataTypes.StringType);

  private ModelStore() {}

  /** Where one version lives. */
  static String versionPath(String modelsPath, String version) {
    return modelsPath + "/" + version;
  }

  /** Where one candidate of a version lives. */
  static String modelPath(String modelsPath, String version, Candidate candidate) {
    return versionPath(modelsPath, version) + "/" + candidate.label();
  }

  /** Saves every candidate's calibrated model, then the metadata; a rerun overwrites the version. */
  static void save(SparkSession spark, String modelsPath, Metadata metadata, Map<Candidate, PipelineModel> models) {
    String dir = versionPath(modelsPath, metadata.version());
    try {
      Path metadataPath = new Path(dir, METADATA);
      FileSystem fs = metadataPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      // The metadata goes first, so a rerun that dies while saving leaves no stale "complete" mark.
      fs.delete(metadataPath, true);
      for (Map.Entry<Candidate, PipelineModel> e : models.entrySet()) {
        e.getValue().write().overwrite().save(modelPath(modelsPath, metadata.version(), e.getKey()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save churn model " + metadata.version() + ": " + e.getMessage() + " (" + dir + ")", e);
    }
    Row row = RowFactory.create(
        metadata.version(),
        Date.valueOf(metadata.asOf()),
        metadata.dataset(),
        Timestamp.from(metadata.trainedAt()),
        metadata.horizonDays(),
        metadata.trainCutoffs() == null ? null : metadata.trainCutoffs().stream().map(Date::valueOf).toList(),
        metadata.validationCutoff() == null ? null : Date.valueOf(metadata.validationCutoff()),
        metadata.chosenModel(),
        metadata.selectionMetric(),
        metadata.selectionReason(),
        metadata.calibration(),
        metadata.numericFeatures(),
        metadata.categoricalFeatures(),
        metadata.featureNames(),
        metadata.activeWindowDays(),
        metadata.minHistoryDays(),
        metadata.clvFeatures(),
        metadata.sparkVersion());
    spark.createDataFrame(List.of(row), SCHEMA).coalesce(1).write().mode("overwrite")
        .json(dir + "/" + METADATA);
  }

  /** Reads the metadata of a version. */
  static Metadata readMetadata(SparkSession spark, String modelsPath, String version) {
    String dir = versionPath(modelsPath, version);
    Row r;
    try {
      r = spark.read().schema(SCHEMA).json(dir + "/" + METADATA).first();
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot read churn model " + version + ": no metadata, the training run did not "
          + "finish (" + dir + ")", e);
    }
    return new Metadata(
        r.getString(0),
        r.getDate(1).toLocalDate(),
        r.getString(2),
        r.getTimestamp(3).toInstant(),
        r.isNullAt(4) ? null : r.getInt(4),
        r.isNullAt(5) ? null : r.<Date>getList(5).stream().map(Date::toLocalDate).toList(),
        r.isNullAt(6) ? null : r.getDate(6).toLocalDate(),
        r.getString(7),
        r.getString(8),
        r.getString(9),
        r.getString(10),
        r.getList(11),
        r.getList(12),
        r.getList(13),
        r.isNullAt(14) ? null : r.getInt(14),
        r.isNullAt(15) ? null : r.getInt(15),
        r.getBoolean(16),
        r.getString(17));
  }

  /** Loads a candidate's calibrated model. */
  static PipelineModel load(String modelsPath, String version, Candidate candidate) {
    return PipelineModel.load(modelPath(modelsPath, version, candidate));
  }

  /**
   * The latest complete version (folder named by its training as-of date, with metadata) trained
   * on or before a date: scoring never uses a model that saw data after the scoring date.
   */
  static Optional<String> latestVersion(SparkSession spark, String modelsPath, LocalDate onOrBefore) {
    return ModelVersions.latest(spark, modelsPath, "", METADATA + "/_SUCCESS", onOrBefore, "churn models")
        .map(LocalDate::toString);
  }

}
