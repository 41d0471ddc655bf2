package io.cxlake.jobs.segment;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.Findings;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code segment} job: RFM segments and behavioural clusters of the customer_360 snapshot of
 * the as-of date, written to {@code segments}, with their profiles in {@code segment_profiles}
 * (CLV and churn where clv_predictions and churn_scores exist for the date). The clusters come from
 * the latest model saved by {@code segment-train} while it is at most
 * {@code segment.model-max-age-days} old; otherwise the run fits one and saves it under
 * {@link SegmentConfig#modelPath(LocalDate)}.
 */
public final class SegmentJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "segment";
  /** Name of the model training job ({@link #train}). */
  public static final String TRAIN_NAME = "segment-train";

  private SegmentJob() {}

  /** Reads customer_360 (and CLV, churn when present), segments, profiles and writes. */
  public static RunStats run(SparkSession spark, SegmentConfig config) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    JobInputs read = new JobInputs(spark, catalog, "build segments");
    Dataset<Row> customer360 = read.snapshot(Customer360.TABLE, asOf.date());
    Optional<Dataset<Row>> clv = read.optionalSnapshot(ClvPredictions.TABLE, asOf.date())
        .map(c -> c.select(ClvPredictions.CUSTOMER_ID, ClvPredictions.CLV));
    Optional<Dataset<Row>> churn = read.churnProbabilities(asOf.date());

    Dataset<Row> rfm = Rfm.score(customer360);
    // The weekly segment-train model while it is fresh, so clusters keep their numbers and names
    // from day to day; otherwise (first run, stale model, model-max-age-days = 0) fit and save one.
    Optional<LocalDate> saved = config.modelMaxAgeDays() == 0 ? Optional.empty()
        : SegmentModel.latest(spark, config.modelsRoot(), asOf.date())
            .filter(d -> !d.plusDays(config.modelMaxAgeDays()).isBefore(asOf.date()));
    BehaviourClusters.Result clusters = saved.isPresent()
        ? SegmentModel.apply(spark, config.modelPath(saved.get()), customer360)
        : fitAndSave(spark, customer360, config);
    try {
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

      Map<String, String> details = modelDetails(clusters, config.modelPath(saved.orElse(asOf.date())));
      details.put("model_refit", String.valueOf(saved.isEmpty()));
      details.put("clv", String.valueOf(clv.isPresent()));
      details.put("churn_scores", String.valueOf(churn.isPresent()));
      return new RunStats(written, written, 0, details).withFinding(String.format(java.util.Locale.ROOT,
          "%,d customers; %d behavioural clusters%s; RFM segments: %s", written, clusters.k(),
          saved.isPresent() ? " (model of " + saved.get() + ")" : " (fitted now)",
          Findings.countsBy(segments, Segments.RFM_SEGMENT)));
    } finally {
      clusters.scaled().unpersist();
    }
  }

  /** Fits the behavioural clusters on the snapshot (k by silhouette) and saves them as the model of its date. */
  static BehaviourClusters.Result fitAndSave(SparkSession spark, Dataset<Row> customer360, SegmentConfig config) {
    List<String> categories = BehaviourClusters.topCategories(customer360, config.categoryFeatures());
    List<BehaviourClusters.Feature> candidates = BehaviourClusters.candidates(categories);
    Dataset<Row> features = BehaviourClusters.featureFrame(customer360, candidates);
    BehaviourClusters.Result fit = BehaviourClusters.fit(features,
        BehaviourClusters.usable(features, candidates), config);
    SegmentModel.save(spark, fit, categories, config.modelPath(config.asOf().date()));
    return fit;
  }

  /**
   * The {@code segment-train} job: fits the behavioural clusters on the customer_360 snapshot of
   * the as-of date and saves them for the daily {@code segment} runs of the next
   * {@code segment.model-max-age-days} days; writes no table.
   */
  public static RunStats train(SparkSession spark, SegmentConfig config) {
    Dataset<Row> customer360 = new JobInputs(spark, config.catalog(), "train segments")
        .snapshot(Customer360.TABLE, config.asOf().date());
    BehaviourClusters.Result fit = fitAndSave(spark, customer360, config);
    try {
      return new RunStats(fit.scaled().count(), 0, 0, modelDetails(fit, config.modelPath(config.asOf().date())));
    } finally {
      fit.scaled().unpersist();
    }
  }

  /** Run-log details of the clustering: k, silhouettes (of a fit), features and the model folder. */
  private static Map<String, String> modelDetails(BehaviourClusters.Result clusters, String modelPath) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("k", String.valueOf(clusters.k()));
    clusters.silhouettes().forEach((k, s) -> details.put("silhouette.k" + k, String.format(Locale.ROOT, "%.4f", s)));
    details.put("features", String.join(",", clusters.features()));
    details.put("model", modelPath);
    return details;
  }
}
