package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.ChurnBacktest;
import io.cxlake.common.schema.ChurnScores;
import io.cxlake.common.schema.Transactions;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * How past churn scores turned out: every churn_scores date whose horizon has closed, with the
 * churn its scored customers really showed (the training label's definition: no completed purchase
 * in the horizon, or a closure in it) and the metrics of the scores against it. Every date is
 * evaluated in the same pass: the AUCs come from per-date windows over the distinct scores, not
 * from one evaluator job per date. Pure transformations.
 */
final class Backtest {
  private static final String D = ChurnBacktest.SCORING_DATE;
  private static final String C = "_customer";
  private static final String P = "_p";
  private static final String Y = "_y";

  private Backtest() {}

  /**
   * The scored customers of every closed scoring date in the lookback, with {@code _y} = 1.0 when
   * they churned in the horizon.
   *
   * @param scores churn_scores
   * @param transactions silver transactions up to the as-of day
   * @param closures account closures ({@link ChurnLabels#closures})
   */
  static Dataset<Row> outcomes(Dataset<Row> scores, Dataset<Row> transactions, Dataset<Row> closures,
      LocalDate asOf, int lookbackDays) {
    Column d = col(ChurnScores.AS_OF_DATE);
    Dataset<Row> scored = scores
        .filter(col(ChurnScores.CHURN_PROBABILITY).isNotNull()
            .and(date_add(d, col(ChurnScores.HORIZON_DAYS)).leq(lit(java.sql.Date.valueOf(asOf))))
            .and(d.geq(lit(java.sql.Date.valueOf(asOf.minusDays(lookbackDays))))))
        .select(d.as(D), col(ChurnScores.CUSTOMER_ID).as(C), col(ChurnScores.CHURN_PROBABILITY).as(P),
            col(ChurnScores.RISK_TIER), col(ChurnScores.MODEL_VERSION), col(ChurnScores.HORIZON_DAYS));
    // The horizon is [end of day d, + h days): in UTC days, (d, d + h].
    Dataset<Row> bought = inHorizon(scored, transactions.filter(Transactions.completed())
        .select(col(Transactions.CUSTOMER_ID).as("_e_customer"), to_date(col(Transactions.ORDER_TS)).as("_e_day")), "_bought");
    Dataset<Row> closed = inHorizon(scored, closures.select(col(ChurnFeatures.CUSTOMER_ID).as("_e_customer"),
        to_date(col(ChurnLabels.CLOSED_TS)).as("_e_day")), "_closed");
    return scored.join(bought, new String[] {D, C}, "left").join(closed, new String[] {D, C}, "left")
        .withColumn(Y, when(col("_closed").isNotNull().or(col("_bought").isNull()), 1.0).otherwise(0.0))
        .drop("_bought", "_closed");
  }

  private static Dataset<Row> inHorizon(Dataset<Row> scored, Dataset<Row> events, String flag) {
    return scored.join(events, col(C).equalTo(col("_e_customer")).and(col("_e_day").gt(col(D)))
            .and(col("_e_day").leq(date_add(col(D), col(ChurnScores.HORIZON_DAYS)))), "left_semi")
        .select(col(D), col(C)).withColumn(flag, lit(true));
  }

