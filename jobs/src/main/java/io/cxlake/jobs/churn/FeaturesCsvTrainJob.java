package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.jobs.churn.Trainer.ClassCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code churn-train --features-csv FILE --label COLUMN}: the generic path for data that is
 * already one labelled row per customer (such as the IBM Telco churn file). Columns are typed by
 * their content: a column whose every non-blank value parses as a number is numeric (blanks are
 * imputed with the training median and flagged in a {@code <column>_missing} indicator), any
 * other column is categorical and one-hot encoded, and an identifier column (given, or detected as
 * a text column whose values are nearly all distinct) is left out. Both candidates are evaluated
 * by stratified k-fold cross-validation, then refitted on all rows, calibrated on the
 * out-of-fold predictions and saved; the evaluation goes to churn_model_metrics.
 */
public final class FeaturesCsvTrainJob {
  /** A text column with at least this share of distinct values identifies rows; it is no feature. */
  static final double ID_DISTINCT_SHARE = 0.5;
  private static final String MISSING_SUFFIX = "_missing";
  private static final List<String> POSITIVE = List.of("yes", "y", "true", "1", "churn", "churned");
  private static final List<String> NEGATIVE = List.of("no", "n", "false", "0", "retained", "stayed");
  /** Names of the profile's aggregates; per-column ones end with the column's position. */
  private static final String ROWS = "_rows";
  private static final String BAD_LABELS = "_bad_labels";
  private static final String FIRST_BAD_LABEL = "_first_bad_label";
  private static final String BLANKS = "_blanks_";
  private static final String NOT_NUMBERS = "_not_numbers_";
  private static final String DISTINCT = "_distinct_";

  private FeaturesCsvTrainJob() {}

  /** How the file's columns are used. */
  record Columns(String id, List<String> numeric, List<String> withBlanks, List<String> categorical) {}

  /** Reads, profiles, cross-validates, saves and writes the metrics. */
  public static RunStats run(SparkSession spark, FeaturesCsvConfig config) {
    Instant trainedAt = Instant.now();
    ModelSettings settings = config.model();
    Dataset<Row> raw = read(spark, config);
    Columns columns = profile(raw, config);
    // Materialised with its lineage cut, which also fixes the random fold assignment for every fit.
    Dataset<Row> data = prepare(raw, columns, config.labelColumn(), settings).localCheckpoint();
    ClassCounts counts = Trainer.counts(data);
    List<String> numeric = new ArrayList<>(columns.numeric());
    columns.withBlanks().forEach(c -> numeric.add(c + MISSING_SUFFIX));

    ChurnTraining.Run run = new ChurnTraining.Run(config.catalog().modelsPath(ChurnConfig.FEATURES_MODELS_KIND),
        config.version(), config.asOf().date(), config.dataset(), Optional.empty(), settings, numeric,
        columns.categorical(), trainedAt);
    ChurnTraining.Result result = ChurnTraining.train(spark, run,
        ChurnTraining.Strategy.kFold(data, counts, columns.withBlanks(), settings.cvFolds()),
        ChurnTraining.Finishing.notServed("not gated: churn-score does not serve featurized-file models"));
    MetricsRows.write(spark, config.catalog(), config.asOf().date(), config.dataset(), result.metricRows());

    Map<String, String> details = new LinkedHashMap<>();
    details.put("dataset", config.dataset());
    details.put("id_column", String.valueOf(columns.id()));
    details.putAll(result.details());
    return new RunStats(counts.rows(), result.metricRows().size(), 0, details).withFinding(result.finding());
  }

