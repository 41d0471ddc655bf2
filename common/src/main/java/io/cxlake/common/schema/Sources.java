package io.cxlake.common.schema;

import java.util.List;
import java.util.Optional;

/** The landing-zone sources in ingest order (customers first: the others are checked against it). */
public final class Sources {
  public static final List<SourceContract> ALL = List.of(
      Customers.CONTRACT,
      Products.CONTRACT,
      Transactions.CONTRACT,
      SupportTickets.CONTRACT,
      WebEvents.CONTRACT,
      Surveys.CONTRACT);

  /** Sources every landing zone must have; the rest are optional. */
  public static final List<String> MANDATORY =
      List.of(Customers.CONTRACT.name(), Transactions.CONTRACT.name());

  private Sources() {}

  /** The contract of a source by name. */
  public static Optional<SourceContract> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The silver table of a source. */
  public static TableSpec table(SourceContract source) {
    return switch (source.name()) {
      case "customers" -> Customers.TABLE;
      case "products" -> Products.TABLE;
      case "transactions" -> Transactions.TABLE;
      case "support_tickets" -> SupportTickets.TABLE;
      case "web_events" -> WebEvents.TABLE;
      case "surveys" -> Surveys.TABLE;
      default -> throw new IllegalArgumentException("Cannot find silver table: unknown source (" + source.name() + ")");
    };
  }
}
