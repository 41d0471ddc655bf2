package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The churn label of a cut-off: a customer churned when they make no completed purchase in the
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
   * Adds {@link ChurnFeatures#LABEL} to the population of a cut-off: 1.0 without a completed
   * purchase in [cut-off, cut-off + horizon) or with a closure in it, else 0.0.
   */
  public static Dataset<Row> attach(Dataset<Row> population, Dataset<Row> transactions, Dataset<Row> closures,
      AsOf cutoff, int horizonDays) {
    Instant start = cutoff.cutoff();
    Instant end = start.plus(Duration.ofDays(horizonDays));
    Dataset<Row> purchased = transactions
        .filter(Transactions.completed().and(Durations.between(col(Transactions.ORDER_TS), start, end)))
        .select(col(Transactions.CUSTOMER_ID).as(ChurnFeatures.CUSTOMER_ID)).distinct()
        .withColumn("_purchased", lit(true));
    Dataset<Row> closed = closures.filter(Durations.between(col(CLOSED_TS), start, end))
        .select(col(ChurnFeatures.CUSTOMER_ID)).distinct()
        .withColumn("_closed", lit(true));
    return population.join(purchased, ChurnFeatures.CUSTOMER_ID, "left")
        .join(closed, ChurnFeatures.CUSTOMER_ID, "left")
        .withColumn(ChurnFeatures.LABEL,
            when(coalesce(col("_closed"), lit(false)).or(coalesce(col("_purchased"), lit(false)).unary_$bang()), lit(1.0))
                .otherwise(lit(0.0)))
        .drop("_purchased", "_closed");
  }
}
