package io.cxlake.jobs.cohorts;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.CohortRepeatPurchases;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.RetentionCohorts;
import io.cxlake.common.schema.RevenueRetention;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.PointInTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code cohorts} job: acquisition cohorts of the customers' first completed orders and their
 * retention, orders and revenue in every period since ({@code retention_cohorts}), the share of
 * each cohort that bought a 2nd, 3rd time within N days ({@code cohort_repeat_purchases}), and net
 * and gross revenue retention of the whole base ({@code revenue_retention}), all from orders
 * before the end of the as-of day. Each table's as-of partition is replaced on a rerun.
 *
 * <p>Scale: the order lines are rolled up to orders once and cached; one aggregation of them by
 * cohort, period and dimension value gives the matrix and the repeat view (both bounded by
 * cohorts x periods), and one roll-up by customer and period gives revenue retention.
 */
public final class CohortsJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "cohorts";

  private CohortsJob() {}

  /** Reads silver transactions and customers, computes and writes the three tables. */
  public static RunStats run(SparkSession spark, CohortsConfig config) {
    TableCatalog catalog = config.catalog();
    JobInputs read = new JobInputs(spark, catalog, "build retention cohorts");
    // Orders and customers as they were at the as-of: a later return or re-mapped channel does not
    // rewrite a past snapshot's cohorts.
    Dataset<Row> transactions = PointInTime.at(read.history(Transactions.TABLE), config.asOf());
    Dataset<Row> customers = PointInTime.at(read.historyOrEmpty(Customers.TABLE), config.asOf());
    Dataset<Row> orders = CohortMetrics.customerOrders(transactions, customers, config)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> activity = CohortMetrics.cohortActivity(orders, config).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Map<String, String> details = new LinkedHashMap<>();
        long written = write(spark, config, CohortMetrics.retentionMatrix(activity, config),
            RetentionCohorts.TABLE, details);
        written += write(spark, config, CohortMetrics.repeatPurchases(activity, config),
            CohortRepeatPurchases.TABLE, details);
        written += write(spark, config, CohortMetrics.revenueRetention(orders, config),
            RevenueRetention.TABLE, details);
        details.put("grain", config.grain().label());
        return new RunStats(written, written, 0, details).withFinding(written == 0
            ? "no completed order before the end of " + config.asOf() + ": the snapshot is empty"
            : finding(spark, config));
      } finally {
        activity.unpersist();
      }
    } finally {
      orders.unpersist();
    }
  }

  /** The newest cohort whose first period after the start is complete, and how many of it came back then. */
  private static String finding(SparkSession spark, CohortsConfig config) {
    List<Row> newest = new JobInputs(spark, config.catalog(), "describe retention cohorts")
        .snapshot(RetentionCohorts.TABLE, config.asOf().date())
        .filter(col(RetentionCohorts.COHORT_DIMENSION).equalTo(RetentionCohorts.ALL)
            .and(col(RetentionCohorts.PERIOD).equalTo(1)).and(col(RetentionCohorts.PERIOD_COMPLETE)))
        .orderBy(col(RetentionCohorts.COHORT_START).desc()).limit(1)
        .select(RetentionCohorts.COHORT_START, RetentionCohorts.RETENTION_RATE, RetentionCohorts.COHORT_SIZE)
        .collectAsList();
    if (newest.isEmpty()) {
      return "no cohort has a complete " + config.grain().label() + " after its first yet";
    }
    Row r = newest.get(0);
    return String.format(java.util.Locale.ROOT, "the %s cohort of %s (%,d customers): %.1f%% bought again in the %s after",
        config.grain().label(), r.getDate(0), r.getLong(2), 100 * r.getDouble(1), config.grain().label());
  }

  private static long write(SparkSession spark, CohortsConfig config, Dataset<Row> rows, TableSpec table,
      Map<String, String> details) {
    String path = config.catalog().path(table);
    DeltaIO.replacePartition(spark, rows, table, path, RetentionCohorts.AS_OF_DATE, config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    details.put("rows." + table.name(), String.valueOf(written));
    return written;
  }
}
