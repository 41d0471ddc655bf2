package io.cxlake.jobs.segment;

import static io.cxlake.common.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The segment job over a small customer_360 snapshot in real Delta tables. */
@ExtendWith(SparkExtension.class)
class SegmentJobTest {
  private static final AsOf AS_OF = AsOf.parse("2026-03-31");

  /** 36 customers: 16 frequent high spenders on the web, 16 rare low spenders, 4 prospects. */
  private static void writeSnapshot(SparkSession spark, TableCatalog catalog) {
    Fixtures.Builder c360 = Fixtures.frame(Customer360.TABLE.schema());
    Fixtures.Builder clv = Fixtures.frame(ClvPredictions.TABLE.schema());
    for (int i = 0; i < 36; i++) {
      String id = String.format("C%02d", i);
      boolean prospect = i >= 32;
      boolean loyal = i < 16;
      c360.with(Customer360.AS_OF_DATE, Fixtures.date(AS_OF.toString()), Customer360.CUSTOMER_ID, id,
          Customer360.TENURE_DAYS, 400.0,
          Customer360.LAST_ORDER_TS, prospect ? null : ts("2026-03-01T00:00:00"),
          Customer360.RECENCY_DAYS, prospect ? null : (loyal ? 3.0 + i : 150.0 + i),
          Customer360.PURCHASE_OCCASIONS, prospect ? 0L : (loyal ? 12L + i % 3 : 1L),
          Customer360.MONETARY_TOTAL, prospect ? null : (loyal ? 900.0 + 10 * i : 30.0 + i),
          Customer360.TICKETS_365D, (long) (i % 2),
          Customer360.SESSIONS_90D, loyal ? 20L : 1L,
          Customer360.EMAIL_CLICKS_90D, loyal ? 5L : 0L, Customer360.PUSH_OPENS_90D, 0L,
          Customer360.LAST_NPS_SCORE, i % 4 == 0 ? (loyal ? 10 : 3) : null,
          Customer360.NPS_CLASS, i % 4 == 0 ? (loyal ? "promoter" : "detractor") : null,
          Customer360.PREFERRED_CHANNEL, loyal ? "email" : null,
          Customer360.MARKETING_OPT_IN, i % 3 != 0,
          Customer360.CATEGORY_SHARES, prospect ? null
              : (loyal ? Map.of("electronics", 0.75, "books", 0.25) : Map.of("grocery", 1.0)));
      if (!prospect) {
        clv.with(ClvPredictions.AS_OF_DATE, Fixtures.date(AS_OF.toString()), ClvPredictions.CUSTOMER_ID, id,
            ClvPredictions.CLV, loyal ? 500.0 : 20.0);
      }
    }
    DeltaIO.replacePartition(spark, c360.build(spark), Customer360.TABLE, catalog.path(Customer360.TABLE),
        Customer360.AS_OF_DATE, AS_OF.date());
    DeltaIO.replacePartition(spark, clv.build(spark), ClvPredictions.TABLE, catalog.path(ClvPredictions.TABLE),
        ClvPredictions.AS_OF_DATE, AS_OF.date());
  }

