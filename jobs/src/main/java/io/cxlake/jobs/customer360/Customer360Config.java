package io.cxlake.jobs.customer360;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.features.FeatureSettings;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.time.AsOf;
import java.util.Objects;

/**
 * Settings of one customer360 run.
 *
 * @param catalog the warehouse
 * @param asOf the as-of date; features use data before the end of this day
 * @param features feature settings ({@code customer360.*}, {@code privacy.hash-salt})
 */
public record Customer360Config(TableCatalog catalog, AsOf asOf, FeatureSettings features) {
  public Customer360Config {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(features, "features");
  }

  /** Builds the config from the effective configuration. */
  public static Customer360Config from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new Customer360Config(catalog, asOf, featureSettings(config));
  }

  /** The feature settings in the configuration; churn training reads the same keys. */
  public static FeatureSettings featureSettings(CxConfig config) {
    return new FeatureSettings(
        config.getBoolean("customer360.merge-same-day-orders"),
        config.getInt("customer360.browse-window-days"),
        config.getInt("customer360.browse-min-views"),
        PrivacySecret.from(config));
  }
}
