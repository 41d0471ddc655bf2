package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnDrift;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.clv.PurchaseForecast;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import io.cxlake.jobs.sample.SampleTruth;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn training and scoring end to end on generated data, whose generator plants the causes of
 * churn (bad support experiences and detractor scores raise the dropout probability) and records
 * which customers really dropped out: the model must beat a recency-only score on the observed
 * labels and on the true dropouts, and a bad support experience plus a detractor score must raise
 * a customer's churn probability, everything else equal.
 */
@ExtendWith(SparkExtension.class)
class ChurnSampleIT {
  private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");

  @Test
  void theModelFindsThePlantedCausesAndBeatsRecency(SparkSession spark, @TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    // History up to the end of the as-of day.
    GenerateSampleConfig sample = new GenerateSampleConfig(dir.resolve("landing").toString(),
        dir.resolve("truth").toString(), AS_OF.plusDays(1), 3000, 11, 730, 300, 0.0);
    GenerateSampleJob.run(spark, sample);
    TableCatalog catalog = new TableCatalog(dir.resolve("warehouse").toString());
    AsOf asOf = new AsOf(AS_OF);
    CxConfig cx = CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-11-02T00:00:00Z"));
    IngestJob.run(spark, IngestConfig.from(cx, sample.landing(), catalog, asOf), "run-1");
    ClvJob.run(spark, ClvConfig.from(cx, catalog, asOf, Optional.empty()));
    ChurnConfig config = ChurnConfig.from(cx, catalog, asOf);
    long prepared = System.nanoTime();
    var trained = ChurnTrainJob.run(spark, config);
    long trainedAt = System.nanoTime();
    ChurnScoreJob.run(spark, config, Optional.empty());
    long scored = System.nanoTime();
    System.out.printf("ChurnSampleIT: data %.0f s, churn-train %.0f s, churn-score %.0f s; %s%n",
        (prepared - started) / 1e9, (trainedAt - prepared) / 1e9, (scored - trainedAt) / 1e9, trained.details());

    // Out-of-time evaluation on the validation cut-off (as-of - 90 days).
    Map<String, Row> metrics = new HashMap<>();
    for (Row r : DeltaIO.read(spark, catalog.path(ChurnModelMetrics.TABLE)).collectAsList()) {
      metrics.put(r.getAs(ChurnModelMetrics.MODEL), r);
    }
    assertThat(metrics).as("two candidates and the baseline")
        .containsOnlyKeys("logistic_regression", "gbt", ChurnModelMetrics.MODEL_RECENCY_BASELINE,
            ChurnModelMetrics.MODEL_BGNBD_BASELINE);
    assertThat(metrics.values().stream().filter(r -> r.<Boolean>getAs(ChurnModelMetrics.CHOSEN)).count())
        .as("one chosen model").isEqualTo(1);
    double baseline = metrics.get(ChurnModelMetrics.MODEL_RECENCY_BASELINE).getAs(ChurnModelMetrics.AUC_ROC);
    for (String m : List.of("logistic_regression", "gbt")) {
      Row r = metrics.get(m);
      double auc = r.getAs(ChurnModelMetrics.AUC_ROC);
      System.out.printf("ChurnSampleIT: %s validation AUC-ROC %.4f (recency %.4f), AUC-PR %.4f, log loss %.4f "
              + "(uncalibrated %.4f), Brier %.4f, ECE %.4f, top-decile lift %.3f%n", m, auc, baseline,
          (double) r.getAs(ChurnModelMetrics.AUC_PR), (double) r.getAs(ChurnModelMetrics.LOG_LOSS),
          (double) r.getAs(ChurnModelMetrics.LOG_LOSS_UNCALIBRATED), (double) r.getAs(ChurnModelMetrics.BRIER),
          expectedCalibrationError(r), r.<Row>getList(r.fieldIndex(ChurnModelMetrics.LIFT)).get(0).getDouble(4));
      // 2,000+ validation customers: the AUC's standard error is about 0.01.
      assertThat(auc).as(m + " AUC-ROC vs the recency-only baseline " + baseline).isGreaterThan(baseline + 0.05);
      assertThat(expectedCalibrationError(r)).as(m + " calibration: mean |predicted - observed| over bins")
          .isLessThan(0.05);
      assertThat((double) r.getAs(ChurnModelMetrics.LOG_LOSS)).as(m + " calibration improves the log loss")
          .isLessThan(r.<Double>getAs(ChurnModelMetrics.LOG_LOSS_UNCALIBRATED));
    }

    // The generator's truth: who had dropped out for good before the validation cut-off.
    FeatureInputs inputs = ChurnInputs.read(spark, catalog, asOf, "test");
    Dataset<Row> closures = ChurnLabels.closures(inputs.tickets(), List.of());
    LocalDate validationCutoff = config.validationCutoff();
    Timestamp cutoff = Timestamp.from(new AsOf(validationCutoff).cutoff());
    Dataset<Row> validation = TrainingSet.snapshot(inputs, closures, validationCutoff, config).localCheckpoint();
    Dataset<Row> truth = spark.read().parquet(dir.resolve("truth").resolve(SampleTruth.CUSTOMERS).toString())
        .select(col(SampleTruth.CUSTOMER_ID).as(ChurnFeatures.CUSTOMER_ID),
            when(col(SampleTruth.DROPOUT_TS).lt(lit(cutoff)), 1.0).otherwise(0.0).as("dead"));
    String chosen = metrics.values().stream().filter(r -> r.<Boolean>getAs(ChurnModelMetrics.CHOSEN))
        .map(r -> r.<String>getAs(ChurnModelMetrics.MODEL)).findFirst().orElseThrow();
    String modelsPath = catalog.modelsPath(ChurnConfig.MODELS_KIND);
    PipelineModel model = ModelStore.load(modelsPath, AS_OF.toString(), Candidate.of(chosen));
    Dataset<Row> withTruth = model.transform(validation)
        .withColumn("p", col(ChurnProbability.OUTPUT))
        .join(truth, ChurnFeatures.CUSTOMER_ID)
        .withColumn(ChurnFeatures.LABEL, col("dead"))
        .localCheckpoint();
    double truthAuc = ChurnMetrics.aucRoc(withTruth, "p");
    double truthRecency = ChurnMetrics.aucRoc(withTruth, Customer360.RECENCY_DAYS);
    System.out.printf("ChurnSampleIT: true dropouts at the validation cut-off: %s AUC-ROC %.4f, recency %.4f%n",
        chosen, truthAuc, truthRecency);
    assertThat(truthAuc).as("AUC-ROC on the generator's true dropouts vs recency " + truthRecency)
        .isGreaterThan(truthRecency + 0.05);

    // All else equal: the same customers with a slow, unresolved ticket and a detractor score
    // against a fast resolution and a promoter score.
    AsOf at = new AsOf(validationCutoff);
    Dataset<Row> btyd = PurchaseForecast.at(spark, inputs.transactions(), config.clv(), at, config.horizonDays())
        .localCheckpoint();
    Dataset<Row> features = CustomerFeatures.compute(inputs, at, config.features())
        .join(validation.select(ChurnFeatures.CUSTOMER_ID), ChurnFeatures.CUSTOMER_ID)
        .withColumn(Customer360.TICKETS_TOTAL, greatest(col(Customer360.TICKETS_TOTAL), lit(1L)))
        .withColumn(Customer360.TICKETS_365D, greatest(col(Customer360.TICKETS_365D), lit(1L)))
        .withColumn(Customer360.NPS_RESPONSES, greatest(col(Customer360.NPS_RESPONSES), lit(1L)))
        .withColumn(Customer360.LAST_NPS_TS, coalesce(col(Customer360.LAST_NPS_TS),
            lit(cutoff).minus(expr("INTERVAL 60 DAYS"))));
    Dataset<Row> good = features
        .withColumn(Customer360.OPEN_TICKETS, lit(0L))
        .withColumn(Customer360.OLDEST_OPEN_TICKET_DAYS, lit(null).cast("double"))
        .withColumn(Customer360.MEAN_RESOLUTION_HOURS, lit(12.0))
        .withColumn(Customer360.P90_RESOLUTION_HOURS, lit(20.0))
        .withColumn(Customer360.MEAN_TICKET_CSAT, lit(4.5))
        .withColumn(Customer360.LAST_NPS_SCORE, lit(9))
        .withColumn(Customer360.NPS_CLASS, lit(Customer360.NPS_PROMOTER));
    Dataset<Row> bad = good
        .withColumn(Customer360.OPEN_TICKETS, lit(1L))
        .withColumn(Customer360.OLDEST_OPEN_TICKET_DAYS, lit(10.0))
        .withColumn(Customer360.MEAN_RESOLUTION_HOURS, lit(150.0))
        .withColumn(Customer360.P90_RESOLUTION_HOURS, lit(200.0))
        .withColumn(Customer360.MEAN_TICKET_CSAT, lit(1.5))
        .withColumn(Customer360.LAST_NPS_SCORE, lit(3))
        .withColumn(Customer360.NPS_CLASS, lit(Customer360.NPS_DETRACTOR));
    Row effect = probability(model, good, btyd, closures, at, config, "good")
        .join(probability(model, bad, btyd, closures, at, config, "bad"), ChurnFeatures.CUSTOMER_ID)
        .agg(avg("good"), avg("bad"), avg(when(col("bad").gt(col("good")), 1.0).otherwise(0.0)), count(lit(1)))
        .first();
    System.out.printf("ChurnSampleIT: %s, %d customers: mean churn probability %.4f with a good support and NPS "
        + "experience, %.4f with a bad one; higher for %.1f %% of them%n", chosen, effect.getLong(3),
        effect.getDouble(0), effect.getDouble(1), 100 * effect.getDouble(2));
    assertThat(effect.getDouble(1) - effect.getDouble(0)).as("bad experience raises the mean churn probability")
        .isGreaterThan(0.03);
    assertThat(effect.getDouble(2)).as("share of customers whose probability rises").isGreaterThan(0.75);

    // Gradient-boosted trees: the Saabas contributions add up to the model's log-odds.
    PipelineModel gbt = ModelStore.load(modelsPath, AS_OF.toString(), Candidate.GBT);
    TreeAttribution attribution = TreeAttribution.of((GBTClassificationModel) Drivers.classifier(gbt));
    for (Row r : gbt.transform(validation).select(ChurnPipelines.FEATURES, ChurnPipelines.RAW_MARGIN).limit(20)
        .collectAsList()) {
      double sum = attribution.bias();
      for (double c : attribution.contributions(r.getAs(0))) {
        sum += c;
      }
      assertThat(sum).as("bias + contributions = 2 x GBT margin").isCloseTo(2 * r.<Vector>getAs(1).apply(1), within(1e-9));
    }

    // Scoring with the gbt candidate explains its customers through the same drivers column.
    ModelStore.Metadata m = ModelStore.readMetadata(spark, modelsPath, AS_OF.toString());
    ModelStore.Metadata asGbt = m.withChosen(Candidate.GBT);
    Row gbtDrivers = ChurnScoreJob.scores(ChurnScoreJob.withClv(TrainingSet.modelInputs(inputs, closures, at, config),
            ClvSnapshots.read(spark, catalog).at(at.date(), config.clvMaxAgeDays())), gbt, asGbt, config)
        .filter(col(ChurnScores.REASON).isNull())
        .agg(count(lit(1)), count(when(size(col(ChurnScores.DRIVERS)).equalTo(3), lit(1)))).first();
    assertThat(gbtDrivers.getLong(1)).as("gbt scores with three drivers").isEqualTo(gbtDrivers.getLong(0));

    // churn_scores: every customer known at the as-of date, scored or with a reason.
    Dataset<Row> scores = DeltaIO.read(spark, catalog.path(ChurnScores.TABLE)).localCheckpoint();
    Row s = scores.agg(
        count(lit(1)),
        count(col(ChurnScores.CHURN_PROBABILITY)),
        count(when(col(ChurnScores.REASON).isNull().and(col(ChurnScores.CHURN_PROBABILITY).between(0.0, 1.0))
            .and(col(ChurnScores.RISK_TIER).isNotNull()).and(size(col(ChurnScores.DRIVERS)).between(1, 3)), lit(1))),
        count(when(col(ChurnScores.REASON).isNotNull().and(col(ChurnScores.CHURN_PROBABILITY).isNull()), lit(1))),
        count(col(ChurnScores.VALUE_AT_RISK)),
        count(when(col(ChurnScores.MODEL_VERSION).equalTo(AS_OF.toString()), lit(1)))).first();
    long customers = CustomerFeatures.compute(inputs, asOf, config.features()).count();
    assertThat(s.getLong(0)).as("one row per customer known at the as-of date").isEqualTo(customers);
    assertThat(s.getLong(2)).as("scored rows: probability, tier, 1-3 drivers").isEqualTo(s.getLong(1));
    assertThat(s.getLong(1) + s.getLong(3)).as("every row is scored or has a reason").isEqualTo(s.getLong(0));
    assertThat(s.getLong(4)).as("value at risk where clv exists").isPositive();
    Row readable = scores.filter(col(ChurnScores.REASON).isNull())
        .select(explode(col(ChurnScores.DRIVERS)).as("d"))
        .agg(count(lit(1)),
            count(when(col("d.text").rlike("^[a-z0-9_]+ = -?[0-9.]+ vs -?[0-9.]+ typical (raises|lowers) risk$")
                .and(col("d.value").isNotNull()).and(col("d.typical").isNotNull()), lit(1))),
            count(when(col("d.feature").contains("="), lit(1))),
            count(when(col("d.text").rlike("^[a-z_]+=.+ \\([0-9.]+% of customers\\) (raises|lowers) risk$"), lit(1))))
        .first();
    System.out.println("ChurnSampleIT: drivers, e.g. " + scores.filter(col(ChurnScores.REASON).isNull())
        .select(col(ChurnScores.DRIVERS).getItem(0).getField("text")).first().getString(0));
    assertThat(readable.getLong(1) + readable.getLong(3)).as("every driver reads 'feature = value vs typical' or "
        + "'category (share)'").isEqualTo(readable.getLong(0));

    // churn_drift: every input and the score against the training window, on the scoring day.
    List<Row> drift = DeltaIO.read(spark, catalog.path(ChurnDrift.TABLE)).collectAsList();
    System.out.println("ChurnSampleIT: drift PSI " + drift.stream().map(r -> r.getAs(ChurnDrift.FEATURE) + "="
        + String.format(java.util.Locale.ROOT, "%.3f", r.<Double>getAs(ChurnDrift.PSI))).toList());
    assertThat(drift).extracting(r -> r.<String>getAs(ChurnDrift.FEATURE)).as("features with a PSI")
        .hasSize(ChurnFeatures.NUMERIC.size() + ChurnFeatures.CATEGORICAL.size() + 1)
        .contains(ChurnProbability.OUTPUT, Customer360.RECENCY_DAYS, Customer360.COUNTRY);
    assertThat(drift).allSatisfy(r -> {
      assertThat(r.<Double>getAs(ChurnDrift.PSI)).isGreaterThanOrEqualTo(0.0);
      assertThat(r.<String>getAs(ChurnDrift.MODEL_VERSION)).isEqualTo(AS_OF.toString());
      assertThat(r.<Long>getAs(ChurnDrift.ROWS)).isEqualTo(s.getLong(1));
    });
    assertThat(s.getLong(5)).as("model version").isEqualTo(s.getLong(0));
    List<String> reasons = scores.filter(col(ChurnScores.REASON).isNotNull()).select(ChurnScores.REASON).distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).as("reasons seen").contains(ChurnScores.REASON_LAPSED, ChurnScores.REASON_NO_PURCHASE);
    assertThat(metrics.get(chosen).<Boolean>getAs(ChurnModelMetrics.PROMOTED)).as("the first version is promoted")
        .isTrue();

