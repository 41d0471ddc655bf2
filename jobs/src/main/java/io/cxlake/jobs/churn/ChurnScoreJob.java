package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.runlog.Findings;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ChurnDrift;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.time.AsOf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code churn-score} job: loads the champion, the latest promoted churn model version trained
 * on or before the as-of date (or a pinned version, champion or challenger: the manual rollback), computes every customer's features at the as-of date with the
 * same shared function training used, and writes the churn_scores partition of that date:
 * calibrated probability, risk tier, value at risk and drivers, or the reason a customer has no
 * score.
 */
public final class ChurnScoreJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "churn-score";

  private ChurnScoreJob() {}

  /**
   * Scores and writes.
   *
   * @param pinnedVersion a model version to use instead of the latest ({@code --model-version})
   */
  public static RunStats run(SparkSession spark, ChurnConfig config, Optional<String> pinnedVersion) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    String modelsPath = catalog.modelsPath(ChurnConfig.MODELS_KIND);
    ModelStore.Metadata metadata = pinnedVersion.isPresent()
        ? ModelStore.readMetadata(spark, modelsPath, pinnedVersion.get())
        : ModelStore.champion(spark, modelsPath, asOf.date()).orElseThrow(() -> new IllegalStateException(
            "Cannot score churn: no champion churn model trained on or before " + asOf.date() + ", run churn-train "
                + "first, or pin a challenger with --model-version (" + modelsPath + ")"));
    String version = metadata.version();
    if (metadata.asOf().isAfter(asOf.date())) {
      throw new IllegalArgumentException("Cannot score churn: model " + version + " was trained on data after the "
          + "as-of date " + asOf.date() + " (" + metadata.asOf() + ")");
    }
    ModelStore.EventSnapshots population = metadata.events().orElseThrow(() -> new IllegalArgumentException(
        "Cannot score churn: model " + version + " was trained on a featurized file, not on the warehouse's events ("
            + metadata.dataset() + ")"));
    PipelineModel model = ModelStore.serving(modelsPath, metadata);

    // The population rules are the model's: it was trained, and can only speak, for that population.
    ChurnConfig scoring = config.withPopulation(population.horizonDays(), population.activeWindowDays(),
        population.minHistoryDays());
    FeatureInputs inputs = ChurnInputs.read(spark, catalog, asOf, "score churn");
    Dataset<Row> closures = ChurnLabels.closures(inputs.current().tickets(), scoring.closureTicketTopics());
    Dataset<Row> clv = ClvSnapshots.read(spark, catalog).at(asOf.date(), scoring.clvMaxAgeDays());
    // Persisted: the drivers' typical values aggregate the same rows the write scores.
    Dataset<Row> modelInputs = withClv(TrainingSet.modelInputs(inputs, closures, asOf, scoring), clv)
        .persist(StorageLevel.MEMORY_AND_DISK());

    String path = catalog.path(ChurnScores.TABLE);
    Optional<List<Drift.Reference>> reference = ModelStore.reference(spark, modelsPath, version);
    List<Row> drift = List.of();
    try {
      DeltaIO.replacePartition(spark, scores(modelInputs, model, metadata, scoring), ChurnScores.TABLE, path,
          ChurnScores.AS_OF_DATE, asOf.date());
      // Versions saved before the drift reference existed have nothing to compare with.
      if (reference.isPresent()) {
        drift = Drift.rows(model.transform(modelInputs.filter(col(ChurnFeatures.REASON).isNull())),
            reference.get(), asOf.date(), version);
        DeltaIO.replacePartition(spark, spark.createDataFrame(drift, ChurnDrift.TABLE.schema()), ChurnDrift.TABLE,
            catalog.path(ChurnDrift.TABLE), ChurnDrift.AS_OF_DATE, asOf.date());
      }
    } finally {
      modelInputs.unpersist();
    }
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    Map<String, String> details = new LinkedHashMap<>();
    details.put("model_version", version);
    details.put("model", metadata.chosen().label());
    details.put("table", path);
    details.put("drift", reference.isPresent() ? catalog.path(ChurnDrift.TABLE) : "no reference saved with " + version);
    Dataset<Row> day = DeltaIO.read(spark, path).filter(col(ChurnScores.AS_OF_DATE).equalTo(asOf.dateLit()));
    return new RunStats(written, written, 0, details).withFinding(String.format(java.util.Locale.ROOT,
        "%,d customers, scored by %s %s; risk tiers: %s", written, metadata.chosen().label(), version,
        Findings.countsBy(day.filter(col(ChurnScores.RISK_TIER).isNotNull()), ChurnScores.RISK_TIER))
        + (reference.isEmpty() ? "" : "; drifted (PSI > " + ChurnDrift.DRIFT_THRESHOLD + "): " + drifted(drift)));
  }

  private static String drifted(List<Row> drift) {
    List<String> names = drift.stream().filter(r -> r.<Boolean>getAs(ChurnDrift.DRIFTED))
        .map(r -> r.<String>getAs(ChurnDrift.FEATURE)).toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** Model inputs with the customer value of {@link ClvSnapshots#at} (null where there is none). */
  static Dataset<Row> withClv(Dataset<Row> modelInputs, Dataset<Row> clv) {
    return modelInputs.join(clv, ChurnFeatures.CUSTOMER_ID, "left");
  }

  /**
   * The churn_scores rows of one as-of date from the model inputs of every customer: customers in
   * the population are scored by the model, the others keep their reason and get no probability.
   * The inputs carry the customer value columns ({@link #withClv}). One aggregation over the scored
   * rows runs here, for the drivers' typical values.
   */
  public static Dataset<Row> scores(Dataset<Row> modelInputs, PipelineModel model, ModelStore.Metadata metadata,
      ChurnConfig config) {
    ChurnProbability.of(model).requireInputs(modelInputs.schema());
    Dataset<Row> transformed = model.transform(modelInputs.filter(col(ChurnFeatures.REASON).isNull()));
    List<String> names = ChurnPipelines.featureNames(transformed.schema());
    // Each array once per row, materialised: the drivers look up every feature's element of both,
    // and unshared lookups would rebuild the arrays (vector conversions, tree walks) per element.
    Dataset<Row> explained = transformed
        .withColumn(Drivers.CONTRIBUTIONS, Drivers.contributions(model))
        .withColumn(Drivers.VALUES, Drivers.values(names))
        .localCheckpoint();
    double[] typical = Drivers.typical(explained, names);
    Column probability = col(ChurnScores.CHURN_PROBABILITY);
    Dataset<Row> scored = explained.select(
        col(ChurnFeatures.CUSTOMER_ID), col(ChurnFeatures.REASON), col(ChurnFeatures.CLV),
        col(ChurnFeatures.CLV_AS_OF_DATE), col(ChurnProbability.OUTPUT).as(ChurnScores.CHURN_PROBABILITY),
        Drivers.top(col(Drivers.CONTRIBUTIONS), col(Drivers.VALUES), names, typical, Drivers.TOP)
            .as(ChurnScores.DRIVERS));
    Dataset<Row> unscored = modelInputs.filter(col(ChurnFeatures.REASON).isNotNull()).select(
        col(ChurnFeatures.CUSTOMER_ID), col(ChurnFeatures.REASON), col(ChurnFeatures.CLV),
        col(ChurnFeatures.CLV_AS_OF_DATE),
        lit(null).cast(DataTypes.DoubleType).as(ChurnScores.CHURN_PROBABILITY),
        lit(null).cast(DataTypes.createArrayType(ChurnScores.DRIVER_TYPE)).as(ChurnScores.DRIVERS));
    return scored.unionByName(unscored).select(
        config.asOf().dateLit().as(ChurnScores.AS_OF_DATE),
        col(ChurnFeatures.CUSTOMER_ID).as(ChurnScores.CUSTOMER_ID),
        probability,
        when(probability.geq(config.riskTierHigh()), lit(ChurnScores.TIER_HIGH))
            .when(probability.geq(config.riskTierMedium()), lit(ChurnScores.TIER_MEDIUM))
            .when(probability.isNotNull(), lit(ChurnScores.TIER_LOW)).as(ChurnScores.RISK_TIER),
        col(ChurnFeatures.REASON).as(ChurnScores.REASON),
        col(ChurnFeatures.CLV).as(ChurnScores.CLV),
        col(ChurnFeatures.CLV).multiply(probability).as(ChurnScores.VALUE_AT_RISK),
        col(ChurnFeatures.CLV_AS_OF_DATE).as(ChurnScores.CLV_AS_OF_DATE),
        col(ChurnScores.DRIVERS),
        lit(metadata.version()).as(ChurnScores.MODEL_VERSION),
        lit(metadata.chosen().label()).as(ChurnScores.MODEL),
        lit(config.horizonDays()).as(ChurnScores.HORIZON_DAYS));
  }
}
