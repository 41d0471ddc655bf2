package io.cxlake.common.features;

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
  public FeatureInputs {
    Objects.requireNonNull(customers, "customers");
    Objects.requireNonNull(transactions, "transactions");
    Objects.requireNonNull(tickets, "tickets");
    Objects.requireNonNull(webEvents, "webEvents");
    Objects.requireNonNull(surveys, "surveys");
  }
}