    refitScoreBacktestAndGate(spark, catalog, inputs, closures);
  }

  /**
   * At an as-of E before AS_OF, the chosen model refitted on the newest labelled snapshots against
   * the same model fitted on the training cut-offs only, both judged on the window after E. The E
   * champion scores six weekly dates from E, whose horizons all close by AS_OF. Then a challenger
   * trained on labels drawn at random at the observed churn rate, the day after AS_OF: the gate
   * keeps the AS_OF champion serving, and the run backtests the six dates.
   */
  private static void refitScoreBacktestAndGate(SparkSession spark, TableCatalog catalog, FeatureInputs inputs,
      Dataset<Row> closures) {
    String modelsPath = catalog.modelsPath(ChurnConfig.MODELS_KIND);
    LocalDate earlier = AS_OF.minusDays(125);
    Map<String, String> now = Map.of("ingest.now", "2026-11-02T00:00:00Z");
    Map<String, String> noRefit = new HashMap<>(now);
    noRefit.put("churn.refit", "false");
    ChurnTrainJob.run(spark, ChurnConfig.from(CxConfig.load(Optional.empty(), noRefit), catalog, new AsOf(earlier)));
    PipelineModel unrefitted = ModelStore.serving(modelsPath, ModelStore.readMetadata(spark, modelsPath,
        earlier.toString()));
    CxConfig cx = CxConfig.load(Optional.empty(), now);
    ChurnTrainJob.run(spark, ChurnConfig.from(cx, catalog, new AsOf(earlier)));
    ModelStore.Metadata refit = ModelStore.readMetadata(spark, modelsPath, earlier.toString());
    assertThat(refit.refitCutoffs()).as("refit cut-offs: the training ones to the validation one")
        .hasSize(9).endsWith(earlier.minusDays(90));
    ChurnConfig earlierConfig = ChurnConfig.from(cx, catalog, new AsOf(earlier));
    Dataset<Row> laterWindow = TrainingSet.snapshot(inputs, closures, earlier, earlierConfig).localCheckpoint();
    double before = ChurnMetrics.aucRoc(unrefitted.transform(laterWindow), ChurnProbability.OUTPUT);
    double after = ChurnMetrics.aucRoc(ModelStore.serving(modelsPath, refit).transform(laterWindow),
        ChurnProbability.OUTPUT);
    System.out.printf("ChurnSampleIT: %s trained at %s, AUC-ROC on the window after it: %.4f fitted on the training "
        + "cut-offs, %.4f refitted on the newest snapshots%n", refit.chosen().label(), earlier, before, after);
    // Same rows, same family: the paired difference's noise is far below the unpaired 0.01.
    assertThat(after).as("refitted AUC-ROC on the later window vs unrefitted " + before)
        .isGreaterThanOrEqualTo(before - 0.005);

    List<LocalDate> scoringDates = java.util.stream.IntStream.range(0, 6).mapToObj(k -> earlier.plusDays(7L * k))
        .toList();
    for (LocalDate d : scoringDates) {
      ChurnScoreJob.run(spark, ChurnConfig.from(cx, catalog, new AsOf(d)), Optional.empty());
    }

    LocalDate next = AS_OF.plusDays(1);
    ChurnConfig nextConfig = ChurnConfig.from(cx, catalog, new AsOf(next));
    ChurnTrainJob.run(spark, nextConfig, false, rows -> {
      double rate = rows.agg(avg(ChurnFeatures.LABEL)).first().getDouble(0);
      return rows.withColumn(ChurnFeatures.LABEL, when(rand(7).lt(rate), 1.0).otherwise(0.0));
    });
    Row gate = DeltaIO.read(spark, catalog.path(ChurnModelMetrics.TABLE))
        .filter(col(ChurnModelMetrics.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(next)))
            .and(col(ChurnModelMetrics.CHOSEN)))
        .first();
    System.out.println("ChurnSampleIT: random-label challenger: " + gate.getAs(ChurnModelMetrics.PROMOTION_REASON));
    assertThat(gate.<Boolean>getAs(ChurnModelMetrics.PROMOTED)).as("random-label challenger promoted").isFalse();
    assertThat(gate.<String>getAs(ChurnModelMetrics.CHAMPION_VERSION)).as("compared with").isEqualTo(AS_OF.toString());
    ChurnScoreJob.run(spark, nextConfig, Optional.empty());
    String served = DeltaIO.read(spark, catalog.path(ChurnScores.TABLE))
        .filter(col(ChurnScores.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(next))))
        .select(ChurnScores.MODEL_VERSION).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()
        .toString();
    assertThat(served).as("version churn-score serves the day after").isEqualTo("[" + AS_OF + "]");

    // The backtest of that run: the six weekly dates, against the churn the data shows after each.
    List<Row> backtest = DeltaIO.read(spark, catalog.path(ChurnBacktest.TABLE))
        .filter(col(ChurnBacktest.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(next))))
        .orderBy(ChurnBacktest.SCORING_DATE).collectAsList();
    for (Row b : backtest) {
      System.out.printf("ChurnSampleIT: backtest %s (%s): %d customers, realized churn %.3f, predicted %.3f, "
              + "AUC-ROC %.3f, AUC-PR %.3f, Brier %.3f, top-decile lift %.2f%n", b.getAs(ChurnBacktest.SCORING_DATE),
          b.getAs(ChurnBacktest.MODEL_VERSION), b.<Long>getAs(ChurnBacktest.CUSTOMERS),
          b.<Double>getAs(ChurnBacktest.REALIZED_CHURN_RATE), b.<Double>getAs(ChurnBacktest.MEAN_PREDICTED),
          b.<Double>getAs(ChurnBacktest.AUC_ROC), b.<Double>getAs(ChurnBacktest.AUC_PR),
          b.<Double>getAs(ChurnBacktest.BRIER), b.<Double>getAs(ChurnBacktest.TOP_DECILE_LIFT));
    }
    assertThat(backtest).extracting(b -> b.<java.sql.Date>getAs(ChurnBacktest.SCORING_DATE).toLocalDate())
        .as("closed scoring dates").containsExactlyElementsOf(scoringDates);
    assertThat(backtest).allSatisfy(b -> {
      assertThat(b.<String>getAs(ChurnBacktest.MODEL_VERSION)).isEqualTo(earlier.toString());
      // 2,000 customers: the standard error of a churn rate is about 0.01.
      assertThat(b.<Double>getAs(ChurnBacktest.MEAN_PREDICTED)).as("calibrated: predicted vs realized churn")
          .isCloseTo(b.<Double>getAs(ChurnBacktest.REALIZED_CHURN_RATE), within(0.05));
      assertThat(b.<Double>getAs(ChurnBacktest.AUC_ROC)).as("ranking holds out of time").isGreaterThan(0.7);
      assertThat(b.getList(b.fieldIndex(ChurnBacktest.CALIBRATION))).as("deciles").hasSize(10);
    });
  }

  private static Dataset<Row> probability(PipelineModel model, Dataset<Row> features, Dataset<Row> btyd,
      Dataset<Row> closures, AsOf at, ChurnConfig config, String name) {
    return model.transform(ChurnFeatures.modelInputs(features, btyd, closures, at, config))
        .select(col(ChurnFeatures.CUSTOMER_ID), col(ChurnProbability.OUTPUT).as(name));
  }

  /** Mean absolute gap between predicted and observed churn over the calibration bins, by customers. */
  private static double expectedCalibrationError(Row metrics) {
    List<Row> bins = metrics.getList(metrics.fieldIndex(ChurnModelMetrics.CALIBRATION));
    double gap = 0;
    long n = 0;
    for (Row b : bins) {
      gap += b.getLong(3) * Math.abs(b.getDouble(4) - b.getDouble(5));
      n += b.getLong(3);
    }
    return gap / n;
  }
}
