package io.cxlake.jobs.clv;

import io.cxlake.common.schema.ClvModel;
import io.cxlake.jobs.clv.btyd.BgNbd;
import io.cxlake.jobs.clv.btyd.ParetoNbd;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores distinct (segment, x, t_x, t) summary rows on the executors. The conditional expectations
 * need the Gaussian hypergeometric function, which has no built-in Spark expression, so they are
 * computed once per distinct row (not per customer) and joined back; everything per customer is
 * built-in column arithmetic.
 */
final class ClvPredictor implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  /** Average days in a month, for the monthly CLV curve. */
  static final double DAYS_PER_MONTH = 365.25 / 12;

  static final String MODEL_SEGMENT = "model_segment";
  static final String P_ALIVE = "_p_alive";
  static final String E30 = "_e30";
  static final String E90 = "_e90";
  static final String E365 = "_e365";
  static final String MONTHLY = "_monthly";
  static final String HOLDOUT_BGNBD = "_holdout_bgnbd";
  static final String HOLDOUT_PARETO = "_holdout_paretonbd";

  /** Input: the compressed summary rows. Output: the same keys with the predictions. */
  static final StructType OUTPUT = new StructType()
      .add(ClvSummary.SEGMENT, DataTypes.StringType)
      .add(ClvSummary.X, DataTypes.LongType)
      .add(ClvSummary.T_X_DAYS, DataTypes.IntegerType)
      .add(ClvSummary.T_DAYS, DataTypes.IntegerType)
      .add(MODEL_SEGMENT, DataTypes.StringType)
      .add(P_ALIVE, DataTypes.DoubleType)
      .add(E30, DataTypes.DoubleType)
      .add(E90, DataTypes.DoubleType)
      .add(E365, DataTypes.DoubleType)
      .add(MONTHLY, DataTypes.createArrayType(DataTypes.DoubleType))
      .add(HOLDOUT_BGNBD, DataTypes.DoubleType)
      .add(HOLDOUT_PARETO, DataTypes.DoubleType);

  private final Map<String, double[]> bgnbd;
  private final Map<String, double[]> pareto;
  private final boolean useBgnbd;
  private final double unitDays;
  private final int months;
  private final Double holdoutDays;

  /**
   * @param bgnbd BG/NBD (r, alpha, a, b) per segment; must contain {@link ClvSummary#ALL} or every segment
   * @param pareto Pareto/NBD (r, alpha, s, beta) per segment, same keys; empty when not fitted
   */
  ClvPredictor(Map<String, double[]> bgnbd, Map<String, double[]> pareto, ClvConfig config) {
    this.bgnbd = Map.copyOf(bgnbd);
    this.pareto = Map.copyOf(pareto);
    this.useBgnbd = config.predictionModel().equals(ClvModel.MODEL_BGNBD);
    this.unitDays = config.timeUnit().days();
    this.months = config.horizonMonths();
    this.holdoutDays = config.holdoutDays().map(Long::doubleValue).orElse(null);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> keys) {
    List<Row> out = new ArrayList<>();
    while (keys.hasNext()) {
      out.add(score(keys.next()));
    }
    return out.iterator();
  }

  private Row score(Row key) {
    String segment = key.getString(key.fieldIndex(ClvSummary.SEGMENT));
    String modelSegment = bgnbd.containsKey(segment) ? segment : ClvSummary.ALL;
    long x = key.getLong(key.fieldIndex(ClvSummary.X));
    int txDays = key.getInt(key.fieldIndex(ClvSummary.T_X_DAYS));
    int tDays = key.getInt(key.fieldIndex(ClvSummary.T_DAYS));
    double tx = txDays / unitDays;
    double t = tDays / unitDays;
    BgNbd.Params bg = bgParams(modelSegment);
    ParetoNbd.Params pn = paretoParams(modelSegment);
    Horizon expected = useBgnbd
        ? h -> BgNbd.conditionalExpectedTransactions(bg, h / unitDays, x, tx, t)
        : h -> ParetoNbd.conditionalExpectedTransactions(pn, h / unitDays, x, tx, t);
    double pAlive = useBgnbd ? BgNbd.probabilityAlive(bg, x, tx, t) : ParetoNbd.probabilityAlive(pn, x, tx, t);
    Double holdoutPareto = holdoutDays == null || pn == null ? null
        : finite(ParetoNbd.conditionalExpectedTransactions(pn, holdoutDays / unitDays, x, tx, t));
    List<Double> monthly = new ArrayList<>(months);
    double previous = 0;
    for (int k = 1; k <= months; k++) {
      double cumulative = expected.at(k * DAYS_PER_MONTH);
      monthly.add(finite(cumulative - previous));
      previous = cumulative;
    }
    return RowFactory.create(segment, x, txDays, tDays, modelSegment, finite(pAlive),
        finite(expected.at(30)), finite(expected.at(90)), finite(expected.at(365)),
        scala.jdk.javaapi.CollectionConverters.asScala(monthly).toSeq(),
        holdoutDays == null ? null : finite(BgNbd.conditionalExpectedTransactions(bg, holdoutDays / unitDays, x, tx, t)),
        holdoutPareto);
  }

  private BgNbd.Params bgParams(String segment) {
    double[] p = bgnbd.get(segment);
    return new BgNbd.Params(p[0], p[1], p[2], p[3]);
  }

  /** Null when Pareto/NBD was not fitted (clv.fit-pareto-nbd = false). */
  private ParetoNbd.Params paretoParams(String segment) {
    double[] p = pareto.get(segment);
    return p == null ? null : new ParetoNbd.Params(p[0], p[1], p[2], p[3]);
  }

  /** A prediction that did not converge is stored as null, never as a wrong number. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Expected purchases within h days. */
  @FunctionalInterface
  private interface Horizon {
    double at(double days);
  }
}
