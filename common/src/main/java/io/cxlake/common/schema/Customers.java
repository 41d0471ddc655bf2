package io.cxlake.common.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The customers source: one row per customer. Optional in a landing zone. */
public final class Customers {
  public static final String CUSTOMER_ID = "customer_id";
  public static final String SIGNUP_TS = "signup_ts";
  public static final String COUNTRY = "country";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String MARKETING_OPT_IN = "marketing_opt_in";

  public static final SourceContract CONTRACT = new SourceContract(
      "customers",
      new SourceContract.Columns()
          .string(CUSTOMER_ID).timestamp(SIGNUP_TS).string(COUNTRY, ACQUISITION_CHANNEL, EMAIL, PHONE)
          .bool(MARKETING_OPT_IN).timestamp(SilverHistory.UPDATED_TS).build(),
      List.of(CUSTOMER_ID),
      CUSTOMER_ID,
      Optional.of(SIGNUP_TS),
      Optional.of(CUSTOMER_ID),
      Set.of(EMAIL, PHONE),
      Map.of());

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.of(
          CUSTOMER_ID, "Business customer identifier.",
          SIGNUP_TS, "When the customer signed up (UTC).",
          COUNTRY, "Customer country.",
          ACQUISITION_CHANNEL, "Channel that acquired the customer (e.g. paid_search, referral).",
          EMAIL, "E-mail address (PII; silver only, never in gold tables).",
          PHONE, "Phone number (PII; silver only, never in gold tables).",
          MARKETING_OPT_IN, "Whether the customer consented to marketing contact."),
      List.of(),
      "Cleaned customers from the landing zone, one row per customer_id.");

  private Customers() {}
}
