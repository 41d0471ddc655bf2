package io.cxlake.jobs.churn;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.time.AsOf;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@code churn-train --features-csv}: training on an already-featurized labelled file
 * (one row per customer, a churn label, feature columns) instead of the warehouse's events.
 *
 * @param catalog the warehouse the metrics and models go to
 * @param asOf date the run is recorded under
 * @param csvPath the file (CSV with a header row)
 * @param labelColumn the label column (yes/no, true/false or 1/0)
 * @param idColumn the identifier column to exclude; empty to detect it
 * @param model how the models are trained and chosen
 */
public record FeaturesCsvConfig(
    TableCatalog catalog,
    AsOf asOf,
    String csvPath,
    String labelColumn,
    Optional<String> idColumn,
    ModelSettings model) {
  public FeaturesCsvConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(model, "model");
    if (csvPath == null || csvPath.isBlank()) {
      throw new IllegalArgumentException("Cannot train churn on features: --features-csv is empty (" + csvPath + ")");
    }
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot train churn on features: --label names no column (" + labelColumn + ")");
    }
  }

  /** The file name, which names the dataset in churn_model_metrics. */
  public String fileName() {
    String p = csvPath.endsWith("/") ? csvPath.substring(0, csvPath.length() - 1) : csvPath;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** The dataset value of churn_model_metrics. */
  public String dataset() {
    return "features_csv:" + fileName();
  }

  /** The model version: the file's stem in lower case and the as-of date. */
  public String version() {
    String stem = fileName().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return stem + "-" + asOf.date();
  }
}
