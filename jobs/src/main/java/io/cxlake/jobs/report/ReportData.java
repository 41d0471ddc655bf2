package io.cxlake.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.CampaignResults;
import io.cxlake.common.schema.ChurnModelMetrics;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.CxKpis;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.schema.SegmentProfiles;
import io.cxlake.common.schema.SegmentRecommendations;
import io.cxlake.common.schema.Segments;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.report.Charts.Line;
import io.cxlake.jobs.report.Charts.Rendered;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Everything the report shows, read from the gold tables of one as-of date: each section
 * aggregated in Spark to a few rows (never customer-level data on the driver) and turned into
 * charts and tables. A table another job has not written for the date gives its section a note
 * saying which command writes it.
 */
public final class ReportData {
  /** KPI tiles: the metric, its title and how its value reads. */
  private record Tile(String metric, String title, String unit, boolean percent) {}

  private static final List<Tile> TILES = List.of(
      new Tile(CxKpis.NPS, "NPS", "points, -100 to 100", false),
      new Tile(CxKpis.CSAT_MEAN, "CSAT", "mean score, 1 to 5", false),
      new Tile(CxKpis.FIRST_CONTACT_RESOLUTION_RATE, "First-contact resolution", "% of resolved tickets", true),
      new Tile(CxKpis.REPEAT_PURCHASE_RATE, "Repeat purchase rate", "% of buyers", true),
      new Tile(CxKpis.REVENUE, "Revenue", "net order value", false),
      new Tile(CxKpis.CHURN_RATE, "Churn rate", "% of active customers", true));
  private static final int TREND_MONTHS = 13;
  private static final int COHORT_ROWS = 12;
  private static final int COHORT_PERIODS = 12;
  private static final String MONTH = "month";

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final AsOf asOf;
  private final JobInputs read;

  ReportData(SparkSession spark, TableCatalog catalog, AsOf asOf) {
    this.spark = spark;
    this.catalog = catalog;
    this.asOf = asOf;
    this.read = new JobInputs(spark, catalog, "write the report");
  }

  /** The rows of the date of a snapshot table, when its job has written them. */
  private Optional<Dataset<Row>> day(TableSpec table) {
    return read.optionalSnapshot(table, asOf.date());
  }

  /** A section's note when its table is missing for the date. */
  private String missing(TableSpec table) {
    return "No " + table.name() + " for " + asOf.date() + ": run " + TableCatalog.producer(table) + " --as-of "
        + asOf.date() + ".";
  }