  @Test
  void segmentsEveryCustomerAndProfilesReconcileWithTheBase(SparkSession spark, @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    writeSnapshot(spark, catalog);
    SegmentConfig config = SegmentConfig.from(
        CxConfig.load(Optional.empty(), Map.of("segment.k-min", "2", "segment.k-max", "3")), catalog, AS_OF);
    SegmentJob.run(spark, config);

    List<Row> segments = DeltaIO.read(spark, catalog.path(Segments.TABLE)).collectAsList();
    assertThat(segments).as("one row per customer of the base").hasSize(36);
    assertThat(segments).as("every customer has a cluster and a name")
        .allSatisfy(r -> assertThat((Object) r.getAs(Segments.CLUSTER_NAME)).isNotNull());
    assertThat(segments.stream().filter(r -> r.getAs(Segments.RFM_SEGMENT).equals(Segments.PROSPECTS)).count())
        .as("customers without an order are Prospects").isEqualTo(4);
    assertThat(segments.stream().filter(r -> r.getAs(Segments.CUSTOMER_ID).equals("C00")).findFirst().orElseThrow()
        .<Integer>getAs(Segments.CLUSTER_ID)).as("the high spenders' cluster is number 1").isEqualTo(1);

    List<Row> profiles = DeltaIO.read(spark, catalog.path(SegmentProfiles.TABLE)).collectAsList();
    for (String type : List.of(SegmentProfiles.TYPE_RFM, SegmentProfiles.TYPE_CLUSTER)) {
      List<Row> ofType = profiles.stream().filter(r -> r.getAs(SegmentProfiles.SEGMENT_TYPE).equals(type)).toList();
      assertThat(ofType.stream().mapToLong(r -> r.<Long>getAs(SegmentProfiles.CUSTOMERS)).sum())
          .as(type + " segment sizes sum to the base").isEqualTo(36);
      assertThat(ofType.stream().mapToDouble(r -> r.<Double>getAs(SegmentProfiles.SHARE)).sum())
          .as(type + " shares sum to 1").isCloseTo(1.0, within(1e-9));
    }
    Row prospects = profiles.stream().filter(r -> r.getAs(SegmentProfiles.SEGMENT).equals(Segments.PROSPECTS))
        .findFirst().orElseThrow();
    assertThat(prospects.<Double>getAs(SegmentProfiles.MEAN_CLV)).as("no prediction counts 0").isEqualTo(0.0);
    assertThat((Object) prospects.getAs(SegmentProfiles.MEAN_CHURN_PROBABILITY)).as("no churn_scores table").isNull();
    Row topCluster = profiles.stream().filter(r -> Integer.valueOf(1).equals(r.getAs(SegmentProfiles.CLUSTER_ID)))
        .findFirst().orElseThrow();
    assertThat(topCluster.<Double>getAs(SegmentProfiles.MEAN_CLV)).as("cluster 1 holds the 500-CLV customers")
        .isEqualTo(500.0);
    assertThat(topCluster.getList(topCluster.fieldIndex(SegmentProfiles.TOP_CATEGORIES)))
        .as("cluster 1's top categories by revenue").containsExactly("electronics", "books");
    assertThat(topCluster.<String, Double>getJavaMap(topCluster.fieldIndex(SegmentProfiles.CHANNEL_MIX)))
        .as("cluster 1 prefers email").containsEntry("email", 1.0);
    assertThat(Files.isDirectory(Path.of(config.modelPath(AS_OF.date()), "kmeans"))).as("KMeans model saved").isTrue();

    // The churn job's table where it exists; only the columns segment reads.
    spark.createDataFrame(List.of(RowFactory.create("C00", Fixtures.date(AS_OF.toString()), 0.25)),
            new StructType().add("customer_id", DataTypes.StringType).add("as_of_date", DataTypes.DateType)
                .add("churn_probability", DataTypes.DoubleType))
        .write().format("delta").partitionBy("as_of_date").save(catalog.path(ChurnScores.TABLE));
    SegmentJob.run(spark, config);
    assertThat(DeltaIO.read(spark, catalog.path(Segments.TABLE)).count()).as("a rerun replaces the date").isEqualTo(36);
    assertThat(DeltaIO.read(spark, catalog.path(SegmentProfiles.TABLE))
        .filter(col(SegmentProfiles.CLUSTER_ID).equalTo(1)).first().<Double>getAs(SegmentProfiles.MEAN_CHURN_PROBABILITY))
        .as("mean churn probability from churn_scores (only C00 scored)").isEqualTo(0.25);
    assertThat(DeltaIO.read(spark, catalog.path(SegmentProfiles.TABLE))
        .filter(col(SegmentProfiles.SEGMENT_TYPE).equalTo(SegmentProfiles.TYPE_CLUSTER)).count())
        .as("the same clusters again").isEqualTo(profiles.stream()
            .filter(r -> r.getAs(SegmentProfiles.SEGMENT_TYPE).equals(SegmentProfiles.TYPE_CLUSTER)).count());
  }

