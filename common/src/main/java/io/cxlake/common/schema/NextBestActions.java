package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The next_best_actions gold table: at most one action per customer and day, chosen by priority
 * from the trigger rules, with channel, reason, trigger data and expected value; control-group
 * and suppressed customers are kept and marked.
 */
public final class NextBestActions {
  public static final String AS_OF_DATE = "as_of_date";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String ACTION = "action";
  public static final String CAMPAIGN = "campaign";
  public static final String PRIORITY = "priority";
  public static final String STATUS = "status";
  public static final String SUPPRESSION_REASON = "suppression_reason";
  public static final String MARKETING = "marketing";
  public static final String CHANNEL = "channel";
  public static final String REASON = "reason";
  public static final String TRIGGER_DATA = "trigger_data";
  public static final String PRODUCT_ID = "product_id";
  public static final String EXPECTED_VALUE = "expected_value";

  /** action values (the trigger rules). */
  public static final String WIN_BACK = "win_back";
  public static final String BROWSE_ABANDON = "browse_abandon";
  public static final String SERVICE_RECOVERY = "service_recovery";
  public static final String VIP = "vip";
  public static final String ONBOARDING = "onboarding";

  /** status values. */
  public static final String STATUS_DELIVER = "deliver";
  public static final String STATUS_CONTROL = "control";
  public static final String STATUS_SUPPRESSED = "suppressed";

  /** suppression_reason values. */
  public static final String NO_CONSENT = "no_consent";
  public static final String OPEN_COMPLAINT = "open_complaint";
  public static final String CONTACT_CAP = "contact_cap";

  public static final TableSpec TABLE = new TableSpec(
      "next_best_actions",
      TableSpec.Layer.GOLD,
      new StructType(new StructField[] {
          field(AS_OF_DATE, DataTypes.DateType, "Day the action is for; triggers use data before its end."),
          field(CUSTOMER_ID, DataTypes.StringType, "Customer; at most one row per customer and day."),
          field(ACTION, DataTypes.StringType,
              "win_back, browse_abandon, service_recovery, vip or onboarding (docs/segments-recommendations.md)."),
          field(CAMPAIGN, DataTypes.StringType, "Campaign of the action (actions.<rule>.campaign); keys the control group."),
          field(PRIORITY, DataTypes.IntegerType, "Priority of the rule, 1 = first; the highest eligible trigger wins."),
          field(STATUS, DataTypes.StringType,
              "deliver = send it; control = held out (deterministic random control group, no contact); "
                  + "suppressed = triggered but not allowed (see suppression_reason)."),
          field(SUPPRESSION_REASON, DataTypes.StringType,
              "no_consent (marketing without opt-in), open_complaint (marketing while a ticket is open) or "
                  + "contact_cap (actions.max-per-week reached); null unless suppressed."),
          field(MARKETING, DataTypes.BooleanType, "Whether the action is marketing (needs consent) or a service contact."),
          field(CHANNEL, DataTypes.StringType,
              "Channel to use: the customer's preferred channel (email, push, phone), else the rule's default."),
          field(REASON, DataTypes.StringType, "Why the action triggered, in words."),
          field(TRIGGER_DATA, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
              "The trigger's data (e.g. recency_days, mean_gap_days, p_alive, views, score)."),
          field(PRODUCT_ID, DataTypes.StringType,
              "Product the action is about (browse_abandon offer, onboarding follow-up, VIP premium purchase)."),
          field(EXPECTED_VALUE, DataTypes.DoubleType,
              "Rough expected value: actions.<rule>.uplift x value at stake (CLV, CLV x churn risk, or product "
                  + "price); null when CLV is not available. A ranking aid, not a causal estimate.")
      }),
      List.of(AS_OF_DATE),
      List.of(AS_OF_DATE, CUSTOMER_ID),
      "Next best action per customer and day from five trigger rules, with priority, consented channel, "
          + "contact caps, suppression and a deterministic control group for uplift measurement.");

  private NextBestActions() {}
}
