package io.cxlake.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Option checks of churn-train and churn-score that fail before any Spark work. */
class ChurnCommandTest {
  @Test
  void featuresCsvAndLabelGoTogether() {
    CxlakeCliTest.Result label = CxlakeCliTest.run("churn-train", "--as-of", "2026-11-22", "--label", "Churn");
    assertThat(label.code()).as("exit code").isEqualTo(1);
    assertThat(label.err()).as("message")
        .contains("Cannot run churn-train: --label and --id-column need --features-csv (--label Churn)");
    CxlakeCliTest.Result file = CxlakeCliTest.run("churn-train", "--features-csv", "telco.csv");
    assertThat(file.code()).as("exit code").isEqualTo(1);
    assertThat(file.err()).as("message").contains("Cannot run churn-train: --features-csv needs --label COLUMN (telco.csv)");
  }

  @Test
  void helpListsTheChurnCommands() {
    assertThat(CxlakeCliTest.run("--help").out()).as("commands").contains("churn-train", "churn-score");
    assertThat(CxlakeCliTest.run("churn-score", "--help").out()).as("options").contains("--model-version", "--as-of");
    assertThat(CxlakeCliTest.run("churn-train", "--help").out()).as("options")
        .contains("--features-csv", "--label", "--id-column");
  }
}
