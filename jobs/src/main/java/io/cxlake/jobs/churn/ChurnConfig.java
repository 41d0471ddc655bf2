package io.cxlake.jobs.churn;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.features.FeatureSettings;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.customer360.Customer360Config;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of one churn-train or churn-score run on the warehouse's event data.
 *
 * @param catalog the warehouse
 * @param asOf training as-of (no data after this day) or scoring date
 * @param horizonDays churn = no completed purchase in this many days ({@code churn.horizon-days})
 * @param activeWindowDays population: a purchase within this many days ({@code churn.active-window-days})
 * @param minHistoryDays first purchase at least this long ago ({@code churn.min-history-days})
 * @param closureTicketTopics ticket topics that record account closures ({@code churn.closure-ticket-topics})
 * @param trainingSnapshots number of training cut-offs ({@code churn.training-snapshots})
 * @param snapshotIntervalDays days between training cut-offs ({@code churn.snapshot-interval-days})
 * @param clvMaxAgeDays oldest clv_predictions partition used ({@code churn.clv-max-age-days})
 * @param refit refit the chosen model on the training window extended to the validation cut-off
 *     ({@code churn.refit})
 * @param promotionTolerance how much worse than the champion (AUC-PR, Brier) a new version may be and
 *     still be promoted ({@code churn.promotion-tolerance})
 * @param backtestDays scoring dates up to this many days before the as-of date are backtested
 *     ({@code churn.backtest-days})
 * @param riskTierHigh probability of the high tier ({@code churn.risk-tier-high})
 * @param riskTierMedium probability of the medium tier ({@code churn.risk-tier-medium})
 * @param features the customer feature settings ({@code customer360.*}, {@code privacy.hash-salt})
 * @param clv the clv job's settings ({@code clv.*}), for the BG/NBD inputs fitted at every cut-off
 * @param model how models are trained and chosen
 */
