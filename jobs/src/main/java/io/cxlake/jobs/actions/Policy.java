package io.cxlake.jobs.actions;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * From candidate actions to at most one action per customer and day: cooldown, eligibility
 * (consent and open-complaint suppression for marketing), priority, the weekly contact cap and the
 * deterministic control group, in that order.
 */
public final class Policy {
  /** Hash buckets of the control group: a customer is in control when bucket < control-share x BUCKETS. */
  public static final long BUCKETS = 10_000L;

  static final String PRIORITY = "_priority";
  static final String DEFAULT_CHANNEL = "_default_channel";
  static final String COOLDOWN = "_cooldown_days";
  static final String UPLIFT = "_uplift";

  private static final String CUSTOMER_ID = NextBestActions.CUSTOMER_ID;

  private Policy() {}

  /** A rule's candidates with the rule's settings as columns. */
  static Dataset<Row> withRule(Dataset<Row> candidates, ActionsConfig.Rule rule) {
    return candidates
        .withColumn(PRIORITY, lit(rule.priority()))
        .withColumn(NextBestActions.MARKETING, lit(rule.marketing()))
        .withColumn(NextBestActions.CAMPAIGN, lit(rule.campaign()))
        .withColumn(DEFAULT_CHANNEL, lit(rule.defaultChannel()))
        .withColumn(COOLDOWN, lit(rule.cooldownDays()))
        .withColumn(UPLIFT, lit(rule.uplift()));
  }

  /** The control-group bucket of a customer in a campaign, 0..BUCKETS-1, the same every day. */
  static Column bucket(Column customerId, Column campaign) {
    return pmod(xxhash64(customerId, campaign), lit(BUCKETS));
  }

  /**
   * The next_best_actions rows of the day (without as_of_date).
   *
   * @param candidates every rule's candidates, each {@link #withRule with its settings}
   * @param customer360 the customer_360 of the day (consent, preferred channel, open tickets)
   * @param history next_best_actions rows of the days before (at least the cap week and the longest
   *     cooldown); may be empty
   */
  static Dataset<Row> choose(Dataset<Row> candidates, Dataset<Row> customer360, Dataset<Row> history, AsOf asOf,
      ActionsConfig config) {
    Column day = asOf.dateLit();
    // Cooldown: a rule that delivered (or held out) the customer recently does not fire again.
    Dataset<Row> recent = history
        .filter(col(NextBestActions.STATUS).isin(NextBestActions.STATUS_DELIVER, NextBestActions.STATUS_CONTROL))
        .select(col(CUSTOMER_ID).as("_h_customer"), col(NextBestActions.ACTION).as("_h_action"),
            col(NextBestActions.AS_OF_DATE).as("_h_date"));
    Dataset<Row> fresh = candidates.join(recent, col(CUSTOMER_ID).equalTo(col("_h_customer"))
        .and(col(NextBestActions.ACTION).equalTo(col("_h_action")))
        .and(col("_h_date").geq(date_sub(day, col(COOLDOWN))))
        .and(col("_h_date").lt(day)), "left_anti");

    Column marketing = col(NextBestActions.MARKETING);
    Column consent = coalesce(col(Customer360.MARKETING_OPT_IN), lit(false));
    Column consentOk = marketing.unary_$bang().or(consent);
    Column noComplaint = lit(!config.suppressWithOpenTicket())
        .or(coalesce(col(Customer360.OPEN_TICKETS), lit(0L)).equalTo(0));
    Column complaintOk = marketing.unary_$bang().or(noComplaint);
    Dataset<Row> judged = fresh
        .join(customer360.select(Customer360.CUSTOMER_ID, Customer360.MARKETING_OPT_IN, Customer360.PREFERRED_CHANNEL,
            Customer360.OPEN_TICKETS), Joins.on(CUSTOMER_ID), "left")
        .withColumn("_eligible", consentOk.and(complaintOk))
        .withColumn("_blocked_by", when(consentOk.unary_$bang(), lit(NextBestActions.NO_CONSENT))
            .when(complaintOk.unary_$bang(), lit(NextBestActions.OPEN_COMPLAINT)));
    // The eligible action with the smallest priority; when none is eligible, the top one, suppressed.
    Dataset<Row> chosen = judged
        .withColumn("_pick", row_number().over(Window.partitionBy(CUSTOMER_ID)
            .orderBy(col("_eligible").desc(), col(PRIORITY))))
        .filter(col("_pick").equalTo(1));

    Dataset<Row> delivered = history
        .filter(col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER)
            .and(col(NextBestActions.AS_OF_DATE).geq(date_sub(day, 6))).and(col(NextBestActions.AS_OF_DATE).lt(day)))
        .groupBy(CUSTOMER_ID)
        .agg(count(lit(1)).as("_delivered_week"));
    Column eligible = col("_eligible");
    Column capped = eligible.and(coalesce(col("_delivered_week"), lit(0L)).geq(config.maxPerWeek()));
    Column control = bucket(col(CUSTOMER_ID), col(NextBestActions.CAMPAIGN))
        .lt(Math.round(config.controlShare() * BUCKETS));
    return chosen.join(delivered, Joins.on(CUSTOMER_ID), "left")
        .select(
            col(CUSTOMER_ID),
            col(NextBestActions.ACTION),
            col(NextBestActions.CAMPAIGN),
            col(PRIORITY).as(NextBestActions.PRIORITY),
            when(eligible.unary_$bang().or(capped), lit(NextBestActions.STATUS_SUPPRESSED))
                .when(control, lit(NextBestActions.STATUS_CONTROL))
                .otherwise(lit(NextBestActions.STATUS_DELIVER)).as(NextBestActions.STATUS),
            when(eligible.unary_$bang(), col("_blocked_by"))
                .when(capped, lit(NextBestActions.CONTACT_CAP)).as(NextBestActions.SUPPRESSION_REASON),
            col(NextBestActions.MARKETING),
            coalesce(col(Customer360.PREFERRED_CHANNEL), col(DEFAULT_CHANNEL)).as(NextBestActions.CHANNEL),
            col(NextBestActions.REASON),
            col(NextBestActions.TRIGGER_DATA),
            col(NextBestActions.PRODUCT_ID),
            col(UPLIFT).multiply(col(Triggers.VALUE)).as(NextBestActions.EXPECTED_VALUE));
  }
}