  @Test
  void dailyRunsApplyTheTrainedModelWhileItIsFresh(SparkSession spark, @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    writeSnapshot(spark, catalog);
    CxConfig conf = CxConfig.load(Optional.empty(), Map.of("segment.k-min", "2", "segment.k-max", "3"));
    SegmentConfig trainConfig = SegmentConfig.from(conf, catalog, AS_OF);
    RunStats trained = SegmentJob.train(spark, trainConfig);
    assertThat(trained.rowsIn()).as("customers clustered").isEqualTo(36);
    assertThat(trained.details()).containsEntry("model", trainConfig.modelPath(AS_OF.date()));
    assertThat(DeltaIO.exists(spark, catalog.path(Segments.TABLE))).as("training writes no table").isFalse();

    // A week later the same customers: the daily run assigns them with the trained model.
    AsOf week = AsOf.parse("2026-04-07");
    DeltaIO.replacePartition(spark, DeltaIO.read(spark, catalog.path(Customer360.TABLE))
            .withColumn(Customer360.AS_OF_DATE, week.dateLit()),
        Customer360.TABLE, catalog.path(Customer360.TABLE), Customer360.AS_OF_DATE, week.date());
    RunStats applied = SegmentJob.run(spark, SegmentConfig.from(conf, catalog, week));
    assertThat(applied.details()).as("run-log details").containsEntry("model_refit", "false")
        .containsEntry("model", trainConfig.modelPath(AS_OF.date()))
        .containsEntry("features", trained.details().get("features"));
    SegmentJob.run(spark, SegmentConfig.from(conf, catalog, AS_OF));
    assertThat(DeltaIO.read(spark, catalog.path(Segments.TABLE))
        .groupBy(Segments.CUSTOMER_ID).agg(countDistinct(Segments.CLUSTER_ID, Segments.CLUSTER_NAME).as("n"))
        .filter(col("n").notEqual(1)).count())
        .as("customers whose cluster number or name differs between the two days").isZero();
    assertThat(DeltaIO.read(spark, catalog.path(Segments.TABLE)).filter(col(Segments.CLUSTER_ID).isNull()).count())
        .as("customers without a cluster").isZero();

    // Older than segment.model-max-age-days (14 by default), or 0: the run fits and saves its own.
    AsOf month = AsOf.parse("2026-04-30");
    DeltaIO.replacePartition(spark, DeltaIO.read(spark, catalog.path(Customer360.TABLE))
            .filter(col(Customer360.AS_OF_DATE).equalTo(java.sql.Date.valueOf(AS_OF.date())))
            .withColumn(Customer360.AS_OF_DATE, month.dateLit()),
        Customer360.TABLE, catalog.path(Customer360.TABLE), Customer360.AS_OF_DATE, month.date());
    SegmentConfig monthConfig = SegmentConfig.from(conf, catalog, month);
    assertThat(SegmentJob.run(spark, monthConfig).details()).containsEntry("model_refit", "true")
        .containsEntry("model", monthConfig.modelPath(month.date()));
    assertThat(SegmentJob.run(spark, SegmentConfig.from(CxConfig.load(Optional.empty(), Map.of("segment.k-min", "2",
        "segment.k-max", "3", "segment.model-max-age-days", "0")), catalog, week)).details())
        .containsEntry("model_refit", "true");
  }

  @Test
  void failsNamingTheJobToRunFirst(SparkSession spark, @TempDir Path warehouse) {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    assertThatThrownBy(() -> SegmentJob.run(spark, SegmentConfig.from(CxConfig.defaults(), catalog, AS_OF)))
        .hasMessageStartingWith("Cannot build segments: gold customer_360 do not exist, run customer360 first");
    assertThatThrownBy(() -> SegmentConfig.from(CxConfig.load(Optional.empty(), Map.of("segment.k-min", "1")),
        catalog, AS_OF)).hasMessage("Cannot configure segment.k-min: must be at least 2 (1)");
  }
}
