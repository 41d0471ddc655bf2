package io.cxlake.jobs.clv;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.churn.ChurnConfig;
import io.cxlake.jobs.churn.ChurnTrainJob;
import io.cxlake.jobs.imports.CdnowImport;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
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
 * The real CDNOW sample (2,357 customers) through import, ingest and clv, against the published
 * estimates and the reference numbers of shared/data/cdnow/README.md.
 */
@ExtendWith(SparkExtension.class)
class ClvCdnowIT {
  private static final Path CDNOW = Path.of(System.getProperty("cxlake.shared.data", "../../shared/data"), "cdnow");

  @TempDir
  static Path dir;

  private static TableCatalog catalog;

  @BeforeAll
  static void runPipeline() {
    SparkSession spark = SparkExtension.session();
    String landing = dir.resolve("landing").toString();
    CdnowImport.run(spark, CDNOW.resolve("CDNOW_sample.txt").toString(), landing);
    catalog = new TableCatalog(dir.resolve("warehouse").toString());
    IngestJob.run(spark, IngestConfig.from(CxConfig.defaults(), landing, catalog, AsOf.parse("1998-06-30")), "run-1");
    ClvJob.run(spark, ClvConfig.from(CxConfig.load(Optional.empty(), Map.of("clv.fit-pareto-nbd", "true")), catalog,
        AsOf.parse("1997-09-30"),
        Optional.of(LocalDate.parse("1998-06-30"))));
  }

  private static Row model(String name) {
    return DeltaIO.read(SparkExtension.session(), catalog.path(ClvModel.TABLE))
        .filter(col(ClvModel.MODEL).equalTo(name)).first();
  }

  @Test
  void bgNbdMatchesThePublishedFitFromRawTransactions() {
    Row bg = model(ClvModel.MODEL_BGNBD);
    // The reference fit on unrounded t_x and T from the raw file; 1e-3 relative is the bar.
    assertThat((double) bg.getAs(ClvModel.R)).as("r").isCloseTo(0.242595, within(0.242595e-3));
    assertThat((double) bg.getAs(ClvModel.ALPHA)).as("alpha").isCloseTo(4.413602, within(4.413602e-3));
    assertThat((double) bg.getAs(ClvModel.A)).as("a").isCloseTo(0.792922, within(0.792922e-3));
    assertThat((double) bg.getAs(ClvModel.B)).as("b").isCloseTo(2.425907, within(2.425907e-3));
    assertThat((double) bg.getAs(ClvModel.LOG_LIKELIHOOD)).as("LL").isCloseTo(-9582.4292, within(0.01));
    assertThat((long) bg.getAs(ClvModel.CUSTOMERS)).as("customers").isEqualTo(2357);
    assertThat((boolean) bg.getAs(ClvModel.CONVERGED)).as("converged").isTrue();
  }

  @Test
  void holdoutMatchesThePublishedConditionalExpectations() {
    Row bg = model(ClvModel.MODEL_BGNBD);
    List<Row> buckets = bg.getList(bg.fieldIndex(ClvModel.HOLDOUT_BUCKETS));
    assertThat(buckets).extracting(b -> b.getString(0)).as("buckets")
        .containsExactly("0", "1", "2", "3", "4", "5", "6", "7+");
    assertThat(buckets).extracting(b -> b.getLong(1)).as("customers per bucket")
        .containsExactly(1411L, 439L, 214L, 100L, 62L, 38L, 29L, 64L);
    double[] actual = {0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359};
    double[] expected = {0.225, 0.523, 1.044, 1.520, 2.164, 2.654, 3.504, 6.157};
    for (int i = 0; i < buckets.size(); i++) {
      // The README prints 3 decimals; the fitted parameters move bucket means by < 0.001.
      assertThat(buckets.get(i).getDouble(2)).as("actual mean, bucket " + i).isCloseTo(actual[i], within(0.0005));
      assertThat(buckets.get(i).getDouble(3)).as("predicted mean, bucket " + i).isCloseTo(expected[i], within(0.0015));
    }
    assertThat((double) bg.getAs(ClvModel.HOLDOUT_ACTUAL)).as("actual holdout repeat purchases").isEqualTo(1882.0);
    assertThat((double) bg.getAs(ClvModel.HOLDOUT_PREDICTED)).as("sum of conditional expectations")
        .isCloseTo(1653.4, within(0.5));
    assertThat((double) bg.getAs(ClvModel.HOLDOUT_CORRELATION)).as("correlation").isCloseTo(0.6256, within(0.001));
  }

