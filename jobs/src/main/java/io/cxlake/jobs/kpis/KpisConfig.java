package io.cxlake.jobs.kpis;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Grain;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one kpis run.
 *
 * @param catalog the warehouse
 * @param asOf the as-of date: data before the end of this day
 * @param grains period lengths reported ({@code kpis.grains})
 * @param churnInactivityDays days without a completed order after which a customer counts as
 *     churned ({@code kpis.churn-inactivity-days})
 * @param historyDays write only periods starting at most this many days before the as-of day, 0 for
 *     all ({@code kpis.history-days})
 */
public record KpisConfig(
    TableCatalog catalog,
    AsOf asOf,
    List<Grain> grains,
    int churnInactivityDays,
    int historyDays) {

  /**
   * Shortest inactivity rule: a churner of a period must have been active at the period's start
   * (the churn rate's denominator), which holds when the rule is longer than any period (31 days).
   */
  public static final int MIN_CHURN_DAYS = 31;
  /** Longest inactivity rule (ten years). */
  public static final int MAX_CHURN_DAYS = 3650;

  public KpisConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    grains = List.copyOf(grains);
    if (grains.isEmpty()) {
      throw new IllegalArgumentException("Cannot configure kpis.grains: at least one grain is needed ([])");
    }
    if (churnInactivityDays < MIN_CHURN_DAYS || churnInactivityDays > MAX_CHURN_DAYS) {
      throw new IllegalArgumentException("Cannot configure kpis.churn-inactivity-days: must be " + MIN_CHURN_DAYS
          + "-" + MAX_CHURN_DAYS + " (" + churnInactivityDays + ")");
    }
    if (historyDays < 0) {
      throw new IllegalArgumentException("Cannot configure kpis.history-days: must be 0 (all) or positive ("
          + historyDays + ")");
    }
  }

  /** Builds the config from the effective configuration. */
  public static KpisConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new KpisConfig(catalog, asOf,
        Grain.parseList("kpis.grains", config.getStringList("kpis.grains")),
        config.getInt("kpis.churn-inactivity-days"),
        config.getInt("kpis.history-days"));
  }
}