  /** The whole model of the template, with the headline numbers at the top. */
  Map<String, Object> model(List<Headline> headlines) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("asOf", asOf.date().toString());
    m.put("warehouse", catalog.root());
    m.put("kpis", kpis());
    m.put("cohorts", cohorts());
    m.put("clv", clv());
    m.put("churn", churn());
    m.put("segments", segments());
    m.put("actions", actions());
    m.put("quality", quality());
    m.put("headline", headlines.stream().map(h -> Map.of("label", h.label(), "value", h.value(), "unit", h.unit()))
        .toList());
    return m;
  }

  /** One headline number: what it is, its value and unit. */
  public record Headline(String label, String value, String unit) {}

  /**
   * Five numbers a person reads first: the customer base, NPS, customers at high churn risk and the
   * value at stake, total CLV, and the actions delivered today.
   */
  List<Headline> headlines() {
    List<Headline> h = new ArrayList<>();
    day(Customer360.TABLE).ifPresent(c -> h.add(new Headline("Customers", String.format(Locale.ROOT, "%,d",
        c.count()), "known at the as-of date")));
    day(CxKpis.TABLE).ifPresent(k -> {
      List<Row> nps = k.filter(col(CxKpis.METRIC).equalTo(CxKpis.NPS).and(col(CxKpis.PERIOD_GRAIN).equalTo(MONTH))
              .and(col(CxKpis.DIMENSION).equalTo(CxKpis.ALL)).and(col(CxKpis.PERIOD_COMPLETE)))
          .orderBy(col(CxKpis.PERIOD_START).desc()).limit(1).select(CxKpis.VALUE, CxKpis.PERIOD_START).collectAsList();
      if (!nps.isEmpty() && !nps.get(0).isNullAt(0)) {
        h.add(new Headline("NPS", String.format(Locale.ROOT, "%.0f", nps.get(0).getDouble(0)),
            "month of " + nps.get(0).getDate(1)));
      }
    });
    day(ChurnScores.TABLE).ifPresent(c -> {
      Row r = c.filter(col(ChurnScores.RISK_TIER).equalTo(ChurnScores.TIER_HIGH))
          .agg(count(lit(1)), sum(ChurnScores.VALUE_AT_RISK)).first();
      h.add(new Headline("High churn risk", String.format(Locale.ROOT, "%,d", r.getLong(0)),
          "customers, value at risk " + (r.isNullAt(1) ? "n/a" : money(r.getDouble(1)))));
    });
    day(ClvPredictions.TABLE).ifPresent(c -> {
      Row r = c.agg(sum(ClvPredictions.CLV)).first();
      h.add(new Headline("Customer lifetime value", r.isNullAt(0) ? "n/a" : money(r.getDouble(0)),
          "total over the CLV horizon"));
    });
    day(NextBestActions.TABLE).ifPresent(a -> h.add(new Headline("Actions to deliver", String.format(Locale.ROOT,
        "%,d", a.filter(col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER)).count()),
        "next best actions today")));
    return h;
  }


  private Map<String, Object> kpis() {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<Dataset<Row>> kpis = day(CxKpis.TABLE);
    if (kpis.isEmpty()) {
      s.put("note", missing(CxKpis.TABLE));
      return s;
    }
    List<String> metrics = TILES.stream().map(Tile::metric).toList();
    List<Row> rows = kpis.get().filter(col(CxKpis.PERIOD_GRAIN).equalTo(MONTH)
            .and(col(CxKpis.DIMENSION).equalTo(CxKpis.ALL)).and(col(CxKpis.METRIC).isin(metrics.toArray())))
        .select(CxKpis.METRIC, CxKpis.PERIOD_START, CxKpis.PERIOD_COMPLETE, CxKpis.VALUE)
        .orderBy(CxKpis.METRIC, CxKpis.PERIOD_START).collectAsList();
    List<Map<String, Object>> tiles = new ArrayList<>();
    for (Tile t : TILES) {
      // Complete months only: a month in progress would read as a collapse of revenue or churn.
      List<Row> series = rows.stream().filter(r -> r.getString(0).equals(t.metric()) && !r.isNullAt(3)
          && r.getBoolean(2)).toList();
      series = series.subList(Math.max(0, series.size() - TREND_MONTHS), series.size());
      Map<String, Object> tile = new LinkedHashMap<>();
      tile.put("title", t.title());
      tile.put("unit", t.unit());
      List<Row> complete = series;
      if (complete.isEmpty()) {
        tile.put("value", "n/a");
        tile.put("period", "no complete month yet");
      } else {
        Row last = complete.get(complete.size() - 1);
        tile.put("value", format(last.getDouble(3), t.percent()));
        tile.put("period", "month of " + last.getDate(1));
        if (complete.size() > 1) {
          double change = last.getDouble(3) - complete.get(complete.size() - 2).getDouble(3);
          tile.put("change", (change >= 0 ? "+" : "") + format(change, t.percent()) + " vs the month before");
        }
      }
      List<String> months = series.stream().map(r -> r.getDate(1).toString().substring(0, 7)).toList();
      List<Double> values = series.stream().map(r -> t.percent() ? 100 * r.getDouble(3) : r.getDouble(3)).toList();
      if (!series.isEmpty()) {
        tile.put("chart", Charts.trend(t.title() + " by complete month", "month", t.title() + " (" + t.unit() + ")", months,
            Map.of(t.title(), values)));
      }
      tiles.add(tile);
    }
    s.put("tiles", tiles);
    return s;
  }

  private Map<String, Object> cohorts() {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<Dataset<Row>> cohorts = day(RetentionCohorts.TABLE);
    if (cohorts.isEmpty()) {
      s.put("note", missing(RetentionCohorts.TABLE));
      return s;
    }
    List<Row> rows = cohorts.get().filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo(RetentionCohorts.ALL)
            .and(col(RetentionCohorts.PERIOD).leq(COHORT_PERIODS - 1)))
        .select(RetentionCohorts.GRAIN, RetentionCohorts.COHORT_START, RetentionCohorts.PERIOD,
            RetentionCohorts.RETENTION_RATE, RetentionCohorts.COHORT_SIZE)
        .orderBy(RetentionCohorts.COHORT_START, RetentionCohorts.PERIOD).collectAsList();
    TreeSet<Date> starts = new TreeSet<>();
    rows.forEach(r -> starts.add(r.getDate(1)));
    List<Date> shown = new ArrayList<>(starts).subList(Math.max(0, starts.size() - COHORT_ROWS), starts.size());
    List<String> labels = shown.stream().map(d -> d.toString().substring(0, 7)).toList();
    List<Integer> periods = new ArrayList<>();
    for (int p = 0; p < COHORT_PERIODS; p++) {
      periods.add(p);
    }
    List<Number[]> cells = new ArrayList<>();
    String grain = rows.isEmpty() ? MONTH : rows.get(0).getString(0);
    for (Row r : rows) {
      int y = shown.indexOf(r.getDate(1));
      if (y >= 0 && !r.isNullAt(3)) {
        cells.add(new Number[] {r.getInt(2), y, Math.round(1000 * r.getDouble(3)) / 10.0});
      }
    }
    s.put("heat", Charts.heat("Retention by acquisition cohort", grain + "s since the first purchase",
        "cohort (first purchase " + grain + ")", periods, labels, cells, "% of the cohort active"));

    Optional<Dataset<Row>> retention = day(RevenueRetention.TABLE);
    if (retention.isEmpty()) {
      s.put("revenueNote", missing(RevenueRetention.TABLE));
      return s;
    }
    List<Row> nrr = retention.get().filter(col(RevenueRetention.PERIOD_COMPLETE))
        .select(RevenueRetention.LOOKBACK_PERIODS, RevenueRetention.PERIOD_START, RevenueRetention.NRR,
            RevenueRetention.GRR)
        .orderBy(RevenueRetention.LOOKBACK_PERIODS, RevenueRetention.PERIOD_START).collectAsList();
    if (!nrr.isEmpty()) {
      int lookback = nrr.get(nrr.size() - 1).getInt(0);
      List<Row> series = nrr.stream().filter(r -> r.getInt(0) == lookback && !r.isNullAt(2)).toList();
      s.put("nrr", Charts.trend("Net and gross revenue retention, " + lookback + "-period lookback", "period",
          "revenue retained (% of the base period's revenue)",
          series.stream().map(r -> r.getDate(1).toString().substring(0, 7)).toList(),
          Map.of("NRR", series.stream().map(r -> 100 * r.getDouble(2)).toList(),
              "GRR", series.stream().map(r -> 100 * r.getDouble(3)).toList())));
    }
    return s;
  }

  private Map<String, Object> clv() {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<Dataset<Row>> clv = day(ClvPredictions.TABLE);
    if (clv.isEmpty()) {
      s.put("note", missing(ClvPredictions.TABLE));
      return s;
    }
    Dataset<Row> valued = clv.get().filter(col(ClvPredictions.CLV).isNotNull());
    Row range = valued.agg(count(lit(1)), avg(ClvPredictions.CLV), sum(ClvPredictions.CLV),
        org.apache.spark.sql.functions.percentile_approx(col(ClvPredictions.CLV), lit(0.99), lit(1000))).first();
    long customers = range.getLong(0);
    s.put("customers", String.format(Locale.ROOT, "%,d", customers));
    if (customers > 0) {
      s.put("mean", money(range.getDouble(1)));
      s.put("total", money(range.getDouble(2)));
      // Bins up to the 99th percentile; the rest share the last bin so one outlier does not flatten the chart.
      double top = Math.max(1e-9, range.getDouble(3));
      int bins = 20;
      double width = top / bins;
      List<Row> counts = valued.groupBy(least(floor(col(ClvPredictions.CLV).divide(width)), lit(bins - 1))
              .cast("int").as("bin"))
          .agg(count(lit(1))).orderBy("bin").collectAsList();
      List<String> labels = new ArrayList<>();
      List<Long> values = new ArrayList<>();
      for (int b = 0; b < bins; b++) {
        labels.add(b == bins - 1 ? ">" + Math.round(b * width) : String.valueOf(Math.round(b * width)));
        values.add(0L);
      }
      counts.forEach(r -> values.set(Math.max(0, r.getInt(0)), r.getLong(1)));
      s.put("histogram", Charts.bars("Customer lifetime value", "CLV over the horizon, lower bound of the bin (money)",
          "customers", labels, Map.of("customers", values), false));
    }
    List<Row> alive = clv.get().withColumn("_x", least(col(ClvPredictions.X), lit(7L)).cast("int"))
        .withColumn("_gap", least(floor(col(ClvPredictions.T).minus(col(ClvPredictions.T_X))
            .divide(greatest(col(ClvPredictions.T), lit(1e-9))).multiply(5)), lit(4L)).cast("int"))
        .groupBy("_x", "_gap").agg(avg(ClvPredictions.P_ALIVE)).collectAsList();
    List<String> xs = List.of("0", "1", "2", "3", "4", "5", "6", "7+");
    List<String> ys = List.of("0-20%", "20-40%", "40-60%", "60-80%", "80-100%");
    List<Number[]> cells = new ArrayList<>();
    alive.forEach(r -> {
      if (!r.isNullAt(2)) {
        cells.add(new Number[] {r.getInt(0), r.getInt(1), Math.round(100 * r.getDouble(2)) / 100.0});
      }
    });
    s.put("alive", Charts.heat("P(alive) by frequency and recency", "repeat purchases (x)",
        "time since the last purchase, share of the customer's history", xs, ys, cells, "mean P(alive)"));
    holdout().ifPresentOrElse(h -> s.put("holdout", h), () -> s.put("holdoutNote", "No holdout evaluation on or before "
        + asOf.date() + ": clv --as-of " + asOf.date().minusDays(90) + " --holdout-end " + asOf.date() + " fits the "
        + "model 90 days back and compares its predictions with the purchases since."));
    return s;
  }

  /** The newest BG/NBD holdout evaluation on or before the date: predicted vs actual purchases per bucket. */
  private Optional<Rendered> holdout() {
    String path = catalog.path(ClvModel.TABLE);
    if (!DeltaIO.exists(spark, path)) {
      return Optional.empty();
    }
    List<Row> rows = DeltaIO.read(spark, path).filter(col(ClvModel.MODEL).equalTo(ClvModel.MODEL_BGNBD)
            .and(col(ClvModel.HOLDOUT_END).isNotNull()).and(col(ClvModel.HOLDOUT_END).leq(asOf.dateLit())))
        .orderBy(col(ClvModel.HOLDOUT_END).desc()).limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row m = rows.get(0);
    List<Row> buckets = m.getList(m.fieldIndex(ClvModel.HOLDOUT_BUCKETS));
    List<String> labels = buckets.stream().map(b -> b.getString(0)).toList();
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    series.put("actual", buckets.stream().map(b -> b.getDouble(2)).toList());
    series.put("predicted (BG/NBD)", buckets.stream().map(b -> b.getDouble(3)).toList());
    return Optional.of(Charts.bars("Holdout: purchases per customer from " + m.getDate(m.fieldIndex(ClvModel.AS_OF_DATE))
            + " to " + m.getDate(m.fieldIndex(ClvModel.HOLDOUT_END)), "purchases before the holdout (x)",
        "mean purchases in the holdout per customer", labels, series, false));
  }

  private Map<String, Object> churn() {
    Map<String, Object> s = new LinkedHashMap<>();
    String metricsPath = catalog.path(ChurnModelMetrics.TABLE);
    if (DeltaIO.exists(spark, metricsPath)) {
      Dataset<Row> all = DeltaIO.read(spark, metricsPath).filter(col(ChurnModelMetrics.DATASET)
          .equalTo(ChurnModelMetrics.DATASET_EVENTS).and(col(ChurnModelMetrics.AS_OF_DATE).leq(asOf.dateLit())));
      Row newest = all.agg(max(ChurnModelMetrics.AS_OF_DATE)).first();
      if (!newest.isNullAt(0)) {
        List<Row> models = all.filter(col(ChurnModelMetrics.AS_OF_DATE).equalTo(newest.getDate(0)))
            .orderBy(ChurnModelMetrics.MODEL).collectAsList();
        churnModels(s, models);
      }
    }
    if (!s.containsKey("models")) {
      s.put("modelNote", "No churn model trained on or before " + asOf.date() + ": run churn-train.");
    }
    Optional<Dataset<Row>> scores = day(ChurnScores.TABLE);
    if (scores.isEmpty()) {
      s.put("scoreNote", missing(ChurnScores.TABLE));
      return s;
    }
    List<Row> tiers = scores.get().filter(col(ChurnScores.RISK_TIER).isNotNull())
        .groupBy(ChurnScores.RISK_TIER)
        .agg(count(lit(1)), sum(ChurnScores.VALUE_AT_RISK), avg(ChurnScores.CHURN_PROBABILITY))
        .collectAsList();
    List<String> order = List.of(ChurnScores.TIER_HIGH, ChurnScores.TIER_MEDIUM, ChurnScores.TIER_LOW);
    List<Double> value = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (String tier : order) {
      Row r = tiers.stream().filter(t -> t.getString(0).equals(tier)).findFirst().orElse(null);
      value.add(r == null || r.isNullAt(2) ? 0.0 : r.getDouble(2));
      table.add(List.of(tier, r == null ? "0" : String.format(Locale.ROOT, "%,d", r.getLong(1)),
          r == null || r.isNullAt(2) ? "n/a" : money(r.getDouble(2)),
          r == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * r.getDouble(3))));
    }
    s.put("valueAtRisk", Charts.bars("Value at risk by churn risk tier", "risk tier",
        "CLV x churn probability (money)", order, Map.of("value at risk", value), false));
    s.put("tiers", Map.of("headers", List.of("risk tier", "customers", "value at risk", "mean churn probability"),
        "rows", table));
    return s;
  }

  private void churnModels(Map<String, Object> s, List<Row> models) {
    List<List<String>> table = new ArrayList<>();
    List<Line> gain = new ArrayList<>();
    List<Line> calibration = new ArrayList<>();
    for (Row r : models) {
      String model = r.getAs(ChurnModelMetrics.MODEL);
      boolean chosen = r.<Boolean>getAs(ChurnModelMetrics.CHOSEN);
      if (chosen) {
        s.put("chosen", model);
        s.put("reason", r.getAs(ChurnModelMetrics.SELECTION_REASON));
        s.put("version", r.getAs(ChurnModelMetrics.MODEL_VERSION));
      }
      table.add(List.of(model + (chosen ? " (chosen)" : ""), ratio(r.getAs(ChurnModelMetrics.AUC_ROC)),
          ratio(r.getAs(ChurnModelMetrics.AUC_PR)), ratio(r.getAs(ChurnModelMetrics.BRIER)),
          String.format(Locale.ROOT, "%.1f%%", 100 * r.<Double>getAs(ChurnModelMetrics.POSITIVE_RATE))));
      List<Row> lift = r.getList(r.fieldIndex(ChurnModelMetrics.LIFT));
      List<Double> x = new ArrayList<>(List.of(0.0));
      List<Double> y = new ArrayList<>(List.of(0.0));
      for (Row d : lift) {
        x.add(10.0 * d.<Integer>getAs(ChurnModelMetrics.DECILE));
        y.add(100 * d.<Double>getAs(ChurnModelMetrics.DECILE_CUMULATIVE_SHARE));
      }
      gain.add(new Line(model, x, y));
      if (!r.isNullAt(r.fieldIndex(ChurnModelMetrics.CALIBRATION))) {
        List<Row> bins = r.getList(r.fieldIndex(ChurnModelMetrics.CALIBRATION));
        calibration.add(new Line(model, bins.stream().map(b -> 100 * b.<Double>getAs(ChurnModelMetrics.BIN_MEAN_PREDICTED))
            .toList(), bins.stream().map(b -> 100 * b.<Double>getAs(ChurnModelMetrics.BIN_OBSERVED_RATE)).toList()));
      }
    }
    s.put("models", Map.of("headers", List.of("model", "AUC-ROC", "AUC-PR", "Brier score", "churn rate"),
        "rows", table));
    s.put("gain", Charts.lines("Cumulative gain on the validation snapshot", "customers contacted, highest risk first (%)",
        "churners reached (%)", gain, true));
    if (!calibration.isEmpty()) {
      s.put("calibration", Charts.lines("Calibration on the validation snapshot", "predicted churn probability (%)",
          "observed churn rate (%)", calibration, true));
    }
  }

  private Map<String, Object> segments() {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<Dataset<Row>> profiles = day(SegmentProfiles.TABLE);
    Optional<Dataset<Row>> segments = day(Segments.TABLE);
    if (profiles.isEmpty() || segments.isEmpty()) {
      s.put("note", missing(Segments.TABLE));
      return s;
    }
    List<Row> rfm = profiles.get().filter(col(SegmentProfiles.SEGMENT_TYPE).equalTo(SegmentProfiles.TYPE_RFM))
        .orderBy(col(SegmentProfiles.CUSTOMERS).desc()).collectAsList();
    List<List<String>> table = new ArrayList<>();
    for (Row r : rfm) {
      table.add(List.of(r.getAs(SegmentProfiles.SEGMENT), String.format(Locale.ROOT, "%,d", r.<Long>getAs(
              SegmentProfiles.CUSTOMERS)), String.format(Locale.ROOT, "%.1f%%", 100 * r.<Double>getAs(SegmentProfiles.SHARE)),
          nullable(r, SegmentProfiles.MEAN_CLV, v -> money(v)), nullable(r, SegmentProfiles.MEAN_CHURN_PROBABILITY,
              v -> String.format(Locale.ROOT, "%.1f%%", 100 * v)), nullable(r, SegmentProfiles.NPS,
              v -> String.format(Locale.ROOT, "%.0f", v)), nullable(r, SegmentProfiles.MEAN_RECENCY_DAYS,
              v -> String.format(Locale.ROOT, "%.0f", v))));
    }
    s.put("profiles", Map.of("headers", List.of("RFM segment", "customers", "share", "mean CLV", "mean churn probability",
        "NPS", "mean days since the last purchase"), "rows", table));
    s.put("sizes", Charts.bars("Customers per RFM segment", "RFM segment", "customers",
        rfm.stream().map(r -> r.<String>getAs(SegmentProfiles.SEGMENT)).toList(),
        Map.of("customers", rfm.stream().map(r -> r.<Long>getAs(SegmentProfiles.CUSTOMERS)).toList()), false));
    List<Row> grid = segments.get().filter(col(Segments.RECENCY_SCORE).isNotNull())
        .groupBy(Segments.RECENCY_SCORE, Segments.FM_SCORE).agg(count(lit(1))).collectAsList();
    List<Number[]> cells = new ArrayList<>();
    grid.forEach(r -> cells.add(new Number[] {r.getInt(0) - 1, r.getInt(1) - 1, r.getLong(2)}));
    List<Integer> scores = List.of(1, 2, 3, 4, 5);
    s.put("grid", Charts.heat("RFM grid", "recency score (5 = most recent)", "frequency-monetary score (5 = highest)",
        scores, scores, cells, "customers"));
    Optional<Dataset<Row>> recs = day(SegmentRecommendations.TABLE);
    if (recs.isPresent()) {
      List<List<String>> plays = new ArrayList<>();
      for (Row r : recs.get().filter(col(SegmentRecommendations.SEGMENT_TYPE).equalTo(SegmentProfiles.TYPE_RFM))
          .orderBy(col(SegmentRecommendations.CUSTOMERS).desc()).limit(8).collectAsList()) {
        List<Row> products = r.getList(r.fieldIndex(SegmentRecommendations.TOP_PRODUCTS));
        plays.add(List.of(r.getAs(SegmentRecommendations.SEGMENT), r.getAs(SegmentRecommendations.ACTION),
            r.getAs(SegmentRecommendations.CHANNEL), r.getAs(SegmentRecommendations.RATIONALE),
            String.join(", ", products.stream().limit(3).map(p -> p.isNullAt(1) ? p.getString(0) : p.getString(1))
                .toList())));
      }
      s.put("plays", Map.of("headers", List.of("segment", "action", "channel", "rationale", "products it over-buys"),
          "rows", plays));
    }
    return s;
  }

  private Map<String, Object> actions() {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<Dataset<Row>> actions = day(NextBestActions.TABLE);
    if (actions.isEmpty()) {
      s.put("note", missing(NextBestActions.TABLE));
      return s;
    }
    List<Row> rows = actions.get().groupBy(NextBestActions.ACTION, NextBestActions.STATUS).agg(count(lit(1)))
        .collectAsList();
    TreeSet<String> kinds = new TreeSet<>();
    rows.forEach(r -> kinds.add(r.getString(0)));
    List<String> labels = new ArrayList<>(kinds);
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    for (String status : List.of(NextBestActions.STATUS_DELIVER, NextBestActions.STATUS_CONTROL,
        NextBestActions.STATUS_SUPPRESSED)) {
      List<Long> counts = new ArrayList<>();
      for (String kind : labels) {
        counts.add(rows.stream().filter(r -> r.getString(0).equals(kind) && r.getString(1).equals(status))
            .mapToLong(r -> r.getLong(2)).sum());
      }
      series.put(status, counts);
    }
    s.put("total", String.format(Locale.ROOT, "%,d", rows.stream().mapToLong(r -> r.getLong(2)).sum()));
    campaigns().ifPresent(t -> s.put("campaigns", t));
    if (!labels.isEmpty()) {
      s.put("chart", Charts.bars("Next best actions of " + asOf.date() + " by trigger and status", "trigger",
          "customers", labels, series, true));
    }
    return s;
  }

  /** The overall rows of campaign_results of the date: did each campaign's actions change anything. */
  private Optional<Map<String, Object>> campaigns() {
    Optional<Dataset<Row>> results = day(CampaignResults.TABLE);
    if (results.isEmpty()) {
      return Optional.empty();
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row r : results.get().filter(col(CampaignResults.SEGMENT_TYPE).equalTo(CampaignResults.TYPE_ALL))
        .orderBy(col(CampaignResults.ACTION_DATE).desc(), col(CampaignResults.CAMPAIGN)).limit(20).collectAsList()) {
      rows.add(List.of(r.getAs(CampaignResults.CAMPAIGN), r.getAs(CampaignResults.ACTION_DATE).toString(),
          String.format(Locale.ROOT, "%,d / %,d", r.<Long>getAs(CampaignResults.DELIVERED_CUSTOMERS),
              r.<Long>getAs(CampaignResults.CONTROL_CUSTOMERS)),
          percentOrNa(r, CampaignResults.DELIVERED_CONVERSION_RATE) + " / "
              + percentOrNa(r, CampaignResults.CONTROL_CONVERSION_RATE),
          r.isNullAt(r.fieldIndex(CampaignResults.UPLIFT)) ? "n/a" : String.format(Locale.ROOT,
              "%+.1f points [%+.1f, %+.1f]", 100 * r.<Double>getAs(CampaignResults.UPLIFT),
              100 * r.<Double>getAs(CampaignResults.UPLIFT_CI_LOW), 100 * r.<Double>getAs(CampaignResults.UPLIFT_CI_HIGH)),
          nullable(r, CampaignResults.INCREMENTAL_REVENUE, ReportData::money),
          r.<Boolean>getAs(CampaignResults.CONTROL_TOO_SMALL) ? "groups too small"
              : r.<Boolean>getAs(CampaignResults.SIGNIFICANT) ? "yes" : "no"));
    }
    return Optional.of(Map.of("headers", List.of("campaign", "action day", "delivered / control customers",
        "conversion delivered / control", "uplift [95% interval]", "incremental revenue", "works"), "rows", rows));
  }

  private static String percentOrNa(Row r, String column) {
    return nullable(r, column, v -> String.format(Locale.ROOT, "%.1f%%", 100 * v));
  }

  private Map<String, Object> quality() {
    Map<String, Object> s = new LinkedHashMap<>();
    String quarantinePath = catalog.path(Quarantine.TABLE);
    if (DeltaIO.exists(spark, quarantinePath)) {
      Dataset<Row> q = DeltaIO.read(spark, quarantinePath).filter(col(Quarantine.AS_OF_DATE).leq(asOf.dateLit()));
      Row newest = q.agg(max(Quarantine.AS_OF_DATE)).first();
      if (!newest.isNullAt(0)) {
        List<List<String>> rows = new ArrayList<>();
        for (Row r : q.filter(col(Quarantine.AS_OF_DATE).equalTo(newest.getDate(0)))
            .groupBy(Quarantine.SOURCE, Quarantine.REASON_CODE).agg(count(lit(1)))
            .orderBy(Quarantine.SOURCE, Quarantine.REASON_CODE).collectAsList()) {
          rows.add(List.of(r.getString(0), r.getString(1), String.format(Locale.ROOT, "%,d", r.getLong(2))));
        }
        s.put("ingestDate", newest.getDate(0).toString());
        s.put("quarantine", Map.of("headers", List.of("source", "reason", "rows"), "rows", rows));
      }
    }
    String runLog = catalog.path(RunLog.TABLE);
    if (DeltaIO.exists(spark, runLog)) {
      List<List<String>> runs = new ArrayList<>();
      // One row per run: its closing row, or its STARTED row while nothing closed it.
      Dataset<Row> ofDay = DeltaIO.read(spark, runLog).filter(col(RunLog.AS_OF_DATE).equalTo(asOf.dateLit()));
      Dataset<Row> closed = ofDay.filter(col(RunLog.STATUS).notEqual(RunLog.STATUS_STARTED));
      Dataset<Row> open = ofDay.filter(col(RunLog.STATUS).equalTo(RunLog.STATUS_STARTED))
          .join(closed.select(RunLog.RUN_ID), new String[] {RunLog.RUN_ID}, "left_anti");
      for (Row r : closed.unionByName(open).orderBy(RunLog.STARTED_AT).collectAsList()) {
        boolean ended = !r.isNullAt(r.fieldIndex(RunLog.ENDED_AT));
        long seconds = ended ? (r.getTimestamp(r.fieldIndex(RunLog.ENDED_AT)).getTime()
            - r.getTimestamp(r.fieldIndex(RunLog.STARTED_AT)).getTime()) / 1000 : 0;
        runs.add(List.of(r.getAs(RunLog.JOB), ended ? r.getAs(RunLog.STATUS) : "STARTED (running, or killed)",
            ended ? seconds + " s" : "",
            countOf(r, RunLog.ROWS_IN), countOf(r, RunLog.ROWS_OUT), countOf(r, RunLog.ROWS_QUARANTINED),
            r.isNullAt(r.fieldIndex(RunLog.MESSAGE)) ? "" : r.getAs(RunLog.MESSAGE)));
      }
      s.put("runs", Map.of("headers", List.of("job", "status", "duration", "rows in", "rows out", "quarantined",
          "message"), "rows", runs));
    }
    return s;
  }

  private static String countOf(Row r, String column) {
    return r.isNullAt(r.fieldIndex(column)) ? "" : String.format(Locale.ROOT, "%,d", r.<Long>getAs(column));
  }

  private static String nullable(Row r, String column, java.util.function.DoubleFunction<String> format) {
    return r.isNullAt(r.fieldIndex(column)) ? "n/a" : format.apply(r.<Double>getAs(column));
  }

  private static String ratio(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String money(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String format(double v, boolean percent) {
    return percent ? String.format(Locale.ROOT, "%.1f%%", 100 * v)
        : Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