  @Test
  void gammaGammaAndParetoNbdMatchThePapers() {
    Row gg = model(ClvModel.MODEL_GAMMA_GAMMA);
    assertThat((long) gg.getAs(ClvModel.CUSTOMERS)).as("repeat customers").isEqualTo(946);
    // Between the exact-zbar (6.2496) and 2-dp-zbar (6.2488) reference fits: within 1e-3 relative of both.
    assertThat((double) gg.getAs(ClvModel.P)).as("p").isCloseTo(6.2496, within(6.2496e-3));
    assertThat((double) gg.getAs(ClvModel.Q)).as("q").isCloseTo(3.7442, within(3.7442e-3));
    assertThat((double) gg.getAs(ClvModel.GAMMA)).as("gamma").isCloseTo(15.4435, within(15.4435e-3));
    Row pn = model(ClvModel.MODEL_PARETO_NBD);
    // The paper prints 3 decimals: half a unit of the last place plus optimiser slack.
    assertThat((double) pn.getAs(ClvModel.R)).as("r").isCloseTo(0.553, within(0.002));
    assertThat((double) pn.getAs(ClvModel.ALPHA)).as("alpha").isCloseTo(10.578, within(0.01));
    assertThat((double) pn.getAs(ClvModel.S)).as("s").isCloseTo(0.606, within(0.002));
    assertThat((double) pn.getAs(ClvModel.BETA)).as("beta").isCloseTo(11.669, within(0.01));
    assertThat((double) pn.getAs(ClvModel.LOG_LIKELIHOOD)).as("LL").isCloseTo(-9595.0, within(0.05));
  }

  @Test
  void predictionsCoverEveryCustomerWithTheSummaryOfTheReadme() {
    var predictions = DeltaIO.read(SparkExtension.session(), catalog.path(ClvPredictions.TABLE));
    Row totals = predictions.selectExpr("count(*)", "sum(x)", "count_if(x > 0)", "min(p_alive)", "max(p_alive)",
        "count_if(clv IS NULL)", "min(size(clv_curve))").first();
    assertThat(totals.getLong(0)).as("customers").isEqualTo(2357);
    assertThat(totals.getLong(1)).as("repeat transactions").isEqualTo(2457);
    assertThat(totals.getLong(2)).as("repeat customers").isEqualTo(946);
    assertThat(totals.getDouble(3)).as("P(alive) lower bound").isGreaterThan(0.0);
    assertThat(totals.getDouble(4)).as("P(alive) upper bound").isLessThanOrEqualTo(1.0);
    assertThat(totals.getLong(5)).as("every customer valued").isZero();
    assertThat(totals.getInt(6)).as("12 monthly values").isEqualTo(12);
    Row spot = predictions.filter(col(ClvPredictions.CUSTOMER_ID).equalTo("0001")).first();
    assertThat((long) spot.getAs(ClvPredictions.X)).as("customer 0001 x").isEqualTo(2);
    assertThat((double) spot.getAs(ClvPredictions.T)).as("customer 0001 T = 272 days / 7").isCloseTo(272 / 7.0, within(1e-9));
  }

