package io.cxlake.common.catalog;

import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.CampaignResults;
import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnDrift;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.IngestedFiles;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.RecommendationMetrics;
import io.cxlake.common.schema.Recommendations;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.Suppression;
import io.cxlake.common.schema.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Every table of the warehouse and where it lives: {@code <warehouse>/<layer>/<table>}. The one
 * place that knows names and paths, so jobs never build a path by hand.
 */
public final class TableCatalog {
  /** Gold tables, queryable by their own names. */
  public static final List<TableSpec> GOLD = List.of(
      Customer360.TABLE, ClvPredictions.TABLE, ClvModel.TABLE, ChurnScores.TABLE, ChurnModelMetrics.TABLE,
      ChurnBacktest.TABLE, ChurnDrift.TABLE,
      RetentionCohorts.TABLE, CohortRepeatPurchases.TABLE, RevenueRetention.TABLE, CxKpis.TABLE,
      Segments.TABLE, SegmentProfiles.TABLE, Recommendations.TABLE, RecommendationMetrics.TABLE,
      SegmentRecommendations.TABLE, NextBestActions.TABLE, CampaignResults.TABLE,
      Quarantine.TABLE, IngestedFiles.TABLE, Suppression.TABLE, RunLog.TABLE);

  /** Silver tables (cleaned sources), queryable as {@code silver_<source>}. */
  public static final List<TableSpec> SILVER = Sources.ALL.stream().map(Sources::table).toList();

  private static final String SILVER_VIEW_PREFIX = "silver_";

  /** The command that writes each gold table (silver tables and the quarantine: ingest; run_log: every job). */
  private static final java.util.Map<TableSpec, String> PRODUCERS = java.util.Map.ofEntries(
      java.util.Map.entry(Customer360.TABLE, "customer360"),
      java.util.Map.entry(ClvPredictions.TABLE, "clv"),
      java.util.Map.entry(ClvModel.TABLE, "clv"),
      java.util.Map.entry(ChurnScores.TABLE, "churn-score"),
      java.util.Map.entry(ChurnModelMetrics.TABLE, "churn-train"),
      java.util.Map.entry(ChurnBacktest.TABLE, "churn-train"),
      java.util.Map.entry(ChurnDrift.TABLE, "churn-score"),
      java.util.Map.entry(RetentionCohorts.TABLE, "cohorts"),
      java.util.Map.entry(CohortRepeatPurchases.TABLE, "cohorts"),
      java.util.Map.entry(RevenueRetention.TABLE, "cohorts"),
      java.util.Map.entry(CxKpis.TABLE, "kpis"),
      java.util.Map.entry(Segments.TABLE, "segment"),
      java.util.Map.entry(SegmentProfiles.TABLE, "segment"),
      java.util.Map.entry(Recommendations.TABLE, "recommend"),
      java.util.Map.entry(RecommendationMetrics.TABLE, "recommend"),
      java.util.Map.entry(SegmentRecommendations.TABLE, "recommend"),
      java.util.Map.entry(NextBestActions.TABLE, "actions"),
      java.util.Map.entry(CampaignResults.TABLE, "campaign-results"),
      java.util.Map.entry(Quarantine.TABLE, "ingest"),
      java.util.Map.entry(IngestedFiles.TABLE, "ingest"),
      java.util.Map.entry(Suppression.TABLE, "erase"));

  private final String root;

  /**
   * @param warehouseRoot the warehouse folder or URI (local path, {@code file:}, {@code s3a:} ...);
   *     a relative local path is taken from the working directory
   */
  public TableCatalog(String warehouseRoot) {
    if (warehouseRoot == null || warehouseRoot.isBlank()) {
      throw new IllegalArgumentException("Cannot open warehouse: no warehouse path given (" + warehouseRoot + ")");
    }
    String trimmed = warehouseRoot.endsWith("/") ? warehouseRoot.substring(0, warehouseRoot.length() - 1) : warehouseRoot;
    // Delta reads a relative location as a table name; anchor local paths at the working directory.
    this.root = trimmed.contains(":") ? trimmed : java.nio.file.Path.of(trimmed).toAbsolutePath().normalize().toString();
  }

  /** The warehouse root. */
  public String root() {
    return root;
  }

  /** Where a table lives. */
  public String path(TableSpec table) {
    return root + "/" + table.layer().folder() + "/" + table.name();
  }

  /**
   * Where the fitted models of one kind live ({@code <warehouse>/models/<kind>}), e.g. the MLlib
   * pipelines of each churn model version.
   */
  public String modelsPath(String kind) {
    return root + "/models/" + kind;
  }

  /** Every table the catalog knows, gold first. */
  public static List<TableSpec> all() {
    List<TableSpec> all = new ArrayList<>(GOLD);
    all.addAll(SILVER);
    return all;
  }

  /** The command that writes a table, to name in "run ... first" messages. */
  public static String producer(TableSpec table) {
    if (table.layer() == TableSpec.Layer.SILVER) {
      return "ingest";
    }
    String producer = PRODUCERS.get(table);
    if (producer == null) {
      throw new IllegalArgumentException("Cannot name the job that writes " + table.name() + ": every job does");
    }
    return producer;
  }

  /** The name a table is queryable by in SQL. */
  public static String viewName(TableSpec table) {
    return table.layer() == TableSpec.Layer.SILVER ? SILVER_VIEW_PREFIX + table.name() : table.name();
  }

  /** A table by its SQL name. */
  public static Optional<TableSpec> byViewName(String name) {
    return all().stream().filter(t -> viewName(t).equals(name)).findFirst();
  }

  /**
   * Registers every existing table as a temporary view under its SQL name, so users query
   * {@code customer_360} rather than a path. Returns the names registered.
   */
  public List<String> registerViews(SparkSession spark) {
    List<String> names = new ArrayList<>();
    for (TableSpec t : all()) {
      String path = path(t);
      if (DeltaIO.exists(spark, path)) {
        DeltaIO.read(spark, path).createOrReplaceTempView(viewName(t));
        names.add(viewName(t));
      }
    }
    return names;
  }
}
