package io.cxlake.common.features;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import java.util.Objects;
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
  /** The silver tables of the warehouse; transactions are required, the other sources optional. */
  public static FeatureInputs read(JobInputs read) {
    return new FeatureInputs(
        read.silverOrEmpty(Customers.TABLE),
        read.required(Transactions.TABLE),
        read.silverOrEmpty(SupportTickets.TABLE),
        read.silverOrEmpty(WebEvents.TABLE),
        read.silverOrEmpty(Surveys.TABLE));
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