  @Test
  void purchaseForecastIsTheClvJobsBgNbd() {
    SparkSession spark = SparkExtension.session();
    // The holdout of the published check (1997-10-01 to 1998-06-30) as the forecast's horizon.
    Dataset<Row> forecast = PurchaseForecast.at(spark, DeltaIO.read(spark, catalog.path(Transactions.TABLE)),
        ClvConfig.from(CxConfig.defaults(), catalog, AsOf.parse("1997-09-30"), Optional.empty()),
        AsOf.parse("1997-09-30"), 273);
    Row r = forecast.withColumnRenamed(PurchaseForecast.P_ALIVE, "forecast_p_alive")
        .join(DeltaIO.read(spark, catalog.path(ClvPredictions.TABLE)), PurchaseForecast.CUSTOMER_ID)
        .selectExpr("count(*)", "sum(" + PurchaseForecast.EXPECTED_PURCHASES + ")",
            "max(abs(forecast_p_alive - " + ClvPredictions.P_ALIVE + "))",
            "min(" + PurchaseForecast.P_NO_PURCHASE + ")", "max(" + PurchaseForecast.P_NO_PURCHASE + ")").first();
    assertThat(r.getLong(0)).as("customers").isEqualTo(2357);
    assertThat(r.getDouble(1)).as("sum of conditional expectations, as the holdout check").isCloseTo(1653.4, within(0.5));
    assertThat(r.getDouble(2)).as("P(alive) as clv_predictions").isLessThan(1e-9);
    assertThat(r.getDouble(3)).as("P(no purchase) lower bound").isGreaterThan(0.0);
    assertThat(r.getDouble(4)).as("P(no purchase) upper bound").isLessThan(1.0);
  }

  /**
   * Churn at issue 19's setting (90-day horizon, as-of 1998-06-30, validation cut-off 1998-04-01):
   * the chosen model, which has BG/NBD's quantities among its inputs, against BG/NBD's own
   * conditional expectation and recency as scores on the same 933 customers. CDNOW holds purchases
   * only, where BG/NBD is the right model: measured, the chosen model ties it (AUC-ROC 0.733 vs
   * 0.730; AUC-PR 0.851 vs 0.860), so this checks that the model loses nothing beyond the noise of
   * 933 rows (standard error of an AUC about 0.015) and beats recency on AUC-ROC by more than it.
   */
  @Test
  void churnModelTiesBgNbdOnPurchasesAlone() {
    SparkSession spark = SparkExtension.session();
    ChurnTrainJob.run(spark, ChurnConfig.from(CxConfig.defaults(), catalog, AsOf.parse("1998-06-30")));
    Map<String, Row> metrics = new java.util.HashMap<>();
    for (Row m : DeltaIO.read(spark, catalog.path(ChurnModelMetrics.TABLE)).collectAsList()) {
      metrics.put(m.getAs(ChurnModelMetrics.MODEL), m);
      System.out.printf("ClvCdnowIT churn: %s chosen=%s validation %s rows %d positive rate %.3f AUC-ROC %.4f AUC-PR %.4f%n",
          m.<String>getAs(ChurnModelMetrics.MODEL), m.<Boolean>getAs(ChurnModelMetrics.CHOSEN),
          m.getAs(ChurnModelMetrics.VALIDATION_CUTOFF), m.<Long>getAs(ChurnModelMetrics.VALIDATION_ROWS),
          m.<Double>getAs(ChurnModelMetrics.POSITIVE_RATE), m.<Double>getAs(ChurnModelMetrics.AUC_ROC),
          m.<Double>getAs(ChurnModelMetrics.AUC_PR));
    }
    Row chosen = metrics.values().stream().filter(m -> m.<Boolean>getAs(ChurnModelMetrics.CHOSEN)).findFirst()
        .orElseThrow();
    Row bgnbd = metrics.get(ChurnModelMetrics.MODEL_BGNBD_BASELINE);
    Row recency = metrics.get(ChurnModelMetrics.MODEL_RECENCY_BASELINE);
    assertThat(chosen.<java.sql.Date>getAs(ChurnModelMetrics.VALIDATION_CUTOFF)).as("validation cut-off")
        .isEqualTo(java.sql.Date.valueOf("1998-04-01"));
    assertThat(chosen.<Double>getAs(ChurnModelMetrics.AUC_ROC)).as("AUC-ROC vs BG/NBD")
        .isGreaterThan(bgnbd.<Double>getAs(ChurnModelMetrics.AUC_ROC) - 0.015);
    assertThat(chosen.<Double>getAs(ChurnModelMetrics.AUC_PR)).as("AUC-PR vs BG/NBD")
        .isGreaterThan(bgnbd.<Double>getAs(ChurnModelMetrics.AUC_PR) - 0.015);
    assertThat(chosen.<Double>getAs(ChurnModelMetrics.AUC_ROC)).as("AUC-ROC vs recency")
        .isGreaterThan(recency.<Double>getAs(ChurnModelMetrics.AUC_ROC) + 0.015);
  }
}
