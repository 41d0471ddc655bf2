package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import org.apache.spark.sql.SparkSession;

/** Reads the silver sources a churn run needs, as they are visible at its as-of date. */
final class ChurnInputs {
  private ChurnInputs() {}

  /**
   * The feature inputs; transactions and tickets (labels and closures) are cut at the as-of day,
   * so no later row can reach a label even if a horizon were miscomputed. The customer features
   * cut every source at their own cut-off.
   *
   * @param action what the run does, for the message when transactions are missing
   */
  static FeatureInputs read(SparkSession spark, TableCatalog catalog, AsOf asOf, String action) {
    FeatureInputs all = FeatureInputs.read(new JobInputs(spark, catalog, action));
    return new FeatureInputs(all.customers(), all.transactions().filter(asOf.visible(col(Transactions.ORDER_TS))),
        all.tickets().filter(asOf.visible(col(SupportTickets.OPENED_TS))), all.webEvents(), all.surveys());
  }
}
