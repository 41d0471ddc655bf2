package io.cxlake.jobs.sample;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Quarantine.Reason;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plants deliberately broken rows: after a real row, with probability {@code badRowRate}, a broken
 * copy of it with exactly one defect. Real rows are never altered, so the clean part of the landing
 * zone is the simulated truth. Each defect is chosen so that the ingest's rules, checked in the
 * order of {@link Reason}, reject it for its intended reason and for no earlier one; the copy gets a
 * fresh key ({@value #BAD_KEY_SUFFIX}) unless the defect is the duplicate key itself or a blank key.
 */
final class BadRows {
  /** Appended to the key of a broken copy so it never collides with a real row. */
  static final String BAD_KEY_SUFFIX = "-bad1";
  /** A timestamp with a month 13, day 45 and hour 99: unparsable in every parser. */
  static final String UNPARSABLE_TIMESTAMP = "2026-13-45 99:00:00";

  /**
   * One planted row, as recorded in the truth folder.
   *
   * @param source landing source name
   * @param recordKey the broken row's key as written, null when the defect is a blank key
   * @param reason the quarantine reason the row must get
   */
  record Planted(String source, String recordKey, Reason reason) {}

  /**
   * A source's rows with the broken copies in place.
   *
   * @param rows every landing row, real and broken, in write order
   * @param planted the broken ones
   */
  record Result(List<String[]> rows, List<Planted> planted) {}

  private BadRows() {}

  /** The clean rows, each followed by a broken copy with probability {@code rate}. */
  static Result inject(SampleSource source, List<String[]> clean, SplittableRandom rng, double rate) {
    if (rate <= 0) {
      return new Result(clean, List.of());
    }
    List<Reason> reasons = applicable(source);
    List<String[]> rows = new ArrayList<>(clean.size() + 4);
    List<Planted> planted = new ArrayList<>();
    int key = source.position(source.contract().key());
    for (String[] row : clean) {
      rows.add(row);
      if (Samplers.bernoulli(rng, rate)) {
        Reason reason = reasons.get(rng.nextInt(reasons.size()));
        String[] broken = breakRow(source, row, reason, rng);
        rows.add(broken);
        planted.add(new Planted(source.sourceName(), broken[key], reason));
      }
    }
    return new Result(rows, planted);
  }

  /** The defect classes that can occur in a source, given its columns. */
  static List<Reason> applicable(SampleSource source) {
    return switch (source) {
      case CUSTOMERS -> List.of(Reason.MISSING_REQUIRED, Reason.UNPARSABLE, Reason.FUTURE_TIMESTAMP,
          Reason.DUPLICATE_KEY);
      case PRODUCTS -> List.of(Reason.MISSING_REQUIRED, Reason.UNPARSABLE, Reason.INVALID_VALUE,
          Reason.DUPLICATE_KEY);
      case TRANSACTIONS -> List.of(Reason.MISSING_REQUIRED, Reason.UNPARSABLE, Reason.INVALID_VALUE,
          Reason.NEGATIVE_QUANTITY, Reason.FUTURE_TIMESTAMP, Reason.DUPLICATE_KEY, Reason.UNKNOWN_CUSTOMER);
      case SUPPORT_TICKETS, SURVEYS -> List.of(Reason.MISSING_REQUIRED, Reason.UNPARSABLE, Reason.INVALID_VALUE,
          Reason.SCORE_OUT_OF_RANGE, Reason.FUTURE_TIMESTAMP, Reason.DUPLICATE_KEY, Reason.UNKNOWN_CUSTOMER);
      case WEB_EVENTS -> List.of(Reason.MISSING_REQUIRED, Reason.UNPARSABLE, Reason.INVALID_VALUE,
          Reason.FUTURE_TIMESTAMP, Reason.DUPLICATE_KEY, Reason.UNKNOWN_CUSTOMER);
    };
  }

  /** A copy of the row with one defect of the given class. */
  static String[] breakRow(SampleSource source, String[] row, Reason reason, SplittableRandom rng) {
    String[] b = row.clone();
    switch (reason) {
      case MISSING_REQUIRED -> {
        List<String> required = source.contract().required();
        b[source.position(required.get(rng.nextInt(required.size())))] = null;
      }
      case UNPARSABLE -> replace(source, b, pick(rng, unparsable(source, row)));
      case INVALID_VALUE -> replace(source, b, pick(rng, invalid(source, row)));
      case NEGATIVE_QUANTITY -> {
        b[source.position(Transactions.QUANTITY)] = "-1";
        b[source.position(Transactions.STATUS)] = Transactions.STATUS_COMPLETED;
      }
      case SCORE_OUT_OF_RANGE -> replace(source, b, scoreOutOfRange(source, row));
      case FUTURE_TIMESTAMP -> moveToFuture(source, b);
      case DUPLICATE_KEY -> {
        // An exact second copy: the key must repeat.
      }
      case UNKNOWN_CUSTOMER -> b[source.position(customerColumn(source))] =
          "X" + Ids.pad(rng.nextInt(100_000_000), 8);
    }
    int key = source.position(source.contract().key());
    if (reason != Reason.DUPLICATE_KEY && b[key] != null) {
      b[key] = row[key] + BAD_KEY_SUFFIX;
    }
    return b;
  }

  /** A column and the bad text it gets. */
  private record Replacement(String column, String value) {}

  private static Replacement pick(SplittableRandom rng, List<Replacement> options) {
    return options.get(rng.nextInt(options.size()));
  }

  private static void replace(SampleSource source, String[] row, Replacement r) {
    row[source.position(r.column())] = r.value();
  }

  private static List<Replacement> unparsable(SampleSource source, String[] row) {
    return switch (source) {
      case CUSTOMERS -> List.of(new Replacement(Customers.SIGNUP_TS, UNPARSABLE_TIMESTAMP),
          new Replacement(Customers.MARKETING_OPT_IN, "maybe"));
      case PRODUCTS -> List.of(new Replacement(Products.PRICE, decimalComma(source, row, Products.PRICE)));
      case TRANSACTIONS -> List.of(new Replacement(Transactions.QUANTITY, "two"),
          new Replacement(Transactions.UNIT_PRICE, decimalComma(source, row, Transactions.UNIT_PRICE)),
          new Replacement(Transactions.ORDER_TS, UNPARSABLE_TIMESTAMP));
      case SUPPORT_TICKETS -> List.of(new Replacement(SupportTickets.OPENED_TS, UNPARSABLE_TIMESTAMP),
          new Replacement(SupportTickets.CONTACTS, "two"), new Replacement(SupportTickets.CSAT, "five"));
      case WEB_EVENTS -> List.of(new Replacement(WebEvents.EVENT_TS, UNPARSABLE_TIMESTAMP));
      case SURVEYS -> List.of(new Replacement(Surveys.SCORE, "nine"),
          new Replacement(Surveys.RESPONSE_TS, UNPARSABLE_TIMESTAMP));
    };
  }

  /** Values outside the contract's domains, or negative money where money cannot be negative. */
  private static List<Replacement> invalid(SampleSource source, String[] row) {
    List<Replacement> options = switch (source) {
      case PRODUCTS -> List.of(new Replacement(Products.PRICE, "-" + row[source.position(Products.PRICE)]));
      case TRANSACTIONS -> List.of(new Replacement(Transactions.CHANNEL, "fax"),
          new Replacement(Transactions.STATUS, "pending"), new Replacement(Transactions.DISCOUNT, "-5.00"));
      case SUPPORT_TICKETS -> List.of(new Replacement(SupportTickets.CHANNEL, "fax"),
          new Replacement(SupportTickets.TOPIC, "weather"));
      case WEB_EVENTS -> List.of(new Replacement(WebEvents.EVENT_TYPE, "hover"));
      case SURVEYS -> List.of(new Replacement(Surveys.SURVEY_TYPE, "ces"),
          new Replacement(Surveys.TOUCHPOINT, "kiosk"));
      case CUSTOMERS -> throw new IllegalArgumentException(
          "Cannot generate sample: the source has no value domain to violate (" + source.sourceName() + ")");
    };
    for (Replacement r : options) {
      Set<String> domain = source.contract().domains().get(r.column());
      if (domain != null && domain.contains(r.value())) {
        throw new IllegalStateException(
            "Cannot generate sample: planted invalid value is in the contract domain (" + r.value() + ")");
      }
    }
    return options;
  }

  private static Replacement scoreOutOfRange(SampleSource source, String[] row) {
    if (source == SampleSource.SUPPORT_TICKETS) {
      return new Replacement(SupportTickets.CSAT, "0");
    }
    boolean nps = Surveys.TYPE_NPS.equals(row[source.position(Surveys.SURVEY_TYPE)]);
    return new Replacement(Surveys.SCORE, nps ? "11" : "7");
  }

  /** "12.50" becomes "12,50": a European decimal comma a strict number parser rejects. */
  private static String decimalComma(SampleSource source, String[] row, String column) {
    return row[source.position(column)].replace('.', ',');
  }

  /**
   * Moves the row's timestamps into {@link GenerateSampleConfig#FUTURE_YEAR}, keeping their
   * spacing, so that only the future check can object (a ticket stays internally consistent).
   */
  private static void moveToFuture(SampleSource source, String[] row) {
    List<String> columns = switch (source) {
      case CUSTOMERS -> List.of(Customers.SIGNUP_TS);
      case TRANSACTIONS -> List.of(Transactions.ORDER_TS);
      case SUPPORT_TICKETS -> List.of(SupportTickets.OPENED_TS, SupportTickets.FIRST_RESPONSE_TS,
          SupportTickets.RESOLVED_TS);
      case WEB_EVENTS -> List.of(WebEvents.EVENT_TS);
      case SURVEYS -> List.of(Surveys.RESPONSE_TS);
      case PRODUCTS -> throw new IllegalArgumentException(
          "Cannot generate sample: the source has no timestamp (" + source.sourceName() + ")");
    };
    LocalDateTime primary = Ids.parseTimestamp(row[source.position(columns.get(0))]);
    Duration shift = Duration.between(primary, primary.withYear(GenerateSampleConfig.FUTURE_YEAR));
    for (String column : columns) {
      int p = source.position(column);
      if (row[p] != null) {
        row[p] = Ids.timestamp(Ids.parseTimestamp(row[p]).plus(shift));
      }
    }
  }

  private static String customerColumn(SampleSource source) {
    return source.contract().customerColumn().orElseThrow(() -> new IllegalArgumentException(
        "Cannot generate sample: the source has no customer column (" + source.sourceName() + ")"));
  }
}
