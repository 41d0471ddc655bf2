package io.cxlake.jobs.actions;

import static io.cxlake.jobs.actions.TriggersTest.AS_OF;
import static io.cxlake.jobs.actions.TriggersTest.config;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Priority, consent, open-complaint suppression, caps, cooldowns and the control group. */
@ExtendWith(SparkExtension.class)
class PolicyTest {
  private static final StructType CANDIDATE = new StructType()
      .add(Triggers.CUSTOMER_ID, DataTypes.StringType).add(Triggers.ACTION, DataTypes.StringType)
      .add(Triggers.PRODUCT_ID, DataTypes.StringType).add(Triggers.REASON, DataTypes.StringType)
      .add(Triggers.TRIGGER_DATA, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add(Triggers.VALUE, DataTypes.DoubleType);

  /** Candidates of one rule for the given customers, with the rule's settings. */
  private static Dataset<Row> candidates(SparkSession spark, ActionsConfig config, String action, String... customers) {
    ActionsConfig.Rule rule = config.rules().stream().filter(r -> r.action().equals(action)).findFirst().orElseThrow();
    List<Row> rows = new ArrayList<>();
    for (String c : customers) {
      rows.add(RowFactory.create(c, action, null, action + " for " + c, Map.of(), 100.0));
    }
    return Policy.withRule(spark.createDataFrame(rows, CANDIDATE), rule);
  }

  private static Dataset<Row> history(SparkSession spark, Object[]... rows) {
    Fixtures.Builder b = Fixtures.frame(NextBestActions.TABLE.schema());
    for (Object[] r : rows) {
      b.with(NextBestActions.AS_OF_DATE, Fixtures.date((String) r[0]), NextBestActions.CUSTOMER_ID, r[1],
          NextBestActions.ACTION, r[2], NextBestActions.STATUS, r[3]);
    }
    return b.build(spark);
  }

  private static Map<String, String> outcome(Dataset<Row> actions) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : actions.collectAsList()) {
      out.put(r.getAs(NextBestActions.CUSTOMER_ID), r.getAs(NextBestActions.ACTION) + " " + r.getAs(NextBestActions.STATUS)
          + (r.isNullAt(r.fieldIndex(NextBestActions.SUPPRESSION_REASON)) ? ""
              : " " + r.getAs(NextBestActions.SUPPRESSION_REASON))
          + " " + r.getAs(NextBestActions.CHANNEL));
    }
    return out;
  }

  @Test
  void priorityConsentSuppressionCapsAndCooldowns(SparkSession spark) {
    ActionsConfig config = config(Map.of("actions.control-share", "0"));
    Fixtures.Builder c = Fixtures.frame(Customer360.TABLE.schema());
    Object[][] customers = {
        // id, opt-in, preferred channel, open tickets
        {"A1", true, null, 0L}, {"A2", false, "email", 0L}, {"A3", true, "email", 1L}, {"A4", true, "push", 0L},
        {"A5", true, "email", 0L}, {"A6", true, "email", 0L}, {"A7", null, "email", 0L}, {"A8", false, "email", 0L}};
    for (Object[] r : customers) {
      c.with(Customer360.CUSTOMER_ID, r[0], Customer360.MARKETING_OPT_IN, r[1], Customer360.PREFERRED_CHANNEL, r[2],
          Customer360.OPEN_TICKETS, r[3]);
    }
    Dataset<Row> all = candidates(spark, config, NextBestActions.WIN_BACK, "A1", "A2", "A4", "A8")
        .unionByName(candidates(spark, config, NextBestActions.SERVICE_RECOVERY, "A1"))
        .unionByName(candidates(spark, config, NextBestActions.BROWSE_ABANDON, "A3", "A4", "A5", "A6", "A8"))
        .unionByName(candidates(spark, config, NextBestActions.VIP, "A7"));
    Dataset<Row> history = history(spark,
        new Object[] {"2026-03-27", "A5", NextBestActions.ONBOARDING, NextBestActions.STATUS_DELIVER},
        new Object[] {"2026-03-29", "A5", NextBestActions.VIP, NextBestActions.STATUS_DELIVER},
        new Object[] {"2026-03-24", "A5", NextBestActions.WIN_BACK, NextBestActions.STATUS_DELIVER},  // 7 days: outside the week
        new Object[] {"2026-03-28", "A6", NextBestActions.BROWSE_ABANDON, NextBestActions.STATUS_CONTROL});

    Map<String, String> out = outcome(Policy.choose(all, c.build(spark), history, AS_OF, config));
    assertThat(out).as("one row per customer with a live trigger").containsExactly(
        Map.entry("A1", "service_recovery deliver phone"),          // priority 1 beats win-back; service default channel
        Map.entry("A2", "win_back suppressed no_consent email"),     // marketing without opt-in
        Map.entry("A3", "browse_abandon suppressed open_complaint email"),
        Map.entry("A4", "browse_abandon deliver push"),              // priority 2 beats win-back 3; preferred channel
        Map.entry("A5", "browse_abandon suppressed contact_cap email"),  // 2 delivered in the last 6 days
        // A6: browse held out as control 3 days ago is in its 7-day cooldown: no row at all.
        Map.entry("A7", "vip suppressed no_consent email"),          // unknown consent is no consent
        Map.entry("A8", "browse_abandon suppressed no_consent email"));  // nothing eligible: the top one, suppressed
  }

  @Test
  void serviceContactsNeedNoConsentAndIgnoreOpenTickets(SparkSession spark) {
    ActionsConfig config = config(Map.of("actions.control-share", "0"));
    Dataset<Row> c = Fixtures.frame(Customer360.TABLE.schema())
        .with(Customer360.CUSTOMER_ID, "S1", Customer360.MARKETING_OPT_IN, false, Customer360.OPEN_TICKETS, 2L,
            Customer360.PREFERRED_CHANNEL, "email")
        .build(spark);
    Dataset<Row> all = candidates(spark, config, NextBestActions.SERVICE_RECOVERY, "S1")
        .unionByName(candidates(spark, config, NextBestActions.WIN_BACK, "S1"));
    Row r = Policy.choose(all, c, history(spark), AS_OF, config).first();
    assertThat(r.<String>getAs(NextBestActions.STATUS)).isEqualTo(NextBestActions.STATUS_DELIVER);
    assertThat(r.<Boolean>getAs(NextBestActions.MARKETING)).isFalse();
    assertThat(r.<Double>getAs(NextBestActions.EXPECTED_VALUE)).as("uplift 0.10 x 100").isCloseTo(10.0, within(1e-9));
  }

  @Test
  void controlGroupIsADeterministicShareByCustomerAndCampaign(SparkSession spark) {
    ActionsConfig config = config(Map.of());
    Fixtures.Builder c = Fixtures.frame(Customer360.TABLE.schema());
    String[] ids = new String[4000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "C" + i;
      c.with(Customer360.CUSTOMER_ID, ids[i], Customer360.MARKETING_OPT_IN, true, Customer360.OPEN_TICKETS, 0L);
    }
    Dataset<Row> customers = c.build(spark).cache();
    Dataset<Row> browse = candidates(spark, config, NextBestActions.BROWSE_ABANDON, ids);
    Dataset<Row> winBack = candidates(spark, config, NextBestActions.WIN_BACK, ids);
    Map<String, String> first = outcome(Policy.choose(browse, customers, history(spark), AS_OF, config));
    long control = first.values().stream().filter(v -> v.contains(" control ")).count();
    // 4,000 Bernoulli(0.1) draws: standard deviation 19, so 400 +- 60 is three of them.
    assertThat(control).as("about actions.control-share = 10% held out").isBetween(340L, 460L);

    // Another day, other candidates around them: the same customers are in control for the campaign.
    Dataset<Row> withOthers = browse.filter(col(Triggers.CUSTOMER_ID).lt("C2")).unionByName(winBack.filter(
        col(Triggers.CUSTOMER_ID).geq("C2")));
    Map<String, String> again = outcome(Policy.choose(withOthers, customers, history(spark),
        io.cxlake.common.time.AsOf.parse("2026-04-02"), config));
    for (String id : again.keySet()) {
      if (again.get(id).startsWith(NextBestActions.BROWSE_ABANDON)) {
        assertThat(again.get(id)).as(id).isEqualTo(first.get(id));
      }
    }
    List<Row> buckets = customers.select(Policy.bucket(col(Customer360.CUSTOMER_ID), lit("browse_abandon")).as("b"),
        Policy.bucket(col(Customer360.CUSTOMER_ID), lit("win_back")).as("w")).collectAsList();
    long both = buckets.stream().filter(r -> r.getLong(0) < 1000 && r.getLong(1) < 1000).count();
    assertThat(both).as("campaigns draw independent control groups (about 1% of 4,000 in both)").isBetween(15L, 70L);
  }

  @Test
  void configRejectsSharedPriorities() {
    assertThatThrownBy(() -> config(Map.of("actions.vip.priority", "1")))
        .hasMessageStartingWith("Cannot configure actions.*.priority: every rule needs its own priority");
  }
}
