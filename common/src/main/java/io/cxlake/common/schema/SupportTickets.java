package io.cxlake.common.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The support_tickets source: one row per ticket, in its latest known state. */
public final class SupportTickets {
  public static final String TICKET_ID = "ticket_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String OPENED_TS = "opened_ts";
  public static final String FIRST_RESPONSE_TS = "first_response_ts";
  public static final String RESOLVED_TS = "resolved_ts";
  public static final String CHANNEL = "channel";
  public static final String TOPIC = "topic";
  public static final String PRIORITY = "priority";
  public static final String STATUS = "status";
  public static final String CONTACTS = "contacts";
  public static final String REOPENED = "reopened";
  public static final String CSAT = "csat";

  public static final SourceContract CONTRACT = new SourceContract(
      "support_tickets",
      new SourceContract.Columns()
          .string(TICKET_ID, CUSTOMER_ID).timestamp(OPENED_TS, FIRST_RESPONSE_TS, RESOLVED_TS)
          .string(CHANNEL, TOPIC, PRIORITY, STATUS).integer(CONTACTS).bool(REOPENED).integer(CSAT)
          .timestamp(SilverHistory.UPDATED_TS).build(),
      List.of(TICKET_ID, CUSTOMER_ID, OPENED_TS),
      TICKET_ID,
      Optional.of(OPENED_TS),
      Optional.of(CUSTOMER_ID),
      Set.of(),
      Map.of(
          CHANNEL, Set.of("phone", "email", "chat", "social", "store"),
          TOPIC, Set.of("payment", "delivery", "product", "returns", "account", "technical", "other")));

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.ofEntries(
          Map.entry(TICKET_ID, "Ticket identifier (unique)."),
          Map.entry(CUSTOMER_ID, "Customer who raised the ticket."),
          Map.entry(OPENED_TS, "When the ticket was opened (UTC)."),
          Map.entry(FIRST_RESPONSE_TS, "First agent response (UTC); null if none yet."),
          Map.entry(RESOLVED_TS, "Resolution time (UTC); null while unresolved."),
          Map.entry(CHANNEL, "Contact channel: phone, email, chat, social or store."),
          Map.entry(TOPIC, "payment, delivery, product, returns, account, technical or other."),
          Map.entry(PRIORITY, "Ticket priority as exported."),
          Map.entry(STATUS, "Ticket status as exported."),
          Map.entry(CONTACTS, "Interactions until resolved; 1 means first-contact resolution."),
          Map.entry(REOPENED, "Whether the ticket was reopened after resolution."),
          Map.entry(CSAT, "Customer satisfaction with the ticket, 1-5.")),
      List.of(),
      "Cleaned support tickets from the landing zone, one row per ticket_id.");

  private SupportTickets() {}
}
