package io.cxlake.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Option checks of churn-train and churn-score that fail before any Spark work. */
class ChurnCommandTest {
  @Test
  void featuresCsvAndLabelGoTogether() {
    InProcessCli.Result label = InProcessCli.run("churn-train", "--as-of", "2026-11-22", "--label", "Churn");
    assertThat(label.code()).as("exit code").isEqualTo(1);
    assertThat(label.err()).as("message")
        .contains("Cannot run churn-train: --label and --id-column need --features-csv (--label Churn)");
    InProcessCli.Result file = InProcessCli.run("churn-train", "--features-csv", "telco.csv");
    assertThat(file.code()).as("exit code").isEqualTo(1);
    assertThat(file.err()).as("message").contains("Cannot run churn-train: --features-csv needs --label COLUMN (telco.csv)");
  }

  @Test
  void helpListsTheChurnCommands() {
    assertThat(InProcessCli.run("--help").out()).as("commands").contains("churn-train", "churn-score");
    assertThat(InProcessCli.run("churn-score", "--help").out()).as("options").contains("--model-version", "--as-of");
    assertThat(InProcessCli.run("churn-train", "--help").out()).as("options")
        .contains("--features-csv", "--label", "--id-column");
  }
}