  /** The churn_backtest rows of a run: one per scoring date of the outcomes. */
  static Dataset<Row> metrics(Dataset<Row> outcomes, LocalDate asOf) {
    Dataset<Row> overall = outcomes.groupBy(D).agg(
        first(ChurnScores.MODEL_VERSION).as(ChurnBacktest.MODEL_VERSION),
        first(ChurnScores.HORIZON_DAYS).as(ChurnBacktest.HORIZON_DAYS),
        count(lit(1)).as(ChurnBacktest.CUSTOMERS),
        sum(Y).cast("long").as(ChurnBacktest.CHURNERS),
        avg(Y).as(ChurnBacktest.REALIZED_CHURN_RATE),
        avg(P).as(ChurnBacktest.MEAN_PREDICTED),
        avg(pow(col(P).minus(col(Y)), 2)).as(ChurnBacktest.BRIER));

    // Per distinct score: churners and the others. AUC-ROC: each churner beats the non-churners
    // scored below it and half of those tied with it (the Mann-Whitney statistic).
    Dataset<Row> byScore = outcomes.groupBy(D, P).agg(sum(Y).as("_pos"), sum(lit(1.0).minus(col(Y))).as("_neg"));
    WindowSpec below = Window.partitionBy(D).orderBy(P).rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec all = Window.partitionBy(D);
    Dataset<Row> roc = byScore
        .withColumn("_neg_below", coalesce(sum("_neg").over(below), lit(0.0)))
        .groupBy(D).agg(sum(col("_pos").multiply(col("_neg_below").plus(col("_neg").multiply(0.5)))).as("_num"),
            sum("_pos").as("_p_total"), sum("_neg").as("_n_total"))
        .select(col(D), col("_num").divide(col("_p_total").multiply(col("_n_total"))).as(ChurnBacktest.AUC_ROC));

    // AUC-PR as MLlib computes it: one (recall, precision) point per distinct score from the top,
    // starting at (0, the first precision), trapezoids between them.
    WindowSpec fromTop = Window.partitionBy(D).orderBy(col(P).desc());
    WindowSpec cumulative = fromTop.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> pr = byScore
        .withColumn("_recall", sum("_pos").over(cumulative).divide(sum("_pos").over(all)))
        .withColumn("_precision", sum("_pos").over(cumulative)
            .divide(sum(col("_pos").plus(col("_neg"))).over(cumulative)))
        .withColumn("_prev_recall", coalesce(lag("_recall", 1).over(fromTop), lit(0.0)))
        .withColumn("_prev_precision", coalesce(lag("_precision", 1).over(fromTop), col("_precision")))
        .groupBy(D).agg(sum(col("_recall").minus(col("_prev_recall"))
            .multiply(col("_precision").plus(col("_prev_precision"))).divide(2)).as(ChurnBacktest.AUC_PR));

    Dataset<Row> deciles = outcomes
        .withColumn(ChurnBacktest.DECILE, ntile(10).over(Window.partitionBy(D).orderBy(col(P).desc(), col(C))))
        .groupBy(D, ChurnBacktest.DECILE)
        .agg(count(lit(1)).as(ChurnBacktest.GROUP_CUSTOMERS), avg(P).as(ChurnBacktest.GROUP_PREDICTED),
            avg(Y).as(ChurnBacktest.GROUP_ACTUAL))
        .groupBy(D).agg(
            array_sort(collect_list(struct(col(ChurnBacktest.DECILE), col(ChurnBacktest.GROUP_CUSTOMERS),
                col(ChurnBacktest.GROUP_PREDICTED), col(ChurnBacktest.GROUP_ACTUAL)))).as(ChurnBacktest.CALIBRATION),
            max(when(col(ChurnBacktest.DECILE).equalTo(1), col(ChurnBacktest.GROUP_ACTUAL))).as("_top_rate"));
    Dataset<Row> tiers = outcomes.groupBy(col(D), col(ChurnScores.RISK_TIER).as(ChurnBacktest.TIER))
        .agg(count(lit(1)).as(ChurnBacktest.GROUP_CUSTOMERS), avg(P).as(ChurnBacktest.GROUP_PREDICTED),
            avg(Y).as(ChurnBacktest.GROUP_ACTUAL))
        .groupBy(D).agg(array_sort(collect_list(struct(col(ChurnBacktest.TIER), col(ChurnBacktest.GROUP_CUSTOMERS),
            col(ChurnBacktest.GROUP_PREDICTED), col(ChurnBacktest.GROUP_ACTUAL)))).as(ChurnBacktest.TIERS));

    return overall.join(roc, D).join(pr, D).join(deciles, D).join(tiers, D)
        .withColumn(ChurnBacktest.AS_OF_DATE, lit(java.sql.Date.valueOf(asOf)))
        .withColumn(ChurnBacktest.TOP_DECILE_LIFT, col("_top_rate").divide(col(ChurnBacktest.REALIZED_CHURN_RATE)));
  }
}
