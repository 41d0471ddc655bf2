package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
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
   * The {@code k} largest contributions by absolute value as structs of
   * {@code ChurnScores.DRIVER_TYPE} (feature, contribution, direction); zero contributions are
   * never drivers.
   */
  static Column top(Column contributions, List<String> featureNames, int k) {
    Column[] names = featureNames.stream().map(n -> lit(n)).toArray(Column[]::new);
    // Ascending sort on (-|contribution|, feature): the largest first, ties by name.
    Column keyed = zip_with(array(names), contributions, (n, c) -> struct(
        abs(c).multiply(-1).as("k"), n.as(ChurnScores.DRIVER_FEATURE), c.as(ChurnScores.DRIVER_CONTRIBUTION)));
    Column sorted = sort_array(filter(keyed, e -> e.getField("k").notEqual(0)));
    return transform(slice(sorted, 1, k), e -> struct(
        e.getField(ChurnScores.DRIVER_FEATURE).as(ChurnScores.DRIVER_FEATURE),
        e.getField(ChurnScores.DRIVER_CONTRIBUTION).as(ChurnScores.DRIVER_CONTRIBUTION),
        when(e.getField(ChurnScores.DRIVER_CONTRIBUTION).gt(0), lit(ChurnScores.DIRECTION_RAISES))
            .otherwise(lit(ChurnScores.DIRECTION_LOWERS)).as(ChurnScores.DRIVER_DIRECTION)));
  }
}
