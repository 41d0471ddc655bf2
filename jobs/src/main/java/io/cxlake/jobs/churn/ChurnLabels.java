package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.common.time.Durations;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The churn label at a cut-off: a customer churned when they make no completed purchase in the
 * horizon that starts at the cut-off, or close their account in it. Only the horizon's data is
 * read, never anything before the cut-off, and the features come from before it, so the two never
 * share a row.
 */
public final class ChurnLabels {
  /** When an account-closure event happened. */
  public static final String CLOSED_TS = "closed_ts";

  private ChurnLabels() {}

  /**
   * Account closures: tickets of the closure topics, at their opening time. Empty when no topic is
   * configured (the data has no closure events).
   */
  public static Dataset<Row> closures(Dataset<Row> tickets, List<String> closureTopics) {
    Column isClosure = closureTopics.isEmpty() ? lit(false)
        : col(SupportTickets.TOPIC).isin(closureTopics.toArray());
    return tickets.filter(isClosure)
        .select(col(SupportTickets.CUSTOMER_ID).as(ChurnFeatures.CUSTOMER_ID), col(SupportTickets.OPENED_TS).as(CLOSED_TS));
  }

  /**
   * Adds {@link ChurnFeatures#LABEL} to the population of each cut-off: 1.0 without a completed
   * purchase in [cut-off, cut-off + horizon) or with a closure in it, else 0.0.
   *
   * @param population rows keyed by customer and {@link ChurnFeatures#CUTOFF_DATE}
   * @param cutoffs {@link Cutoffs#frame} of the population's cut-offs
   */
  public static Dataset<Row> attach(Dataset<Row> population, Dataset<Row> transactions, Dataset<Row> closures,
      Dataset<Row> cutoffs, int horizonDays) {
    Column start = Cutoffs.COLUMN.ts();
    Column end = Durations.plusDays(start, horizonDays);
    String[] on = {ChurnFeatures.CUSTOMER_ID, ChurnFeatures.CUTOFF_DATE};
    Column orderTs = col(Transactions.ORDER_TS);
    Dataset<Row> purchased = Cutoffs.each(transactions.filter(Transactions.completed()), cutoffs,
            orderTs.geq(start).and(orderTs.lt(end)))
        .select(col(Transactions.CUSTOMER_ID).as(ChurnFeatures.CUSTOMER_ID), col(ChurnFeatures.CUTOFF_DATE)).distinct()
        .withColumn("_purchased", lit(true));
    Column closedTs = col(CLOSED_TS);
    Dataset<Row> closed = Cutoffs.each(closures, cutoffs, closedTs.geq(start).and(closedTs.lt(end)))
        .select(col(ChurnFeatures.CUSTOMER_ID), col(ChurnFeatures.CUTOFF_DATE)).distinct()
        .withColumn("_closed", lit(true));
    return population.join(purchased, on, "left")
        .join(closed, on, "left")
        .withColumn(ChurnFeatures.LABEL,
            when(coalesce(col("_closed"), lit(false)).or(coalesce(col("_purchased"), lit(false)).unary_$bang()), lit(1.0))
                .otherwise(lit(0.0)))
        .drop("_purchased", "_closed");
  }
}
