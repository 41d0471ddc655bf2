package io.cxlake.jobs.churn;

import io.cxlake.common.catalog.ModelVersions;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.jobs.churn.ModelSettings.Calibration;
import io.cxlake.jobs.churn.ModelSettings.SelectionMetric;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
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
  /** The training window's drift reference ({@link Drift}); absent in versions saved before it existed. */
  static final String REFERENCE = "drift_reference";

  /**
   * What a model version is: what it was trained on, its inputs, and which candidate serves and why.
   *
   * @param version the version (folder) name
   * @param asOf the training as-of date: the model saw no data after it
   * @param dataset what it was trained on: {@code events}, or {@code features_csv:<file name>}
   * @param events the snapshots of the warehouse's events it was trained on; empty for a file
   * @param trainedAt when the training ran
   * @param chosen the candidate churn-score uses
   * @param selectionMetric the metric the candidates were compared on
   * @param selectionReason why the chosen candidate won, with the numbers
   * @param calibration how the probabilities are calibrated
   * @param numericFeatures numeric input columns
   * @param categoricalFeatures categorical input columns
   * @param featureNames the assembled vector's elements, readable (drivers)
   * @param sparkVersion Spark version that saved the models
   * @param refitCutoffs the cut-offs the chosen model was refitted on; empty when not refitted
   * @param promoted whether the version is a champion churn-score serves (versions saved before the
   *     gate existed read as champions)
   * @param promotionReason why it was promoted or not
   */
  public record Metadata(
      String version,
      LocalDate asOf,
      String dataset,
      Optional<EventSnapshots> events,
      Instant trainedAt,
      Candidate chosen,
      SelectionMetric selectionMetric,
      String selectionReason,
      Calibration calibration,
      List<String> numericFeatures,
      List<String> categoricalFeatures,
      List<String> featureNames,
      String sparkVersion,
      List<LocalDate> refitCutoffs,
      boolean promoted,
      String promotionReason) {
    public Metadata {
      refitCutoffs = List.copyOf(refitCutoffs);
      numericFeatures = List.copyOf(numericFeatures);
      categoricalFeatures = List.copyOf(categoricalFeatures);
      featureNames = List.copyOf(featureNames);
    }

    /** Every input column, numeric first. */
    public List<String> inputs() {
      List<String> all = new ArrayList<>(numericFeatures);
      all.addAll(categoricalFeatures);
      return all;
    }

    /** The same version serving another of its candidates (a manual choice). */
    public Metadata withChosen(Candidate candidate) {
      return new Metadata(version, asOf, dataset, events, trainedAt, candidate, selectionMetric,
          "chosen by hand: " + candidate.label(), calibration, numericFeatures, categoricalFeatures, featureNames,
          sparkVersion, refitCutoffs, promoted, promotionReason);
    }
  }

  /**
   * Point-in-time snapshots of the warehouse's events.
   *
   * @param horizonDays churn = no completed purchase in this many days after a cut-off
   * @param trainCutoffs the training snapshots' cut-offs, oldest first
   * @param validationCutoff the validation snapshot's cut-off
   * @param activeWindowDays the population: a purchase within this many days of the cut-off
   * @param minHistoryDays the population: first purchase at least this long before the cut-off
   */
  public record EventSnapshots(int horizonDays, List<LocalDate> trainCutoffs, LocalDate validationCutoff,
      int activeWindowDays, int minHistoryDays) {
    public EventSnapshots {
      trainCutoffs = List.copyOf(trainCutoffs);
    }
  }

  private static final String VERSION = "version";
  private static final String AS_OF_DATE = "as_of_date";
  private static final String CHOSEN_MODEL = "chosen_model";
  private static final String NUMERIC_FEATURES = "numeric_features";
  private static final String CATEGORICAL_FEATURES = "categorical_features";
  private static final String FEATURE_NAMES = "feature_names";
  private static final String ACTIVE_WINDOW_DAYS = "active_window_days";
  private static final String MIN_HISTORY_DAYS = "min_history_days";
  private static final String SPARK_VERSION = "spark_version";
  private static final String REFIT_CUTOFFS = ChurnModelMetrics.REFIT_CUTOFFS;
  private static final String PROMOTED = ChurnModelMetrics.PROMOTED;
  private static final String PROMOTION_REASON = ChurnModelMetrics.PROMOTION_REASON;

  /** The JSON record of a version's metadata; fields are only added, so versions saved earlier stay readable. */
  static final StructType SCHEMA = new StructType()
      .add(VERSION, DataTypes.StringType)
      .add(AS_OF_DATE, DataTypes.DateType)
      .add(ChurnModelMetrics.DATASET, DataTypes.StringType)
      .add(ChurnModelMetrics.TRAINED_AT, DataTypes.TimestampType)
      .add(ChurnModelMetrics.HORIZON_DAYS, DataTypes.IntegerType)
      .add(ChurnModelMetrics.TRAIN_CUTOFFS, DataTypes.createArrayType(DataTypes.DateType))
      .add(ChurnModelMetrics.VALIDATION_CUTOFF, DataTypes.DateType)
      .add(CHOSEN_MODEL, DataTypes.StringType)
      .add(ChurnModelMetrics.SELECTION_METRIC, DataTypes.StringType)
      .add(ChurnModelMetrics.SELECTION_REASON, DataTypes.StringType)
      .add(ChurnModelMetrics.CALIBRATION_METHOD, DataTypes.StringType)
      .add(NUMERIC_FEATURES, DataTypes.createArrayType(DataTypes.StringType))
      .add(CATEGORICAL_FEATURES, DataTypes.createArrayType(DataTypes.StringType))
      .add(FEATURE_NAMES, DataTypes.createArrayType(DataTypes.StringType))
      .add(ACTIVE_WINDOW_DAYS, DataTypes.IntegerType)
      .add(MIN_HISTORY_DAYS, DataTypes.IntegerType)
      .add(SPARK_VERSION, DataTypes.StringType)
      .add(REFIT_CUTOFFS, DataTypes.createArrayType(DataTypes.DateType))
      .add(PROMOTED, DataTypes.BooleanType)
      .add(PROMOTION_REASON, DataTypes.StringType);

  private ModelStore() {}

  /** Where one version lives. */
  static String versionPath(String modelsPath, String version) {
    return modelsPath + "/" + version;
  }

  /** Where one candidate of a version lives. */
  static String modelPath(String modelsPath, String version, Candidate candidate) {
    return versionPath(modelsPath, version) + "/" + candidate.label();
  }

  /**
   * Saves every candidate's calibrated model and the metadata, atomically ({@link ModelVersions#publish}):
   * a rerun replaces the version whole, and a save killed midway leaves the previous one in place.
   */
  static void save(SparkSession spark, String modelsPath, Metadata metadata, Map<Candidate, PipelineModel> models,
      List<Drift.Reference> reference) {
    Row row = toRow(metadata);
    ModelVersions.publish(spark, versionPath(modelsPath, metadata.version()), folder -> {
      for (Map.Entry<Candidate, PipelineModel> e : models.entrySet()) {
        e.getValue().write().save(folder + "/" + e.getKey().label());
      }
      if (!reference.isEmpty()) {
        spark.createDataFrame(reference.stream().map(Drift.Reference::toRow).toList(), Drift.REFERENCE_SCHEMA)
            .coalesce(1).write().parquet(folder + "/" + REFERENCE);
      }
      spark.createDataFrame(List.of(row), SCHEMA).coalesce(1).write().json(folder + "/" + METADATA);
    });
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
    return fromRow(r);
  }

  /** The stored JSON record: flat, with null window fields for a featurized-file version. */
  private static Row toRow(Metadata m) {
    Optional<EventSnapshots> events = m.events();
    return new GenericRowWithSchema(new Object[] {
        m.version(),
        Date.valueOf(m.asOf()),
        m.dataset(),
        Timestamp.from(m.trainedAt()),
        events.map(EventSnapshots::horizonDays).orElse(null),
        events.map(e -> e.trainCutoffs().stream().map(Date::valueOf).toList()).orElse(null),
        events.map(e -> Date.valueOf(e.validationCutoff())).orElse(null),
        m.chosen().label(),
        m.selectionMetric().label(),
        m.selectionReason(),
        m.calibration().label(),
        m.numericFeatures(),
        m.categoricalFeatures(),
        m.featureNames(),
        events.map(EventSnapshots::activeWindowDays).orElse(null),
        events.map(EventSnapshots::minHistoryDays).orElse(null),
        m.sparkVersion(),
        m.refitCutoffs().stream().map(Date::valueOf).toList(),
        m.promoted(),
        m.promotionReason()}, SCHEMA);
  }

  private static Metadata fromRow(Row r) {
    String dataset = r.getAs(ChurnModelMetrics.DATASET);
    Optional<EventSnapshots> events = !dataset.equals(ChurnModelMetrics.DATASET_EVENTS) ? Optional.empty()
        : Optional.of(new EventSnapshots(r.<Integer>getAs(ChurnModelMetrics.HORIZON_DAYS),
            r.<Date>getList(r.fieldIndex(ChurnModelMetrics.TRAIN_CUTOFFS)).stream().map(Date::toLocalDate).toList(),
            r.<Date>getAs(ChurnModelMetrics.VALIDATION_CUTOFF).toLocalDate(),
            r.<Integer>getAs(ACTIVE_WINDOW_DAYS), r.<Integer>getAs(MIN_HISTORY_DAYS)));
    return new Metadata(
        r.getAs(VERSION),
        r.<Date>getAs(AS_OF_DATE).toLocalDate(),
        dataset,
        events,
        r.<Timestamp>getAs(ChurnModelMetrics.TRAINED_AT).toInstant(),
        Candidate.of(r.getAs(CHOSEN_MODEL)),
        SelectionMetric.valueOf(r.<String>getAs(ChurnModelMetrics.SELECTION_METRIC).toUpperCase(Locale.ROOT)),
        r.getAs(ChurnModelMetrics.SELECTION_REASON),
        Calibration.valueOf(r.<String>getAs(ChurnModelMetrics.CALIBRATION_METHOD).toUpperCase(Locale.ROOT)),
        r.getList(r.fieldIndex(NUMERIC_FEATURES)),
        r.getList(r.fieldIndex(CATEGORICAL_FEATURES)),
        r.getList(r.fieldIndex(FEATURE_NAMES)),
        r.getAs(SPARK_VERSION),
        r.isNullAt(r.fieldIndex(REFIT_CUTOFFS)) ? List.of()
            : r.<Date>getList(r.fieldIndex(REFIT_CUTOFFS)).stream().map(Date::toLocalDate).toList(),
        r.isNullAt(r.fieldIndex(PROMOTED)) || r.<Boolean>getAs(PROMOTED),
        r.isNullAt(r.fieldIndex(PROMOTION_REASON)) ? "saved before the promotion gate existed"
            : r.getAs(PROMOTION_REASON));
  }

  /**
   * The model that serves a version: the chosen candidate's saved pipeline, which ends in its
   * {@link ChurnProbability} stage (a version saved before that stage existed gets it here).
   */
  static PipelineModel serving(String modelsPath, Metadata metadata) {
    PipelineModel saved = load(modelsPath, metadata.version(), metadata.chosen());
    Transformer[] stages = saved.stages();
    if (stages[stages.length - 1] instanceof ChurnProbability) {
      return saved;
    }
    Transformer[] withOutput = java.util.Arrays.copyOf(stages, stages.length + 1);
    withOutput[stages.length] = ChurnProbability.of(metadata.calibration(), metadata.inputs());
    return new PipelineModel(saved.uid(), withOutput);
  }

  /** The drift reference of a version, if it was saved with one. */
  static Optional<List<Drift.Reference>> reference(SparkSession spark, String modelsPath, String version) {
    String path = versionPath(modelsPath, version) + "/" + REFERENCE;
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        return Optional.empty();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read churn model " + version + ": " + e.getMessage() + " (" + path
          + ")", e);
    }
    return Optional.of(spark.read().schema(Drift.REFERENCE_SCHEMA).parquet(path).collectAsList().stream()
        .map(Drift.Reference::fromRow).toList());
  }

  /** Loads a candidate's calibrated model. */
  static PipelineModel load(String modelsPath, String version, Candidate candidate) {
    return PipelineModel.load(modelPath(modelsPath, version, candidate));
  }

  /**
   * The champion: the latest complete version (folder named by its training as-of date, with
   * metadata) trained on or before a date and promoted. Scoring never uses a model that saw data
   * after the scoring date, nor a challenger the gate refused.
   */
  static Optional<Metadata> champion(SparkSession spark, String modelsPath, LocalDate onOrBefore) {
    Optional<LocalDate> version = latest(spark, modelsPath, onOrBefore);
    while (version.isPresent()) {
      Metadata m = readMetadata(spark, modelsPath, version.get().toString());
      if (m.promoted()) {
        return Optional.of(m);
      }
      version = latest(spark, modelsPath, version.get().minusDays(1));
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> latest(SparkSession spark, String modelsPath, LocalDate onOrBefore) {
    return ModelVersions.latest(spark, modelsPath, "", METADATA + "/_SUCCESS", onOrBefore, "churn models");
  }

}
