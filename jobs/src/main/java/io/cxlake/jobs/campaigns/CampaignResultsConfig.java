package io.cxlake.jobs.campaigns;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import java.util.Objects;

/**
 * Settings of one campaign-results run.
 *
 * @param catalog the warehouse
 * @param asOf windows that closed by the end of this day are evaluated
 * @param responseDays a completed purchase within this many days after the action day converts
 *     ({@code actions.response-days})
 * @param minGroupCustomers a delivered or control group smaller than this is flagged too small to
 *     conclude ({@code actions.min-group-customers})
 */
public record CampaignResultsConfig(TableCatalog catalog, AsOf asOf, int responseDays, int minGroupCustomers) {
  public CampaignResultsConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    if (responseDays < 1) {
      throw new IllegalArgumentException("Cannot configure actions.response-days: must be positive (" + responseDays
          + ")");
    }
    if (minGroupCustomers < 2) {
      throw new IllegalArgumentException("Cannot configure actions.min-group-customers: must be at least 2 ("
          + minGroupCustomers + ")");
    }
  }

  /** Reads {@code actions.response-days} and {@code actions.min-group-customers}. */
  public static CampaignResultsConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new CampaignResultsConfig(catalog, asOf, config.getInt("actions.response-days"),
        config.getInt("actions.min-group-customers"));
  }
}
