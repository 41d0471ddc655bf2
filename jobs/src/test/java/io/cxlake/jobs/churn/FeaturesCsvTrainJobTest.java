package io.cxlake.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How a featurized labelled file's columns are typed, and the stratified folds. */
@ExtendWith(SparkExtension.class)
class FeaturesCsvTrainJobTest {
  private static FeaturesCsvConfig config(Path file, String label) {
    return new FeaturesCsvConfig(new TableCatalog("/tmp/unused-warehouse"), new AsOf(LocalDate.parse("2026-11-22")),
        file.toString(), label, Optional.empty(), ModelSettings.from(CxConfig.defaults()));
  }

  @Test
  void columnsAreTypedByContentAndTheIdIsLeftOut(SparkSession spark, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("accounts.csv");
    Files.writeString(file, String.join("\n",
        "accountID,Plan Type,tenure,Charges,Churn",
        "A-1,basic,1,10.5,Yes",
        "A-2,premium,24, ,No",
        "A-3,basic,5,20,No",
        "A-4,basic,7,30,yes",
        "A-5,premium,12,40,No",
        "A-6,basic,3,50,No"));
    Dataset<Row> raw = FeaturesCsvTrainJob.read(spark, config(file, "Churn"));
    FeaturesCsvTrainJob.Columns columns = FeaturesCsvTrainJob.profile(raw, config(file, "Churn"));
    assertThat(columns.id()).as("id: text, all values distinct").isEqualTo("accountID");
    assertThat(columns.numeric()).as("numeric").containsExactly("tenure", "Charges");
    assertThat(columns.withBlanks()).as("numeric with blanks").containsExactly("Charges");
    assertThat(columns.categorical()).as("categorical, header made safe").containsExactly("Plan_Type");

    ModelSettings twoFolds = new ModelSettings(true, ModelSettings.SelectionMetric.AUC_PR, 0.005,
        ModelSettings.Calibration.PLATT, 10, 0.01, 0, 100, 10, 3, 0.1, 1, 2, 7);
    List<Row> rows = FeaturesCsvTrainJob.prepare(raw, columns, "Churn", twoFolds)
        .select(ChurnFeatures.CUSTOMER_ID, ChurnFeatures.LABEL, "Charges", "Charges_missing", Trainer.FOLD)
        .orderBy(ChurnFeatures.CUSTOMER_ID).collectAsList();
    assertThat(rows).extracting(r -> r.getDouble(1)).as("labels").containsExactly(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    assertThat(rows.get(1).isNullAt(2)).as("a blank number is null (imputed in the pipeline)").isTrue();
    assertThat(rows).extracting(r -> r.getDouble(3)).as("missing indicator").containsExactly(0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
    assertThat(rows.stream().filter(r -> r.getDouble(1) == 1.0).map(r -> r.getInt(4)).toList())
        .as("the two churners are dealt to different folds").containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void anUnreadableLabelIsAnErrorNamingTheValue(SparkSession spark, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "id,x,Churn\n1,2,Yes\n2,3,Maybe\n");
    assertThatThrownBy(() -> FeaturesCsvTrainJob.profile(FeaturesCsvTrainJob.read(spark, config(file, "Churn")),
        config(file, "Churn")))
        .hasMessage("Cannot train churn on features: 1 values of Churn are not yes/no, true/false or 1/0 (first: Maybe)");
    assertThatThrownBy(() -> FeaturesCsvTrainJob.profile(FeaturesCsvTrainJob.read(spark, config(file, "Exited")),
        config(file, "Exited")))
        .hasMessage("Cannot train churn on features: no label column in bad.csv, columns are [id, x, Churn] (Exited)");
    assertThatThrownBy(() -> FeaturesCsvTrainJob.read(spark, config(dir.resolve("none.csv"), "Churn")))
        .hasMessageStartingWith("Cannot read --features-csv: file does not exist");
  }
}
