package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The MLlib pipelines of the candidate models. Every candidate shares the input stages (string
 * indexing and one-hot encoding of categorical columns, optional median imputation, assembly
 * into one vector); logistic regression adds a standard scaler (mean 0, variance 1, so its
 * coefficients are comparable and its regularisation treats features alike). The classifiers
 * write their outputs under raw_* names, leaving the plain names to the calibration stages that
 * follow them in the saved model.
 */
public final class ChurnPipelines {
  /** The assembled, unscaled feature vector. */
  public static final String FEATURES = "features";
  /** The standardized feature vector (logistic regression). */
  public static final String SCALED = "scaled_features";
  /** The classifier's margin vector (index 1 = churn). */
  public static final String RAW_MARGIN = "raw_margin";
  /** The classifier's uncalibrated probability vector. */
  public static final String RAW_PROBABILITY = "raw_probability";
  public static final String RAW_PREDICTION = "raw_prediction";

  private static final String INDEX_SUFFIX = "_index";
  private static final String ONEHOT_SUFFIX = "_onehot";
  private static final String IMPUTED_SUFFIX = "_imputed";
  private static final String UNSEEN = "__unknown";

  private ChurnPipelines() {}

  /**
   * The unfitted pipeline of a candidate.
   *
   * @param numeric numeric input columns (no nulls, except those listed in {@code impute})
   * @param categorical string input columns, one-hot encoded (an unseen value encodes as all zeros)
   * @param impute numeric columns with nulls, replaced by their training median
   */
  public static Pipeline pipeline(Candidate candidate, ModelSettings settings, List<String> numeric,
      List<String> categorical, List<String> impute) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    for (String c : numeric) {
      assembled.add(impute.contains(c) ? c + IMPUTED_SUFFIX : c);
    }
    if (!impute.isEmpty()) {
      stages.add(new Imputer().setStrategy("median")
          .setInputCols(impute.toArray(String[]::new))
          .setOutputCols(impute.stream().map(c -> c + IMPUTED_SUFFIX).toArray(String[]::new)));
    }
    if (!categorical.isEmpty()) {
      String[] indexed = categorical.stream().map(c -> c + INDEX_SUFFIX).toArray(String[]::new);
      String[] encoded = categorical.stream().map(c -> c + ONEHOT_SUFFIX).toArray(String[]::new);
      // Alphabetical indexing: the vector layout does not depend on which value is most frequent.
      stages.add(new StringIndexer().setInputCols(categorical.toArray(String[]::new)).setOutputCols(indexed)
          .setHandleInvalid("keep").setStringOrderType("alphabetAsc"));
      stages.add(new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded).setHandleInvalid("keep"));
      assembled.addAll(List.of(encoded));
    }
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(FEATURES));
    if (candidate == Candidate.LOGISTIC_REGRESSION) {
      stages.add(new StandardScaler().setInputCol(FEATURES).setOutputCol(SCALED).setWithMean(true).setWithStd(true));
      stages.add(new LogisticRegression()
          .setFeaturesCol(SCALED)
          .setLabelCol(ChurnFeatures.LABEL)
          .setWeightCol(ChurnFeatures.WEIGHT)
          .setRegParam(settings.regParam())
          .setElasticNetParam(settings.elasticNet())
          .setMaxIter(settings.logisticMaxIter())
          // Already standardized by the scaler, whose output the drivers read.
          .setStandardization(false)
          .setRawPredictionCol(RAW_MARGIN)
          .setProbabilityCol(RAW_PROBABILITY)
          .setPredictionCol(RAW_PREDICTION));
    } else {
      stages.add(new GBTClassifier()
          .setFeaturesCol(FEATURES)
          .setLabelCol(ChurnFeatures.LABEL)
          .setWeightCol(ChurnFeatures.WEIGHT)
          .setMaxIter(settings.gbtMaxIter())
          .setMaxDepth(settings.gbtMaxDepth())
          .setStepSize(settings.gbtStepSize())
          .setSubsamplingRate(settings.gbtSubsamplingRate())
          .setSeed(settings.seed())
          .setRawPredictionCol(RAW_MARGIN)
          .setProbabilityCol(RAW_PROBABILITY)
          .setPredictionCol(RAW_PREDICTION));
    }
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /**
   * The saved model of a candidate: the fitted candidate, its calibration stages and the output
   * stage. A pipeline of transformers only fits without touching the data; the frame only supplies
   * the input schema it checks.
   */
  public static PipelineModel assemble(Dataset<Row> schemaSource, PipelineModel candidate, Transformer[] calibration,
      ChurnProbability output) {
    List<Transformer> stages = new ArrayList<>(List.of(candidate));
    stages.addAll(List.of(calibration));
    stages.add(output);
    return new Pipeline().setStages(stages.toArray(Transformer[]::new)).fit(schemaSource);
  }

  /** The uncalibrated churn score: the margin of the churn class (monotone in the raw probability). */
  public static Column score() {
    return org.apache.spark.ml.functions.vector_to_array(col(RAW_MARGIN), "float64").getItem(1);
  }

  /** The uncalibrated churn probability. */
  public static Column rawProbability() {
    return org.apache.spark.ml.functions.vector_to_array(col(RAW_PROBABILITY), "float64").getItem(1);
  }

  /**
   * Readable names of the assembled vector's elements, from its ML attributes: numeric columns by
   * name, one-hot elements as {@code column=value}.
   */
  public static List<String> featureNames(StructType transformedSchema) {
    AttributeGroup group = AttributeGroup.fromStructField(transformedSchema.apply(FEATURES));
    Attribute[] attributes = group.attributes().get();
    List<String> names = new ArrayList<>(attributes.length);
    for (Attribute a : attributes) {
      names.add(readable(a.name().get()));
    }
    return names;
  }

  static String readable(String attribute) {
    int onehot = attribute.indexOf(ONEHOT_SUFFIX + "_");
    if (onehot > 0) {
      String value = attribute.substring(onehot + ONEHOT_SUFFIX.length() + 1);
      return attribute.substring(0, onehot) + "=" + (value.equals(UNSEEN) ? "(unseen)" : value);
    }
    if (attribute.endsWith(IMPUTED_SUFFIX)) {
      return attribute.substring(0, attribute.length() - IMPUTED_SUFFIX.length());
    }
    return attribute;
  }
}