  /** The file with every column as text, column names made safe for Spark expressions. */
  static Dataset<Row> read(SparkSession spark, FeaturesCsvConfig config) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(config.csvPath());
    try {
      if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
        throw new IllegalArgumentException("Cannot read --features-csv: file does not exist (" + config.csvPath() + ")");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read --features-csv: " + e.getMessage() + " (" + config.csvPath() + ")", e);
    }
    Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "false").csv(config.csvPath());
    String[] names = Arrays.stream(df.columns()).map(FeaturesCsvTrainJob::safeName).toArray(String[]::new);
    return df.toDF(names);
  }

  static String safeName(String header) {
    return header.trim().replaceAll("[^A-Za-z0-9_]", "_");
  }

  /**
   * Types the columns in one aggregation: per column the blanks, the non-blank values that do not
   * parse as a number and the approximate distinct count; checks the label values.
   */
  static Columns profile(Dataset<Row> raw, FeaturesCsvConfig config) {
    List<String> all = List.of(raw.columns());
    String label = safeName(config.labelColumn());
    if (!all.contains(label)) {
      throw new IllegalArgumentException("Cannot train churn on features: no label column in " + config.fileName()
          + ", columns are " + all + " (" + config.labelColumn() + ")");
    }
    Optional<String> givenId = config.idColumn().map(FeaturesCsvTrainJob::safeName);
    if (givenId.isPresent() && !all.contains(givenId.get())) {
      throw new IllegalArgumentException("Cannot train churn on features: no id column in " + config.fileName()
          + ", columns are " + all + " (" + config.idColumn().get() + ")");
    }
    List<String> features = all.stream().filter(c -> !c.equals(label)).toList();
    Column labelValue = lower(trim(col(label)));
    Column badLabel = coalesce(labelValue, lit("")).isin(POSITIVE.toArray()).or(labelValue.isin(NEGATIVE.toArray()))
        .unary_$bang();
    List<Column> aggs = new ArrayList<>(List.of(
        sum(when(badLabel, 1).otherwise(0)).as(BAD_LABELS),
        first(when(badLabel, coalesce(col(label), lit("(empty)"))), true).as(FIRST_BAD_LABEL)));
    for (int i = 0; i < features.size(); i++) {
      Column value = trim(col(features.get(i)));
      Column blank = value.isNull().or(value.equalTo(""));
      aggs.add(sum(when(blank, 1).otherwise(0)).as(BLANKS + i));
      aggs.add(sum(when(blank.unary_$bang().and(value.try_cast("double").isNull()), 1).otherwise(0)).as(NOT_NUMBERS + i));
      aggs.add(approx_count_distinct(col(features.get(i))).as(DISTINCT + i));
    }
    Row p = raw.agg(count(lit(1)).as(ROWS), aggs.toArray(Column[]::new)).first();
    long rows = p.getAs(ROWS);
    long badLabels = p.getAs(BAD_LABELS);
    if (badLabels > 0) {
      throw new IllegalArgumentException("Cannot train churn on features: " + badLabels + " values of "
          + config.labelColumn() + " are not yes/no, true/false or 1/0 (first: " + p.getAs(FIRST_BAD_LABEL) + ")");
    }
    String id = givenId.orElse(null);
    List<String> numeric = new ArrayList<>();
    List<String> withBlanks = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      String c = features.get(i);
      long blanks = p.getAs(BLANKS + i);
      long notNumbers = p.getAs(NOT_NUMBERS + i);
      long distinct = p.getAs(DISTINCT + i);
      if (c.equals(id) || blanks == rows) {
        continue;
      }
      if (notNumbers == 0) {
        numeric.add(c);
        if (blanks > 0) {
          withBlanks.add(c);
        }
      } else if (givenId.isEmpty() && id == null && distinct >= ID_DISTINCT_SHARE * rows) {
        id = c;
      } else {
        categorical.add(c);
      }
    }
    return new Columns(id, numeric, withBlanks, categorical);
  }

  /**
   * The model frame: customer_id (the id column, else a row number), label 1.0/0.0, numeric
   * columns as doubles (blank = null, with a missing indicator), categorical columns trimmed with
   * "none" for blanks, and a stratified fold: within each label, rows in random order are dealt
   * to the folds in turn, so every fold has the overall churn rate.
   */
  static Dataset<Row> prepare(Dataset<Row> raw, Columns columns, String labelColumn, ModelSettings settings) {
    List<Column> out = new ArrayList<>();
    out.add(columns.id() != null ? col(columns.id()).as(ChurnFeatures.CUSTOMER_ID)
        : monotonically_increasing_id().cast("string").as(ChurnFeatures.CUSTOMER_ID));
    out.add(when(lower(trim(col(safeName(labelColumn)))).isin(POSITIVE.toArray()), lit(1.0)).otherwise(lit(0.0))
        .as(ChurnFeatures.LABEL));
    for (String c : columns.numeric()) {
      Column value = trim(col(c));
      out.add(when(value.notEqual(""), value.try_cast("double")).as(c));
      if (columns.withBlanks().contains(c)) {
        out.add(when(value.isNull().or(value.equalTo("")), lit(1.0)).otherwise(lit(0.0)).as(c + MISSING_SUFFIX));
      }
    }
    for (String c : columns.categorical()) {
      Column value = trim(col(c));
      out.add(when(value.isNull().or(value.equalTo("")), lit(ChurnFeatures.NONE)).otherwise(value).as(c));
    }
    return raw.select(out.toArray(Column[]::new))
        .withColumn("_r", rand(settings.seed()))
        .withColumn(Trainer.FOLD, row_number().over(Window.partitionBy(ChurnFeatures.LABEL).orderBy("_r"))
            .minus(1).mod(settings.cvFolds()).cast("int"))
        .drop("_r");
  }
}
