package io.cxlake.jobs.segment;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Settings of one segment run.
 *
 * @param catalog the warehouse
 * @param asOf the as-of date of the customer_360 snapshot to segment
 * @param kMin smallest k tried ({@code segment.k-min})
 * @param kMax largest k tried ({@code segment.k-max})
 * @param maxIterations KMeans iterations per k ({@code segment.max-iterations})
 * @param seed KMeans initialisation seed ({@code segment.seed})
 * @param categoryFeatures revenue-share features of the top categories ({@code segment.category-features})
 * @param nameMinZ standard deviations a centre must differ by for a trait ({@code segment.name-min-z})
 * @param inactiveDays days without an order that count as inactive ({@code segment.inactive-days})
 * @param topCategories categories listed per segment profile ({@code segment.top-categories})
 * @param modelMaxAgeDays days a saved clustering model is applied before a run refits
 *     ({@code segment.model-max-age-days}; 0 = refit on every run)
 */
public record SegmentConfig(
    TableCatalog catalog,
    AsOf asOf,
    int kMin,
    int kMax,
    int maxIterations,
    long seed,
    int categoryFeatures,
    double nameMinZ,
    int inactiveDays,
    int topCategories,
    int modelMaxAgeDays) {

  public SegmentConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    if (kMin < 2) {
      throw new IllegalArgumentException("Cannot configure segment.k-min: must be at least 2 (" + kMin + ")");
    }
    if (kMax < kMin || kMax > 50) {
      throw new IllegalArgumentException("Cannot configure segment.k-max: must be k-min (" + kMin + ") to 50 ("
          + kMax + ")");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("Cannot configure segment.max-iterations: must be positive ("
          + maxIterations + ")");
    }
    if (categoryFeatures < 0 || categoryFeatures > 50) {
      throw new IllegalArgumentException("Cannot configure segment.category-features: must be 0-50 ("
          + categoryFeatures + ")");
    }
    if (nameMinZ <= 0) {
      throw new IllegalArgumentException("Cannot configure segment.name-min-z: must be positive (" + nameMinZ + ")");
    }
    if (inactiveDays < 1) {
      throw new IllegalArgumentException("Cannot configure segment.inactive-days: must be positive ("
          + inactiveDays + ")");
    }
    if (modelMaxAgeDays < 0) {
      throw new IllegalArgumentException("Cannot configure segment.model-max-age-days: must be 0 or more ("
          + modelMaxAgeDays + ")");
    }
    if (topCategories < 1) {
      throw new IllegalArgumentException("Cannot configure segment.top-categories: must be positive ("
          + topCategories + ")");
    }
  }

  /** Builds the config from the effective configuration. */
  public static SegmentConfig from(CxConfig config, TableCatalog catalog, AsOf asOf) {
    return new SegmentConfig(catalog, asOf,
        config.getInt("segment.k-min"),
        config.getInt("segment.k-max"),
        config.getInt("segment.max-iterations"),
        config.getLong("segment.seed"),
        config.getInt("segment.category-features"),
        config.getDouble("segment.name-min-z"),
        config.getInt("segment.inactive-days"),
        config.getInt("segment.top-categories"),
        config.getInt("segment.model-max-age-days"));
  }

  /** Folder of the saved clustering models, one sub-folder per training as-of date. */
  public String modelsRoot() {
    return catalog.root() + "/models/segments";
  }

  /** Where the model fitted on a date's snapshot is saved; a refit of the same date replaces it. */
  public String modelPath(LocalDate date) {
    return modelsRoot() + "/" + SegmentModel.DATE_PREFIX + date;
  }
}
