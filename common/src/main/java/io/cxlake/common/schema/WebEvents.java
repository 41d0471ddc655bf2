package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;

/** The web_events source: clickstream, one row per event. */
public final class WebEvents {
  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TS = "event_ts";
  public static final String EVENT_TYPE = "event_type";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String ANONYMOUS_ID = "anonymous_id";
  public static final String SESSION_ID = "session_id";
  public static final String PRODUCT_ID = "product_id";
  public static final String PAGE = "page";
  public static final String DEVICE = "device";
  /** Derived at ingest: the customer the event is attributed to after identity stitching. */
  public static final String RESOLVED_CUSTOMER_ID = "resolved_customer_id";
  /** Derived at ingest: when the attribution became known (the identifying event's time). */
  public static final String RESOLVED_TS = "resolved_ts";
  /** Derived at ingest: whether session_id was derived from 30-minute inactivity. */
  public static final String SESSION_DERIVED = "session_derived";

  public static final String PAGE_VIEW = "page_view";
  public static final String PRODUCT_VIEW = "product_view";
  public static final String SEARCH = "search";
  public static final String ADD_TO_CART = "add_to_cart";
  public static final String CHECKOUT_START = "checkout_start";
  public static final String PURCHASE = "purchase";
  public static final String HELP_VIEW = "help_view";
  public static final String EMAIL_CLICK = "email_click";
  public static final String PUSH_OPEN = "push_open";

  public static final SourceContract CONTRACT = new SourceContract(
      "web_events",
      new SourceContract.Columns()
          .string(EVENT_ID).timestamp(EVENT_TS)
          .string(EVENT_TYPE, CUSTOMER_ID, ANONYMOUS_ID, SESSION_ID, PRODUCT_ID, PAGE, DEVICE)
          .build(),
      List.of(EVENT_ID, EVENT_TS, EVENT_TYPE),
      EVENT_ID,
      Optional.of(EVENT_TS),
      Optional.of(CUSTOMER_ID),
      Set.of(),
      Map.of(EVENT_TYPE, Set.of(PAGE_VIEW, PRODUCT_VIEW, SEARCH, ADD_TO_CART, CHECKOUT_START,
          PURCHASE, HELP_VIEW, EMAIL_CLICK, PUSH_OPEN)));

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.of(
          EVENT_ID, "Event identifier (unique).",
          EVENT_TS, "When the event happened (UTC).",
          EVENT_TYPE, "page_view, product_view, search, add_to_cart, checkout_start, purchase, "
              + "help_view, email_click or push_open.",
          CUSTOMER_ID, "Logged-in customer as exported; null when anonymous.",
          ANONYMOUS_ID, "Device/cookie identifier of the visitor.",
          SESSION_ID, "Session as exported, or derived from 30 minutes of inactivity (see session_derived).",
          PRODUCT_ID, "Product the event concerns, if any.",
          PAGE, "Page path or name.",
          DEVICE, "Device type."),
      List.of(
          field(RESOLVED_CUSTOMER_ID, DataTypes.StringType,
              "Customer after identity stitching: the event's own customer_id, else the customer "
                  + "who logged in within the same session or on the same anonymous_id."),
          field(RESOLVED_TS, DataTypes.TimestampType,
              "When the attribution became known: the identifying event's time. A point-in-time "
                  + "job uses resolved_customer_id only when resolved_ts is before its cut-off."),
          field(SESSION_DERIVED, DataTypes.BooleanType,
              "True when session_id was absent and derived from 30 minutes of inactivity.")),
      "Cleaned web events with identity stitching and sessions, one row per event_id.");

  private WebEvents() {}
}
