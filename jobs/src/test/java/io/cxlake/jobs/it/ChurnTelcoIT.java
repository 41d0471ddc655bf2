package io.cxlake.jobs.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IBM Telco churn file (7,043 customers, 26.5 % churners) through the generic featurized
 * path, as a user runs it: {@code bin/cxlake churn-train --warehouse DIR --features-csv FILE
 * --label Churn}, in this JVM (the command, not its process, is under test here). Published
 * logistic-regression results on this file are about 0.84-0.85 AUC-ROC.
 */
@ExtendWith(SparkExtension.class)
class ChurnTelcoIT {
  private static final Path TELCO = Path.of(System.getProperty("cxlake.shared.data", "../../shared/data"))
      .resolve("telco_churn/Telco-Customer-Churn.csv");

  @Test
  void logisticRegressionReachesThePublishedAuc(SparkSession spark, @TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    String out = ItSupport.cxlakeInProcess("churn-train", "--as-of", "2026-11-22", "--warehouse",
        dir.resolve("wh").toString(), "--features-csv", TELCO.toAbsolutePath().toString(), "--label", "Churn");
    System.out.printf("ChurnTelcoIT: churn-train took %.0f s: %s", (System.nanoTime() - started) / 1e9, out);
    assertThat(out).as("summary").contains("churn-train --as-of 2026-11-22: rows_in=7043 rows_out=2");

    TableCatalog catalog = new TableCatalog(dir.resolve("wh").toString());
    Map<String, Row> metrics = new HashMap<>();
    for (Row r : DeltaIO.read(spark, catalog.path(ChurnModelMetrics.TABLE)).collectAsList()) {
      metrics.put(r.getAs(ChurnModelMetrics.MODEL), r);
    }
    assertThat(metrics).as("one row per candidate").containsOnlyKeys("logistic_regression", "gbt");
    for (Row r : metrics.values()) {
      List<Row> lift = r.getList(r.fieldIndex(ChurnModelMetrics.LIFT));
      System.out.printf("ChurnTelcoIT: %s 5-fold AUC-ROC %.4f (sd %.4f), AUC-PR %.4f, log loss %.4f, Brier %.4f, "
              + "top-decile lift %.2f, churners in the top 30 %%: %.1f %%%n", r.getAs(ChurnModelMetrics.MODEL),
          (double) r.getAs(ChurnModelMetrics.AUC_ROC), (double) r.getAs(ChurnModelMetrics.AUC_ROC_FOLD_STD),
          (double) r.getAs(ChurnModelMetrics.AUC_PR), (double) r.getAs(ChurnModelMetrics.LOG_LOSS),
          (double) r.getAs(ChurnModelMetrics.BRIER), lift.get(0).getDouble(4), 100 * lift.get(2).getDouble(5));
      assertThat(r.<String>getAs(ChurnModelMetrics.DATASET)).as("dataset")
          .isEqualTo("features_csv:Telco-Customer-Churn.csv");
      assertThat(r.<String>getAs(ChurnModelMetrics.EVALUATION)).as("evaluation").isEqualTo(ChurnModelMetrics.EVALUATION_CV);
      assertThat((long) r.getAs(ChurnModelMetrics.VALIDATION_ROWS)).as("out-of-fold rows").isEqualTo(7043L);
      assertThat((double) r.getAs(ChurnModelMetrics.POSITIVE_RATE)).as("churn rate 1,869 / 7,043")
          .isCloseTo(1869.0 / 7043, org.assertj.core.api.Assertions.within(1e-12));
      assertThat(r.<String>getList(r.fieldIndex(ChurnModelMetrics.FEATURES))).as("inputs")
          .contains("tenure", "Contract", "TotalCharges", "TotalCharges_missing").doesNotContain("customerID", "Churn");
      assertThat(lift.get(0).getDouble(4)).as("top-decile lift").isGreaterThan(2.0);
      assertThat(Files.isDirectory(dir.resolve("wh/models/churn_features/telco_customer_churn-2026-11-22")
          .resolve(r.<String>getAs(ChurnModelMetrics.MODEL)))).as("saved pipeline").isTrue();
    }
    assertThat((double) metrics.get("logistic_regression").getAs(ChurnModelMetrics.AUC_ROC))
        .as("logistic regression, stratified 5-fold AUC-ROC (published 0.84-0.85)").isGreaterThanOrEqualTo(0.84);
    assertThat((double) metrics.get("gbt").getAs(ChurnModelMetrics.AUC_ROC)).as("gbt AUC-ROC").isGreaterThan(0.82);
    assertThat(DeltaIO.read(spark, catalog.path(ChurnModelMetrics.TABLE)).filter(col(ChurnModelMetrics.CHOSEN)).count())
        .as("one chosen model").isEqualTo(1);
  }
}
