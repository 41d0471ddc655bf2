package io.cxlake.jobs.recommend;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.customer360.Customer360Config;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.segment.SegmentConfig;
import io.cxlake.jobs.segment.SegmentJob;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALS against the popularity baseline on the UCI Online Retail purchases (shared/data/online_retail),
 * loaded straight into the transactions contract with the usual cleaning, then customer360, segment
 * and recommend for the last day of the data: the test window is 2011-11-10..2011-12-09.
 */
@ExtendWith(SparkExtension.class)
class OnlineRetailRecommendIT {
  private static final Path DATA = Path.of(System.getProperty("cxlake.shared.data", "../../shared/data"),
      "online_retail", "online_retail.csv.gz");
  private static final AsOf AS_OF = AsOf.parse("2011-12-09");

  /** The usual cleaning: a customer id, quantity > 0, unit price > 0, no cancellation invoice. */
  static Dataset<Row> transactions(SparkSession spark) {
    Dataset<Row> raw = spark.read().option("header", "true").csv(DATA.toString());
    return raw
        .filter(col("CustomerID").isNotNull().and(col("CustomerID").notEqual(""))
            .and(col("Quantity").cast("int").gt(0)).and(col("UnitPrice").cast("double").gt(0))
            .and(col("InvoiceNo").startsWith("C").unary_$bang()))
        .select(
            concat(col("InvoiceNo"), lit("-"), monotonically_increasing_id().cast("string")).as(Transactions.TRANSACTION_ID),
            col("InvoiceNo").as(Transactions.ORDER_ID),
            col("CustomerID").cast("double").cast("long").cast("string").as(Transactions.CUSTOMER_ID),
            to_timestamp(col("InvoiceDate"), "yyyy-MM-dd HH:mm:ss").as(Transactions.ORDER_TS),
            col("StockCode").as(Transactions.PRODUCT_ID),
            lit(null).cast("string").as(Transactions.CATEGORY),
            col("Quantity").cast("int").as(Transactions.QUANTITY),
            col("UnitPrice").cast("double").as(Transactions.UNIT_PRICE),
            lit(0.0).as(Transactions.DISCOUNT),
            lit("GBP").as(Transactions.CURRENCY),
            lit("web").as(Transactions.CHANNEL),
            lit(Transactions.STATUS_COMPLETED).as(Transactions.STATUS),
            col("Quantity").cast("int").multiply(col("UnitPrice").cast("double")).as(Transactions.NET_AMOUNT),
            lit(DATA.getFileName().toString()).as("source_file"),
            col("Description"));
  }

  @Test
  void alsBeatsPopularityOnMapAt10(SparkSession spark, @TempDir Path dir) {
    TableCatalog catalog = new TableCatalog(dir.resolve("warehouse").toString());
    Dataset<Row> lines = transactions(spark).cache();
    Row check = lines.selectExpr("count(*)", "count(DISTINCT customer_id)", "round(sum(net_amount), 2)").first();
    assertThat(check.getLong(0)).as("cleaned rows (shared/data README)").isEqualTo(397_884L);
    assertThat(check.getLong(1)).as("customers").isEqualTo(4_338L);
    DeltaIO.append(spark, lines, Transactions.TABLE, catalog.path(Transactions.TABLE));
    DeltaIO.append(spark, lines.groupBy(col(Transactions.PRODUCT_ID).as(Products.PRODUCT_ID))
            .agg(max("Description").as(Products.NAME), lit(null).cast("string").as(Products.CATEGORY),
                avg(Transactions.UNIT_PRICE).as(Products.PRICE), lit("derived").as("source_file")),
        Products.TABLE, catalog.path(Products.TABLE));
    lines.unpersist();

    // The default grid's winner on this data (docs/segments-recommendations.md): one ALS fit per
    // grid point is most of the run, and the grid search itself is PersonalizationIT's.
    CxConfig config = CxConfig.load(Optional.empty(), Map.of("recommend.grid.rank", "[30]", "recommend.grid.alpha", "[1.0]"));
    Customer360Job.run(spark, Customer360Config.from(config, catalog, AS_OF));
    SegmentJob.run(spark, SegmentConfig.from(config, catalog, AS_OF));
    long started = System.nanoTime();
    RecommendJob.run(spark, RecommendConfig.from(config, catalog, AS_OF));
    System.out.printf("OnlineRetailRecommendIT recommend took %.0f s%n", (System.nanoTime() - started) / 1e9);

    Map<String, Row> metrics = new HashMap<>();
    DeltaIO.read(spark, catalog.path(RecommendationMetrics.TABLE)).collectAsList()
        .forEach(r -> metrics.put(r.getAs(RecommendationMetrics.MODEL), r));
    System.out.printf("OnlineRetailRecommendIT metrics: %s%n", metrics.values());
    double als = metrics.get(RecommendationMetrics.MODEL_ALS).getAs(RecommendationMetrics.MAP_AT_10);
    double popularity = metrics.get(RecommendationMetrics.MODEL_POPULARITY).getAs(RecommendationMetrics.MAP_AT_10);
    assertThat(als).as("ALS MAP@10 vs popularity %.4f", popularity).isGreaterThan(popularity);
  }
}
