package io.cxlake.jobs.clv;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import io.cxlake.jobs.sample.SampleTruth;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter recovery on generated data: the generator draws purchase rates from Gamma(r = 0.8,
 * alpha = 10 per week) and order values from Gamma-Gamma(p = 6, q = 4, gamma = 15), so the fitted
 * models must find what was planted, within what 5,000 customers allow.
 */
@ExtendWith(SparkExtension.class)
class ClvRecoveryIT {
  private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");

  @Test
  void fittedModelsRecoverThePlantedPopulation(SparkSession spark, @TempDir Path dir) {
    GenerateSampleConfig sample = new GenerateSampleConfig(dir.resolve("landing").toString(),
        dir.resolve("truth").toString(), AS_OF, 5000, 5, 730, 400, 0.004);
    GenerateSampleJob.run(spark, sample);
    TableCatalog catalog = new TableCatalog(dir.resolve("warehouse").toString());
    // CLV needs only customers and transactions; pointing the rest at nothing keeps the test fast.
    Map<String, String> onlyPurchases = Map.of(
        "sources.web_events.path", "absent", "sources.support_tickets.path", "absent",
        "sources.surveys.path", "absent", "sources.products.path", "absent");
    IngestJob.run(spark, IngestConfig.from(CxConfig.load(Optional.empty(), onlyPurchases), sample.landing(), catalog,
        new AsOf(AS_OF)), "run-1");
    ClvJob.run(spark, ClvConfig.from(CxConfig.defaults(), catalog, new AsOf(AS_OF), Optional.empty()));

    Dataset<Row> models = DeltaIO.read(spark, catalog.path(ClvModel.TABLE));
    Row bg = models.filter(col(ClvModel.MODEL).equalTo(ClvModel.MODEL_BGNBD)).first();
    // About 25,000 purchases from 5,000 customers pin the rate distribution to a few per cent;
    // 10 % is about three standard errors of r and alpha at this size.
    assertThat((double) bg.getAs(ClvModel.R)).as("BG/NBD r (true 0.8)").isCloseTo(0.8, within(0.08));
    assertThat((double) bg.getAs(ClvModel.ALPHA)).as("BG/NBD alpha (true 10)").isCloseTo(10.0, within(1.0));

    Row gg = models.filter(col(ClvModel.MODEL).equalTo(ClvModel.MODEL_GAMMA_GAMMA)).first();
    double p = gg.getAs(ClvModel.P);
    double q = gg.getAs(ClvModel.Q);
    double gamma = gg.getAs(ClvModel.GAMMA);
    // The generator's net order value is exactly Gamma-Gamma, so the individual parameters are
    // recoverable from the ~3,400 repeat customers' mean spends. Standard errors at that size, from
    // fits to 30 simulated Gamma-Gamma samples of 3,365 customers: p 0.94, q 0.13, gamma 2.4 (p and
    // gamma trade off against each other; the mean order value is much tighter). The tolerances are
    // about three standard errors. This seed gives p 6.23, q 3.87, gamma 14.0, mean 30.4.
    assertThat(p).as("Gamma-Gamma p (true 6)").isCloseTo(6.0, within(2.8));
    assertThat(q).as("Gamma-Gamma q (true 4)").isCloseTo(4.0, within(0.4));
    assertThat(gamma).as("Gamma-Gamma gamma (true 15)").isCloseTo(15.0, within(7.0));
    assertThat(p * gamma / (q - 1)).as("Gamma-Gamma mean order value (true 30)").isCloseTo(30.0, within(1.5));

    Dataset<Row> joined = DeltaIO.read(spark, catalog.path(ClvPredictions.TABLE))
        .join(spark.read().parquet(dir.resolve("truth").resolve(SampleTruth.CUSTOMERS).toString()),
            ClvPredictions.CUSTOMER_ID);
    Row alive = joined.selectExpr("avg(cast(alive AS double))", "avg(p_alive)", "corr(cast(alive AS double), p_alive)")
        .first();
    // 5,000 Bernoulli outcomes: the share alive has a standard error under 0.007.
    assertThat(alive.getDouble(1)).as("mean P(alive) vs the share truly alive").isCloseTo(alive.getDouble(0), within(0.05));
    assertThat(alive.getDouble(2)).as("P(alive) separates alive from dropped-out customers").isGreaterThan(0.5);

    // Per-channel models in the same run: the generator multiplies each customer's dropout
    // probability by the acquisition channel's factor (referral 0.6 ... social 1.4), so the fitted
    // mean dropout a / (a + b) must rank referral below social.
    ClvJob.run(spark, ClvConfig.from(CxConfig.load(Optional.empty(), Map.of(
        "clv.segment-column", "acquisition_channel", "clv.min-segment-customers", "400")),
        catalog, new AsOf(AS_OF), Optional.empty()));
    Map<String, Double> meanDropout = new java.util.HashMap<>();
    DeltaIO.read(spark, catalog.path(ClvModel.TABLE)).filter(col(ClvModel.MODEL).equalTo(ClvModel.MODEL_BGNBD))
        .collectAsList().forEach(r -> meanDropout.put(r.getAs(ClvModel.SEGMENT),
            (double) r.getAs(ClvModel.A) / ((double) r.getAs(ClvModel.A) + (double) r.getAs(ClvModel.B))));
    assertThat(meanDropout).as("one model per channel of at least 400 customers, plus the overall one")
        .containsKeys("all", "referral", "social", "organic_search");
    assertThat(meanDropout.get("referral")).as("referral (x0.6) drops out less than social (x1.4)")
        .isLessThan(meanDropout.get("social"));
    long predicted = DeltaIO.read(spark, catalog.path(ClvPredictions.TABLE))
        .filter(col(ClvPredictions.SEGMENT).equalTo("referral")).count();
    assertThat(predicted).as("referral customers are scored by the referral model").isPositive();
  }
}
