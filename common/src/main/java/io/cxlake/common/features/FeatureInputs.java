package io.cxlake.common.features;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.Cutoffs;
import io.cxlake.common.time.PointInTime;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The silver tables the customer features are computed from, each with its silver schema. An
 * absent optional source is an empty frame of its schema, never null.
 */
public record FeatureInputs(
    Dataset<Row> customers,
    Dataset<Row> transactions,
    Dataset<Row> tickets,
    Dataset<Row> webEvents,
    Dataset<Row> surveys) {
  /**
   * The silver tables of the warehouse with every version of their rows; transactions are
   * required, the other sources optional. Read them through {@link #at} or {@link #current}.
   */
  public static FeatureInputs read(JobInputs read) {
    return new FeatureInputs(
        read.historyOrEmpty(Customers.TABLE),
        read.history(Transactions.TABLE),
        read.historyOrEmpty(SupportTickets.TABLE),
        read.historyOrEmpty(WebEvents.TABLE),
        read.historyOrEmpty(Surveys.TABLE));
  }

  /** Every source as it was at the cut-off of {@code asOf}: the version of each row in effect then. */
  public FeatureInputs at(AsOf asOf) {
    return new FeatureInputs(PointInTime.at(customers, asOf), PointInTime.at(transactions, asOf),
        PointInTime.at(tickets, asOf), PointInTime.at(webEvents, asOf), PointInTime.at(surveys, asOf));
  }

  /**
   * Every source at each of several cut-offs ({@link Cutoffs#frame}): a row appears once per cut-off
   * it is visible at, in the version in effect then, with {@link Cutoffs#DATE} and {@link Cutoffs#TS}.
   */
  public FeatureInputs at(Dataset<Row> cutoffs) {
    Cutoffs at = Cutoffs.COLUMN;
    Column signup = col(Customers.SIGNUP_TS);
    return new FeatureInputs(
        each(customers, cutoffs, signup.isNull().or(at.visible(signup))),
        each(transactions, cutoffs, at.visible(col(Transactions.ORDER_TS))),
        each(tickets, cutoffs, at.visible(col(SupportTickets.OPENED_TS))),
        each(webEvents, cutoffs, at.visible(col(WebEvents.EVENT_TS))),
        each(surveys, cutoffs, at.visible(col(Surveys.RESPONSE_TS))));
  }

  private static Dataset<Row> each(Dataset<Row> silver, Dataset<Row> cutoffs, Column visible) {
    return Cutoffs.each(silver, cutoffs, visible.and(PointInTime.inEffect(silver, Cutoffs.COLUMN)));
  }

  /** Every source's current versions: what the sources say today (labels, outcomes). */
  public FeatureInputs current() {
    return new FeatureInputs(PointInTime.current(customers), PointInTime.current(transactions),
        PointInTime.current(tickets), PointInTime.current(webEvents), PointInTime.current(surveys));
  }

  public FeatureInputs {
    Objects.requireNonNull(customers, "customers");
    Objects.requireNonNull(transactions, "transactions");
    Objects.requireNonNull(tickets, "tickets");
    Objects.requireNonNull(webEvents, "webEvents");
    Objects.requireNonNull(surveys, "surveys");
  }

  /**
   * The same inputs, each cached on first use (memory, spilling to disk): for jobs that compute
   * features at many cut-offs, so each source is read from Delta once rather than once per cut-off
   * (every Delta scan of a new query also plans its files with a Spark job of its own).
   * {@link #unpersist()} releases them.
   */
  public FeatureInputs persist() {
    return new FeatureInputs(customers.persist(StorageLevel.MEMORY_AND_DISK()),
        transactions.persist(StorageLevel.MEMORY_AND_DISK()), tickets.persist(StorageLevel.MEMORY_AND_DISK()),
        webEvents.persist(StorageLevel.MEMORY_AND_DISK()), surveys.persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /** Releases what {@link #persist()} cached. */
  public void unpersist() {
    customers.unpersist();
    transactions.unpersist();
    tickets.unpersist();
    webEvents.unpersist();
    surveys.unpersist();
  }
}
