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
}
