package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.zip_with;

import io.cxlake.common.schema.ChurnScores;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-customer drivers of a churn score: each feature's contribution to the customer's churn
 * log-odds relative to an average customer, and the top few by absolute size with their
 * direction.
 *
 * <ul>
 *   <li>Logistic regression: coefficient x standardized value ((x - mean) / sd of training), an
 *       exact decomposition of the log-odds minus the average customer's, in built-in functions.
 *   <li>Gradient-boosted trees: Saabas path attribution ({@link TreeAttribution}), which needs a
 *       UDF to walk the trees.
 * </ul>
 */
public final class Drivers {
  /** How many drivers churn_scores keeps per customer. */
  public static final int TOP = 3;
  /** Column of {@link #contributions}, when materialised. */
  static final String CONTRIBUTIONS = "_contributions";
  /** Column of {@link #values}, when materialised. */
  static final String VALUES = "_values";

  private Drivers() {}

  /**
   * An array column of per-feature log-odds contributions, aligned with the assembled vector, for
   * a frame the model has transformed.
   */
  static Column contributions(PipelineModel model) {
    Transformer t = classifier(model);
    if (t instanceof LogisticRegressionModel lr) {
      double[] coefficients = lr.coefficients().toArray();
      Column[] literals = new Column[coefficients.length];
      for (int i = 0; i < coefficients.length; i++) {
        literals[i] = lit(coefficients[i]);
      }
      return zip_with(org.apache.spark.ml.functions.vector_to_array(col(ChurnPipelines.SCALED), "float64"),
          array(literals), (x, c) -> x.multiply(c));
    }
    if (t instanceof GBTClassificationModel gbt) {
      TreeAttribution attribution = TreeAttribution.of(gbt);
      UserDefinedFunction f = udf((UDF1<Vector, double[]>) attribution::contributions,
          DataTypes.createArrayType(DataTypes.DoubleType));
      return f.apply(col(ChurnPipelines.FEATURES));
    }
    throw new IllegalStateException("Cannot explain churn model: the classifier is neither logistic regression nor "
        + "gbt (" + t.getClass().getSimpleName() + ")");
  }

  /** The fitted classifier (logistic regression or gradient-boosted trees), wherever the model nests it. */
  static Transformer classifier(PipelineModel model) {
    for (Transformer t : model.stages()) {
      if (t instanceof LogisticRegressionModel || t instanceof GBTClassificationModel) {
        return t;
      }
      if (t instanceof PipelineModel nested) {
        return classifier(nested);
      }
    }
    throw new IllegalStateException("Cannot explain churn model: it has no logistic regression or gbt stage ("
        + model.uid() + ")");
  }

  /**
   * The customer's value of every assembled feature on its natural scale ({@link
   * ChurnFeatures#naturalScale}), aligned with the names; a one-hot feature is 1 or 0.
   */
  static Column values(List<String> featureNames) {
    Column vector = org.apache.spark.ml.functions.vector_to_array(col(ChurnPipelines.FEATURES), "float64");
    Column[] out = new Column[featureNames.size()];
    for (int i = 0; i < out.length; i++) {
      String name = featureNames.get(i);
      Column v = element_at(vector, i + 1);
      out[i] = isOneHot(name) ? v : ChurnFeatures.naturalScale(name, v);
    }
    return array(out);
  }

  /**
   * The population's reference of every feature among the scored rows, in one aggregation: the
   * median of a numeric feature on its natural scale (approximate, 0.1 % rank error), the share of
   * customers in the category of a one-hot feature.
   *
   * @param explained the scored rows with {@link #VALUES}
   */
  static double[] typical(Dataset<Row> explained, List<String> featureNames) {
    Column values = col(VALUES);
    Column[] aggregates = new Column[featureNames.size()];
    for (int i = 0; i < aggregates.length; i++) {
      Column v = element_at(values, i + 1);
      aggregates[i] = isOneHot(featureNames.get(i)) ? avg(v) : percentile_approx(v, lit(0.5), lit(1000));
    }
    Row r = explained.agg(aggregates[0], java.util.Arrays.copyOfRange(aggregates, 1, aggregates.length)).first();
    double[] out = new double[aggregates.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
    }
    return out;
  }

  /**
   * The {@code k} largest contributions by absolute value as structs of
   * {@code ChurnScores.DRIVER_TYPE}: feature, contribution, direction, the customer's value, the
   * population's typical value and a sentence. Zero contributions are never drivers, and a
   * category is a driver only for the customers in it: a linear model also credits "not in
   * category X" to everyone else, which nobody can act on.
   *
   * @param values the customer's values ({@link #values})
   * @param typical the references ({@link #typical}), aligned with the names
   */
  static Column top(Column contributions, Column values, List<String> featureNames, double[] typical, int k) {
    Column[] entries = new Column[featureNames.size()];
    for (int i = 0; i < entries.length; i++) {
      String name = featureNames.get(i);
      Column c = element_at(contributions, i + 1);
      Column v = element_at(values, i + 1);
      Column reference = Double.isNaN(typical[i]) ? lit(null).cast("double") : lit(typical[i]);
      boolean oneHot = isOneHot(name);
      Column candidate = oneHot ? c.notEqual(0).and(v.notEqual(0)) : c.notEqual(0);
      // Ascending sort on (-|contribution|, feature): the largest first, ties by name.
      entries[i] = struct(abs(c).multiply(-1).as("k"), lit(name).as(ChurnScores.DRIVER_FEATURE),
          c.as(ChurnScores.DRIVER_CONTRIBUTION), (oneHot ? lit(null).cast("double") : v).as(ChurnScores.DRIVER_VALUE),
          reference.as(ChurnScores.DRIVER_TYPICAL), candidate.as("_candidate"), lit(oneHot).as("_one_hot"));
    }
    Column sorted = sort_array(filter(array(entries), e -> e.getField("_candidate")));
    return transform(slice(sorted, 1, k), e -> {
      Column direction = when(e.getField(ChurnScores.DRIVER_CONTRIBUTION).gt(0), lit(ChurnScores.DIRECTION_RAISES))
          .otherwise(lit(ChurnScores.DIRECTION_LOWERS));
      Column feature = e.getField(ChurnScores.DRIVER_FEATURE);
      Column typicalValue = e.getField(ChurnScores.DRIVER_TYPICAL);
      Column text = when(e.getField("_one_hot"), concat(feature, lit(" ("),
              coalesce(readable(typicalValue.multiply(100)), lit("?")), lit("% of customers) "), direction, lit(" risk")))
          .otherwise(concat(feature, lit(" = "), readable(e.getField(ChurnScores.DRIVER_VALUE)), lit(" vs "),
              coalesce(readable(typicalValue), lit("?")), lit(" typical "), direction, lit(" risk")));
      return struct(feature.as(ChurnScores.DRIVER_FEATURE),
          e.getField(ChurnScores.DRIVER_CONTRIBUTION).as(ChurnScores.DRIVER_CONTRIBUTION),
          direction.as(ChurnScores.DRIVER_DIRECTION),
          e.getField(ChurnScores.DRIVER_VALUE).as(ChurnScores.DRIVER_VALUE),
          typicalValue.as(ChurnScores.DRIVER_TYPICAL),
          text.as(ChurnScores.DRIVER_TEXT));
    });
  }

  /** One-hot features read {@code column=value}. */
  private static boolean isOneHot(String featureName) {
    return featureName.contains("=");
  }

  /** A number for a sentence: two decimals, without ".00" and without thousands separators. */
  private static Column readable(Column value) {
    return regexp_replace(regexp_replace(format_number(value, 2), ",", ""), "\\.00$", "");
  }
}
