package io.cxlake.jobs.kpis;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The silver tables the KPIs are computed from, each with its silver schema. An absent optional
 * source is an empty frame of its schema, never null; its metrics then have no rows.
 *
 * @param transactions silver transactions (required)
 * @param tickets silver support_tickets
 * @param webEvents silver web_events (sessions already derived)
 * @param surveys silver surveys
 */
public record KpiInputs(Dataset<Row> transactions, Dataset<Row> tickets, Dataset<Row> webEvents,
    Dataset<Row> surveys) {
  public KpiInputs {
    Objects.requireNonNull(transactions, "transactions");
    Objects.requireNonNull(tickets, "tickets");
    Objects.requireNonNull(webEvents, "webEvents");
    Objects.requireNonNull(surveys, "surveys");
  }
}
