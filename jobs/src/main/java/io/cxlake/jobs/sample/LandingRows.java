package io.cxlake.jobs.sample;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.jobs.sample.CustomerHistory.OrderLine;
import io.cxlake.jobs.sample.CustomerHistory.SurveyResponse;
import io.cxlake.jobs.sample.CustomerHistory.Ticket;
import io.cxlake.jobs.sample.CustomerHistory.WebEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a customer's history as the clean landing rows of one source: every value as text,
 * timestamps {@code yyyy-MM-dd HH:mm:ss} UTC, amounts with two decimals, null where unknown.
 */
final class LandingRows {
  private LandingRows() {}

  /** The clean rows of a per-customer source. */
  static List<String[]> of(SampleSource source, CustomerHistory history) {
    return switch (source) {
      case CUSTOMERS -> List.<String[]>of(customer(history));
      case TRANSACTIONS -> history.orderLines().stream().map(LandingRows::transaction).toList();
      case SUPPORT_TICKETS -> history.tickets().stream().map(LandingRows::ticket).toList();
      case WEB_EVENTS -> history.webEvents().stream().map(LandingRows::webEvent).toList();
      case SURVEYS -> history.surveys().stream().map(LandingRows::survey).toList();
      case PRODUCTS -> throw new IllegalArgumentException(
          "Cannot generate sample: products come from the catalogue, not from a customer (" + source + ")");
    };
  }

  /** The catalogue's rows. */
  static List<String[]> products(ProductCatalogue catalogue) {
    SampleSource s = SampleSource.PRODUCTS;
    List<String[]> rows = new ArrayList<>();
    for (ProductCatalogue.Product p : catalogue.products()) {
      String[] row = s.newRow();
      row[s.position(Products.PRODUCT_ID)] = p.id();
      row[s.position(Products.NAME)] = p.name();
      row[s.position(Products.CATEGORY)] = p.category();
      row[s.position(Products.PRICE)] = Ids.money(p.price());
      rows.add(row);
    }
    return rows;
  }

  private static String[] customer(CustomerHistory h) {
    SampleSource s = SampleSource.CUSTOMERS;
    CustomerHistory.Profile p = h.profile();
    String[] row = s.newRow();
    row[s.position(Customers.CUSTOMER_ID)] = p.customerId();
    row[s.position(Customers.SIGNUP_TS)] = Ids.timestamp(p.signupSec());
    row[s.position(Customers.COUNTRY)] = p.country();
    row[s.position(Customers.ACQUISITION_CHANNEL)] = p.acquisitionChannel();
    row[s.position(Customers.EMAIL)] = p.email();
    row[s.position(Customers.PHONE)] = p.phone();
    row[s.position(Customers.MARKETING_OPT_IN)] = Boolean.toString(p.marketingOptIn());
    return row;
  }

  private static String[] transaction(OrderLine l) {
    SampleSource s = SampleSource.TRANSACTIONS;
    String[] row = s.newRow();
    row[s.position(Transactions.TRANSACTION_ID)] = l.transactionId();
    row[s.position(Transactions.ORDER_ID)] = l.orderId();
    row[s.position(Transactions.CUSTOMER_ID)] = l.customerId();
    row[s.position(Transactions.ORDER_TS)] = Ids.timestamp(l.orderSec());
    row[s.position(Transactions.PRODUCT_ID)] = l.productId();
    row[s.position(Transactions.CATEGORY)] = l.category();
    row[s.position(Transactions.QUANTITY)] = Integer.toString(l.quantity());
    row[s.position(Transactions.UNIT_PRICE)] = Ids.money(l.unitPrice());
    row[s.position(Transactions.DISCOUNT)] = Ids.money(l.discount());
    row[s.position(Transactions.CURRENCY)] = l.currency();
    row[s.position(Transactions.CHANNEL)] = l.channel();
    row[s.position(Transactions.STATUS)] = l.status();
    return row;
  }

  private static String[] ticket(Ticket t) {
    SampleSource s = SampleSource.SUPPORT_TICKETS;
    String[] row = s.newRow();
    row[s.position(SupportTickets.TICKET_ID)] = t.ticketId();
    row[s.position(SupportTickets.CUSTOMER_ID)] = t.customerId();
    row[s.position(SupportTickets.OPENED_TS)] = Ids.timestamp(t.openedSec());
    row[s.position(SupportTickets.FIRST_RESPONSE_TS)] =
        t.firstResponseSec() == null ? null : Ids.timestamp(t.firstResponseSec());
    row[s.position(SupportTickets.RESOLVED_TS)] = t.resolvedSec() == null ? null : Ids.timestamp(t.resolvedSec());
    row[s.position(SupportTickets.CHANNEL)] = t.channel();
    row[s.position(SupportTickets.TOPIC)] = t.topic();
    row[s.position(SupportTickets.PRIORITY)] = t.priority();
    row[s.position(SupportTickets.STATUS)] = t.status();
    row[s.position(SupportTickets.CONTACTS)] = Integer.toString(t.contacts());
    row[s.position(SupportTickets.REOPENED)] = Boolean.toString(t.reopened());
    row[s.position(SupportTickets.CSAT)] = t.csat() == null ? null : Integer.toString(t.csat());
    return row;
  }

  private static String[] webEvent(WebEvent e) {
    SampleSource s = SampleSource.WEB_EVENTS;
    String[] row = s.newRow();
    row[s.position(WebEvents.EVENT_ID)] = e.eventId();
    row[s.position(WebEvents.EVENT_TS)] = Ids.timestamp(e.eventSec());
    row[s.position(WebEvents.EVENT_TYPE)] = e.eventType();
    row[s.position(WebEvents.CUSTOMER_ID)] = e.customerId();
    row[s.position(WebEvents.ANONYMOUS_ID)] = e.anonymousId();
    row[s.position(WebEvents.SESSION_ID)] = e.sessionId();
    row[s.position(WebEvents.PRODUCT_ID)] = e.productId();
    row[s.position(WebEvents.PAGE)] = e.page();
    row[s.position(WebEvents.DEVICE)] = e.device();
    return row;
  }

  private static String[] survey(SurveyResponse r) {
    SampleSource s = SampleSource.SURVEYS;
    String[] row = s.newRow();
    row[s.position(Surveys.RESPONSE_ID)] = r.responseId();
    row[s.position(Surveys.CUSTOMER_ID)] = r.customerId();
    row[s.position(Surveys.RESPONSE_TS)] = Ids.timestamp(r.responseSec());
    row[s.position(Surveys.SURVEY_TYPE)] = r.surveyType();
    row[s.position(Surveys.SCORE)] = Integer.toString(r.score());
    row[s.position(Surveys.TOUCHPOINT)] = r.touchpoint();
    row[s.position(Surveys.TICKET_ID)] = r.ticketId();
    row[s.position(Surveys.COMMENT)] = r.comment();
    return row;
  }
}
