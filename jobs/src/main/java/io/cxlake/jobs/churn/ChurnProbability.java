package io.cxlake.jobs.churn;

import io.cxlake.jobs.churn.ModelSettings.Calibration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The last stage of every saved churn model: checks that a frame has the model's input columns
 * and emits the calibrated {@link #OUTPUT} probability from the calibration stages before it, so
 * a saved model is self-contained and scoring is {@code model.transform}. Saved and loaded with
 * MLlib's own persistence (its parameters only).
 */
public final class ChurnProbability extends Transformer implements DefaultParamsWritable {
  /** The calibrated churn probability, a double. */
  public static final String OUTPUT = Calibrators.PROBABILITY;

  private final String uid;
  private final Param<String> calibration;
  private final StringArrayParam inputCols;

  public ChurnProbability() {
    this(Identifiable$.MODULE$.randomUID("churnProbability"));
  }

  /** The constructor MLlib's reader calls. */
  public ChurnProbability(String uid) {
    this.uid = uid;
    this.calibration = new Param<>(this, "calibration", "the calibration stages before this one: platt or isotonic");
    this.inputCols = new StringArrayParam(this, "inputCols", "the model's input columns, required by transform");
  }

  /** The stage of a model fitted on these inputs and calibrated with this method. */
  public static ChurnProbability of(Calibration method, List<String> inputs) {
    ChurnProbability stage = new ChurnProbability();
    stage.set(stage.calibration, method.label());
    stage.set(stage.inputCols, inputs.toArray(String[]::new));
    return stage;
  }

  /** The output stage of a saved model: its last. */
  public static ChurnProbability of(PipelineModel model) {
    Transformer[] stages = model.stages();
    if (!(stages[stages.length - 1] instanceof ChurnProbability output)) {
      throw new IllegalStateException("Cannot score churn: the model does not end with its probability stage ("
          + model.uid() + ")");
    }
    return output;
  }

  public Param<String> calibration() {
    return calibration;
  }

  public StringArrayParam inputCols() {
    return inputCols;
  }

  /** The calibration method the model was saved with. */
  public Calibration method() {
    return Calibration.valueOf($(calibration).toUpperCase(Locale.ROOT));
  }

  /** The model's input columns. */
  public List<String> inputs() {
    return List.of($(inputCols));
  }

  /** Fails naming every input column the frame lacks. */
  public void requireInputs(StructType schema) {
    List<String> present = Arrays.asList(schema.fieldNames());
    List<String> missing = inputs().stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Cannot score churn: the model needs input columns the data does not have, "
          + "retrain with churn-train (" + String.join(", ", missing) + ")");
    }
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return dataset.toDF().withColumn(OUTPUT, Calibrators.probability(method()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    requireInputs(schema);
    return schema.add(OUTPUT, DataTypes.DoubleType);
  }

  @Override
  public ChurnProbability copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** MLlib's loader of this stage (found by reflection as {@code read()}). */
  public static MLReader<ChurnProbability> read() {
    return new DefaultParamsReader<>();
  }

  public static ChurnProbability load(String path) {
    return read().load(path);
  }
}