public record ChurnConfig(
    TableCatalog catalog,
    AsOf asOf,
    int horizonDays,
    int activeWindowDays,
    int minHistoryDays,
    List<String> closureTicketTopics,
    int trainingSnapshots,
    int snapshotIntervalDays,
    int clvMaxAgeDays,
    boolean refit,
    double promotionTolerance,
    int backtestDays,
    double riskTierHigh,
    double riskTierMedium,
    FeatureSettings features,
    ClvConfig clv,
    ModelSettings model) {

  /** Folder kind of the event-based churn models under {@code <warehouse>/models}. */
  public static final String MODELS_KIND = "churn";
  /** Folder kind of the featurized-file models. */
  public static final String FEATURES_MODELS_KIND = "churn_features";

  private static final List<String> TICKET_TOPICS =
      List.of("payment", "delivery", "product", "returns", "account", "technical", "other");

  public ChurnConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(clv, "clv");
    Objects.requireNonNull(model, "model");
    closureTicketTopics = List.copyOf(closureTicketTopics);
    if (horizonDays < 1 || horizonDays > 730) {
      throw new IllegalArgumentException("Cannot configure churn.horizon-days: must be 1-730 (" + horizonDays + ")");
    }
    if (activeWindowDays < 1) {
      throw new IllegalArgumentException(
          "Cannot configure churn.active-window-days: must be positive (" + activeWindowDays + ")");
    }
    if (minHistoryDays < 0 || minHistoryDays >= activeWindowDays) {
      throw new IllegalArgumentException("Cannot configure churn.min-history-days: must be 0 to "
          + "churn.active-window-days - 1 (" + minHistoryDays + ")");
    }
    for (String topic : closureTicketTopics) {
      if (!TICKET_TOPICS.contains(topic)) {
        throw new IllegalArgumentException("Cannot configure churn.closure-ticket-topics: not a ticket topic of "
            + SupportTickets.TABLE.name() + ", expected one of " + TICKET_TOPICS + " (" + topic + ")");
      }
    }
    if (trainingSnapshots < 1 || trainingSnapshots > 60) {
      throw new IllegalArgumentException(
          "Cannot configure churn.training-snapshots: must be 1-60 (" + trainingSnapshots + ")");
    }
    if (snapshotIntervalDays < 1) {
      throw new IllegalArgumentException(
          "Cannot configure churn.snapshot-interval-days: must be positive (" + snapshotIntervalDays + ")");
    }
    if (clvMaxAgeDays < 0) {
      throw new IllegalArgumentException("Cannot configure churn.clv-max-age-days: must be >= 0 (" + clvMaxAgeDays + ")");
    }
    if (promotionTolerance < 0 || promotionTolerance >= 1) {
      throw new IllegalArgumentException(
          "Cannot configure churn.promotion-tolerance: must be in [0, 1) (" + promotionTolerance + ")");
    }
    if (backtestDays < 0) {
      throw new IllegalArgumentException("Cannot configure churn.backtest-days: must be >= 0 (" + backtestDays + ")");
    }
    if (!(riskTierMedium > 0 && riskTierMedium < riskTierHigh && riskTierHigh < 1)) {
      throw new IllegalArgumentException("Cannot configure churn.risk-tier-high and churn.risk-tier-medium: need "
          + "0 < medium < high < 1 (medium " + riskTierMedium + ", high " + riskTierHigh + ")");
    }
  }

  /** Builds the config from the effective configuration. */
  public static ChurnConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new ChurnConfig(catalog, asOf,
        config.getInt("churn.horizon-days"),
        config.getInt("churn.active-window-days"),
        config.getInt("churn.min-history-days"),
        config.raw().getStringList("churn.closure-ticket-topics"),
        config.getInt("churn.training-snapshots"),
        config.getInt("churn.snapshot-interval-days"),
        config.getInt("churn.clv-max-age-days"),
        config.getBoolean("churn.refit"),
        config.getDouble("churn.promotion-tolerance"),
        config.getInt("churn.backtest-days"),
        config.getDouble("churn.risk-tier-high"),
        config.getDouble("churn.risk-tier-medium"),
        Customer360Config.featureSettings(config),
        ClvConfig.from(config, catalog, asOf, Optional.empty()),
        ModelSettings.from(config));
  }

  /** The same settings with a saved model's population rules (scoring speaks only for that population). */
  public ChurnConfig withPopulation(int horizonDays, int activeWindowDays, int minHistoryDays) {
    return new ChurnConfig(catalog, asOf, horizonDays, activeWindowDays, minHistoryDays, closureTicketTopics,
        trainingSnapshots, snapshotIntervalDays, clvMaxAgeDays, refit, promotionTolerance, backtestDays, riskTierHigh, riskTierMedium, features, clv, model);
  }

  /** The validation cut-off: its horizon ends with the as-of day. */
  public LocalDate validationCutoff() {
    return asOf.date().minusDays(horizonDays);
  }

  /**
   * The training cut-offs, oldest first: the latest is one horizon before the validation cut-off,
   * so every training label is known at the validation cut-off (an honest out-of-time split).
   */
  public List<LocalDate> trainingCutoffs() {
    LocalDate latest = validationCutoff().minusDays(horizonDays);
    List<LocalDate> out = new ArrayList<>();
    for (int k = trainingSnapshots - 1; k >= 0; k--) {
      out.add(latest.minusDays((long) k * snapshotIntervalDays));
    }
    return out;
  }

  /**
   * The cut-offs the chosen model is refitted on, oldest first: from the validation cut-off back at
   * the training interval to the oldest training cut-off, so the refit sees every training
   * snapshot and the newer ones whose labels end by the as-of day; empty without refit.
   */
  public List<LocalDate> refitCutoffs() {
    List<LocalDate> out = new ArrayList<>();
    if (!refit) {
      return out;
    }
    LocalDate oldest = trainingCutoffs().get(0);
    for (LocalDate c = validationCutoff(); !c.isBefore(oldest); c = c.minusDays(snapshotIntervalDays)) {
      out.add(0, c);
    }
    return out;
  }

  /** The model version a training run at this as-of writes. */
  public String version() {
    return asOf.date().toString();
  }
}
