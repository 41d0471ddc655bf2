package io.cxlake.jobs.bi;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@code catalog sync} and {@code serve}.
 *
 * @param catalog the warehouse
 * @param metastoreDir the file metastore folder ({@code catalog.metastore-dir}; default
 *     {@code <warehouse>/metastore})
 * @param trinoUrl a running Trino to register through instead of the file metastore
 *     ({@code catalog.trino-url})
 * @param trinoUser the user catalog sync connects to that Trino as ({@code catalog.trino-user})
 */
public record CatalogConfig(TableCatalog catalog, String metastoreDir, Optional<String> trinoUrl, String trinoUser) {
  public CatalogConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(metastoreDir, "metastoreDir");
    Objects.requireNonNull(trinoUrl, "trinoUrl");
    if (trinoUrl.isPresent() && !trinoUrl.get().startsWith("jdbc:trino://")) {
      throw new IllegalArgumentException("Cannot configure catalog.trino-url: expected jdbc:trino://host:port/catalog ("
          + trinoUrl.get() + ")");
    }
  }

  /** Reads the {@code catalog.*} keys. */
  public static CatalogConfig from(CxConfig config, TableCatalog catalog) {
    String dir = config.getString("catalog.metastore-dir");
    String url = config.getString("catalog.trino-url");
    return new CatalogConfig(catalog, dir.isBlank() ? catalog.root() + "/metastore" : dir,
        url.isBlank() ? Optional.empty() : Optional.of(url), config.getString("catalog.trino-user"));
  }
}
