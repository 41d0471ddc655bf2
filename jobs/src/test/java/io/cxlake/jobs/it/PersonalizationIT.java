package io.cxlake.jobs.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.actions.ActionsConfig;
import io.cxlake.jobs.actions.ActionsJob;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.customer360.Customer360Config;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.recommend.RecommendConfig;
import io.cxlake.jobs.recommend.RecommendJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * segment, recommend and actions end to end on generated data: the generator gives every customer
 * Dirichlet(0.5) preferences over eight categories that drive both purchases and browsing, so
 * collaborative filtering has personal taste to find that popularity cannot.
 */
@ExtendWith(SparkExtension.class)
class PersonalizationIT {
  private static final LocalDate GENERATED_UNTIL = LocalDate.parse("2026-11-01");
  private static final AsOf AS_OF = AsOf.parse("2026-10-31");
  private static final AsOf NEXT_DAY = AsOf.parse("2026-11-01");

  private static final String ALPHAS = "[1.0, 10.0]";

  @TempDir
  static Path dir;

  private static TableCatalog catalog;

  @BeforeAll
  static void runPipeline() throws Exception {
    SparkSession spark = SparkExtension.session();
    GenerateSampleConfig sample = new GenerateSampleConfig(dir.resolve("landing").toString(),
        dir.resolve("truth").toString(), GENERATED_UNTIL, 2500, 11, 730, 400, 0.0);
    GenerateSampleJob.run(spark, sample);
    catalog = new TableCatalog(dir.resolve("warehouse").toString());
    // Two grid points, enough to exercise the choice on the validation window; every ALS fit is a
    // large share of this test's time, and the demo runs the default grid.
    CxConfig config = CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-11-02T00:00:00Z",
        "recommend.grid.rank", "[10]", "recommend.grid.alpha", ALPHAS));
    IngestJob.run(spark, IngestConfig.from(config, sample.landing(), catalog, NEXT_DAY), "run-1");
    for (AsOf day : List.of(AS_OF, NEXT_DAY)) {
      Customer360Job.run(spark, Customer360Config.from(config, catalog, day));
    }
    ClvJob.run(spark, ClvConfig.from(config, catalog, AS_OF, Optional.empty()));
    SegmentJob.run(spark, SegmentConfig.from(config, catalog, AS_OF));
    RecommendJob.run(spark, RecommendConfig.from(config, catalog, AS_OF));
    ActionsJob.run(spark, ActionsConfig.from(config, catalog, AS_OF));
    ActionsJob.run(spark, ActionsConfig.from(config, catalog, NEXT_DAY));
  }

  private static Dataset<Row> table(io.cxlake.common.schema.TableSpec spec) {
    return DeltaIO.read(SparkExtension.session(), catalog.path(spec));
  }

  @Test
  void segmentsCoverTheBaseAndProfilesReconcile() {
    long base = table(Customer360.TABLE).filter(col(Customer360.AS_OF_DATE).equalTo(java.sql.Date.valueOf(AS_OF.date())))
        .count();
    assertThat(table(Segments.TABLE).count()).as("one segment row per customer_360 row").isEqualTo(base);
    List<Row> sums = table(SegmentProfiles.TABLE).groupBy(SegmentProfiles.SEGMENT_TYPE)
        .agg(org.apache.spark.sql.functions.sum(SegmentProfiles.CUSTOMERS), org.apache.spark.sql.functions.sum(
            SegmentProfiles.SHARE))
        .collectAsList();
    assertThat(sums).as("rfm and cluster").hasSize(2);
    for (Row r : sums) {
      assertThat(r.getLong(1)).as(r.getString(0) + " sizes sum to the base").isEqualTo(base);
      assertThat(r.getDouble(2)).as(r.getString(0) + " shares sum to 1").isCloseTo(1.0, within(1e-9));
    }
    assertThat(table(SegmentProfiles.TABLE).filter(col(SegmentProfiles.MEAN_CLV).isNotNull()).count())
        .as("CLV profiled where clv ran").isPositive();
    Row champions = table(SegmentProfiles.TABLE).filter(col(SegmentProfiles.SEGMENT).equalTo(Segments.CHAMPIONS))
        .first();
    Row lost = table(SegmentProfiles.TABLE).filter(col(SegmentProfiles.SEGMENT).equalTo(Segments.LOST)).first();
    assertThat(champions.<Double>getAs(SegmentProfiles.MEAN_CLV)).as("Champions are worth more than Lost")
        .isGreaterThan(lost.<Double>getAs(SegmentProfiles.MEAN_CLV));
    assertThat(table(Segments.TABLE).select(Segments.CLUSTER_ID).distinct().count())
        .as("k within segment.k-min..k-max").isBetween(3L, 8L);
  }

  @Test
  void alsBeatsPopularityOnPlantedCategoryPreferences() {
    Map<String, Row> metrics = new java.util.HashMap<>();
    table(RecommendationMetrics.TABLE).collectAsList().forEach(r -> metrics.put(r.getAs(RecommendationMetrics.MODEL), r));
    double als = metrics.get(RecommendationMetrics.MODEL_ALS).getAs(RecommendationMetrics.MAP_AT_10);
    double popularity = metrics.get(RecommendationMetrics.MODEL_POPULARITY).getAs(RecommendationMetrics.MAP_AT_10);
    System.out.printf("PersonalizationIT metrics: %s%n", metrics.values());
    assertThat(als).as("ALS MAP@10 vs popularity %.4f", popularity).isGreaterThan(popularity);
    Row alsRow = metrics.get(RecommendationMetrics.MODEL_ALS);
    assertThat(alsRow.<Double>getAs(RecommendationMetrics.VALIDATION_MAP_AT_10)).as("grid chosen on validation")
        .isNotNull();
    assertThat(alsRow.<Double>getAs(RecommendationMetrics.ALPHA)).as("chosen alpha from the grid " + ALPHAS)
        .isIn(1.0, 10.0);
    assertThat(metrics.get(RecommendationMetrics.MODEL_ALS).<Long>getAs(RecommendationMetrics.USERS))
        .as("test customers").isPositive();

    Dataset<Row> recs = table(Recommendations.TABLE);
    assertThat(recs.groupBy(Recommendations.CUSTOMER_ID).count().filter(col("count").gt(10)).count())
        .as("at most top-k per customer").isZero();
    assertThat(recs.select(Recommendations.CUSTOMER_ID).distinct().count()).as("every customer gets a list")
        .isEqualTo(table(Segments.TABLE).count());
    assertThat(recs.filter(col(Recommendations.SOURCE).equalTo(Recommendations.SOURCE_POPULARITY)).count())
        .as("customers without interactions get segment popularity").isPositive();

    List<Row> segmentRecs = table(SegmentRecommendations.TABLE).collectAsList();
    assertThat(segmentRecs).as("a row per profile").hasSize((int) table(SegmentProfiles.TABLE).count());
    assertThat(segmentRecs).allSatisfy(r -> assertThat(r.<String>getAs(SegmentRecommendations.RATIONALE))
        .contains(", prefers ").contains(": "));
    segmentRecs.stream().limit(20).forEach(r -> System.out.println("PersonalizationIT rationale: "
        + r.getAs(SegmentRecommendations.RATIONALE)));
  }

  @Test
  void nextBestActionsAreOnePerCustomerWithAControlGroupAndCooldowns() {
    Dataset<Row> actions = table(NextBestActions.TABLE).cache();
    assertThat(actions.groupBy(NextBestActions.AS_OF_DATE, NextBestActions.CUSTOMER_ID).count()
        .filter(col("count").gt(1)).count()).as("at most one action per customer and day").isZero();
    Map<String, Long> byStatus = new java.util.TreeMap<>();
    actions.groupBy(NextBestActions.STATUS).count().collectAsList()
        .forEach(r -> byStatus.put(r.getString(0), r.getLong(1)));
    System.out.printf("PersonalizationIT actions by status: %s; by action: %s%n", byStatus,
        actions.groupBy(NextBestActions.ACTION).count().collectAsList());
    long deliverable = byStatus.getOrDefault(NextBestActions.STATUS_DELIVER, 0L)
        + byStatus.getOrDefault(NextBestActions.STATUS_CONTROL, 0L);
    assertThat((double) byStatus.getOrDefault(NextBestActions.STATUS_CONTROL, 0L) / deliverable)
        .as("control share of %d deliverable actions", deliverable).isCloseTo(0.10, within(0.05));
    assertThat(actions.filter(col(NextBestActions.MARKETING).and(col(NextBestActions.STATUS).notEqual(
        NextBestActions.STATUS_SUPPRESSED))).join(table(Customer360.TABLE).filter(col(Customer360.MARKETING_OPT_IN)
            .equalTo(false)), scala.jdk.javaapi.CollectionConverters.asScala(
                List.of(NextBestActions.AS_OF_DATE, NextBestActions.CUSTOMER_ID)).toList()).count())
        .as("no marketing to customers without consent").isZero();
    Dataset<Row> first = actions.filter(col(NextBestActions.AS_OF_DATE).equalTo(java.sql.Date.valueOf(AS_OF.date()))
        .and(col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER)))
        .select(col(NextBestActions.CUSTOMER_ID), col(NextBestActions.ACTION));
    Dataset<Row> second = actions.filter(col(NextBestActions.AS_OF_DATE).equalTo(java.sql.Date.valueOf(NEXT_DAY.date())))
        .select(col(NextBestActions.CUSTOMER_ID), col(NextBestActions.ACTION));
    assertThat(first.intersect(second).count()).as("no rule fires twice within its cooldown").isZero();

    long rows = actions.filter(col(NextBestActions.AS_OF_DATE).equalTo(java.sql.Date.valueOf(NEXT_DAY.date()))).count();
    ActionsJob.run(SparkExtension.session(), ActionsConfig.from(CxConfig.defaults(), catalog, NEXT_DAY));
    assertThat(table(NextBestActions.TABLE).filter(col(NextBestActions.AS_OF_DATE)
        .equalTo(java.sql.Date.valueOf(NEXT_DAY.date()))).count()).as("a rerun replaces the day").isEqualTo(rows);
  }
}
