package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.AsOf;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code recommend} job: implicit-feedback ALS with segment popularity as the fallback, written
 * to {@code recommendations}; its offline evaluation against the popularity baseline on a time split
 * to {@code recommendation_metrics}; and per-segment lifts, actions and rationales to
 * {@code segment_recommendations}. Needs silver transactions and the segments of the as-of date.
 *
 * <p>Three steps: {@link OfflineEvaluation} chooses the hyper-parameters on the validation window and
 * evaluates the choice on the test window, {@link Serving} refits it on everything up to the as-of
 * date for the served lists, and {@link SegmentPlaybook} writes what each segment should be offered.
 */
public final class RecommendJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "recommend";

  private RecommendJob() {}

  /**
   * What the evaluation and serving steps read.
   *
   * @param transactions silver transactions
   * @param web silver web events (empty without the source)
   * @param products the product dimension at the as-of date
   * @param base customer_id and rfm_segment of the segments of the as-of date
   */
  record Inputs(Dataset<Row> transactions, Dataset<Row> web, Dataset<Row> products, Dataset<Row> base) {}

  /** Reads, evaluates, serves and writes the three tables. */
  public static RunStats run(SparkSession spark, RecommendConfig config) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    JobInputs read = new JobInputs(spark, catalog, "build recommendations");
    Dataset<Row> transactions = read.required(Transactions.TABLE);
    Dataset<Row> segments = read.snapshot(Segments.TABLE, asOf.date());
    Dataset<Row> profiles = read.snapshot(SegmentProfiles.TABLE, asOf.date());
    Dataset<Row> customer360 = read.snapshot(Customer360.TABLE, asOf.date());
    Dataset<Row> products = ProductDimension.of(read.silverOrEmpty(Products.TABLE), transactions, asOf)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> base = segments.select(col(Segments.CUSTOMER_ID), col(Segments.RFM_SEGMENT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Inputs in = new Inputs(transactions, read.silverOrEmpty(WebEvents.TABLE), products, base);
    try {
      OfflineEvaluation.Result evaluation = OfflineEvaluation.run(in, config);
      write(spark, catalog, RecommendationMetrics.TABLE, spark.createDataFrame(evaluation.metricRows(config),
          RecommendationMetrics.TABLE.schema()), asOf);

      long written;
      Progress progress = Progress.of(NAME);
      progress.phase("refitting ALS on everything up to " + asOf + " and serving the lists");
      try (Serving.Lists lists = Serving.lists(in, evaluation.chosen(), config)) {
        write(spark, catalog, Recommendations.TABLE, lists.rows(), asOf);
        written = DeltaIO.lastCommitMetric(spark, catalog.path(Recommendations.TABLE), "numOutputRows");
      }

      progress.phase("segment recommendations");
      List<Row> segmentRows = SegmentPlaybook.build(segments, profiles, customer360, transactions, products, config);
      write(spark, catalog, SegmentRecommendations.TABLE, spark.createDataFrame(segmentRows,
          SegmentRecommendations.TABLE.schema()), asOf);
      return new RunStats(written, written, 0, evaluation.details()).withFinding(evaluation.finding(written));
    } finally {
      base.unpersist();
      products.unpersist();
    }
  }

  private static void write(SparkSession spark, TableCatalog catalog, TableSpec table, Dataset<Row> rows, AsOf asOf) {
    DeltaIO.replacePartition(spark, rows, table, catalog.path(table), TableSpec.AS_OF_DATE, asOf.date());
  }
}
