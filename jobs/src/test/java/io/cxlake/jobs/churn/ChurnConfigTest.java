package io.cxlake.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configuration rules, training windows, class weights and the model choice; no Spark. */
class ChurnConfigTest {
  private static final TableCatalog CATALOG = new TableCatalog("/tmp/unused-warehouse");
  private static final AsOf AS_OF = new AsOf(LocalDate.parse("2026-11-22"));

  private static ChurnConfig config(Map<String, String> overrides) {
    return ChurnConfig.from(CxConfig.load(Optional.empty(), overrides), CATALOG, AS_OF);
  }

  @Test
  void trainingCutoffsEndOneHorizonBeforeTheValidationCutoff() {
    ChurnConfig c = config(Map.of("churn.training-snapshots", "3"));
    assertThat(c.validationCutoff()).as("validation: as-of - 90 days").isEqualTo(LocalDate.parse("2026-08-24"));
    assertThat(c.trainingCutoffs()).as("oldest first, 30 days apart, the latest 90 days before validation")
        .containsExactly(LocalDate.parse("2026-03-27"), LocalDate.parse("2026-04-26"), LocalDate.parse("2026-05-26"));
    assertThat(c.version()).as("version").isEqualTo("2026-11-22");
  }

  @Test
  void invalidSettingsAreRejectedWithTheKey() {
    assertThatThrownBy(() -> config(Map.of("churn.horizon-days", "0")))
        .hasMessage("Cannot configure churn.horizon-days: must be 1-730 (0)");
    assertThatThrownBy(() -> config(Map.of("churn.risk-tier-medium", "0.7")))
        .hasMessage("Cannot configure churn.risk-tier-high and churn.risk-tier-medium: need 0 < medium < high < 1 "
            + "(medium 0.7, high 0.6)");
    assertThatThrownBy(() -> config(Map.of("churn.closure-ticket-topics", "[cancellation]")))
        .hasMessageStartingWith("Cannot configure churn.closure-ticket-topics: not a ticket topic")
        .hasMessageEndingWith("(cancellation)");
    assertThatThrownBy(() -> config(Map.of("churn.calibration", "beta")))
        .hasMessage("Cannot configure churn.calibration: expected platt or isotonic (beta)");
    assertThatThrownBy(() -> config(Map.of("churn.class-weighting", "smote")))
        .hasMessage("Cannot configure churn.class-weighting: expected balanced or none (smote)");
  }

  @Test
  void gbtIsChosenOnlyWhenItWinsByMoreThanTheTolerance() {
    ModelSettings settings = config(Map.of()).model();
    Map.Entry<Candidate, String> close = Trainer.choose(settings, evaluations(0.800, 0.804), "validation 2026-08-24");
    assertThat(close.getKey()).as("within tolerance 0.005").isEqualTo(Candidate.LOGISTIC_REGRESSION);
    assertThat(close.getValue()).as("reason").isEqualTo("logistic_regression chosen: validation 2026-08-24 auc_pr: "
        + "gbt 0.8040, logistic_regression 0.8000; gbt is not better by more than the tolerance 0.0050, and the "
        + "linear model's drivers are exact");
    Map.Entry<Candidate, String> clear = Trainer.choose(settings, evaluations(0.800, 0.820), "validation 2026-08-24");
    assertThat(clear.getKey()).as("better by 0.02").isEqualTo(Candidate.GBT);
    assertThat(clear.getValue()).as("reason").contains("gbt chosen", "better by 0.0200");
  }

  private static Map<Candidate, Trainer.Evaluation> evaluations(double logisticAucPr, double gbtAucPr) {
    Map<Candidate, Trainer.Evaluation> m = new EnumMap<>(Candidate.class);
    m.put(Candidate.LOGISTIC_REGRESSION, new Trainer.Evaluation(Candidate.LOGISTIC_REGRESSION, null, 0.5,
        logisticAucPr, null, null, null, List.of(), List.of()));
    m.put(Candidate.GBT, new Trainer.Evaluation(Candidate.GBT, null, 0.5, gbtAucPr, null, null, null, List.of(),
        List.of()));
    return m;
  }

  @Test
  void featuresCsvVersionAndDatasetComeFromTheFileName() {
    FeaturesCsvConfig c = new FeaturesCsvConfig(CATALOG, AS_OF, "/data/telco/Telco-Customer-Churn.csv", "Churn",
        Optional.empty(), config(Map.of()).model());
    assertThat(c.dataset()).as("dataset").isEqualTo("features_csv:Telco-Customer-Churn.csv");
    assertThat(c.version()).as("version").isEqualTo("telco_customer_churn-2026-11-22");
  }
}
