package io.cxlake.jobs.actions;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one actions run: the contact policy and one block per trigger rule.
 *
 * @param catalog the warehouse
 * @param asOf the day the actions are for
 * @param maxPerWeek delivered actions per customer in any 7 days ({@code actions.max-per-week})
 * @param controlShare share of triggered customers held out per campaign ({@code actions.control-share})
 * @param suppressWithOpenTicket no marketing while a ticket is open
 *     ({@code actions.suppress-marketing-with-open-ticket})
 * @param winBack {@code actions.win-back}
 * @param browse {@code actions.browse-abandon}
 * @param recovery {@code actions.service-recovery}
 * @param vip {@code actions.vip}
 * @param onboarding {@code actions.onboarding}
 */
public record ActionsConfig(
    TableCatalog catalog,
    AsOf asOf,
    int maxPerWeek,
    double controlShare,
    boolean suppressWithOpenTicket,
    WinBack winBack,
    Browse browse,
    Recovery recovery,
    Vip vip,
    Onboarding onboarding) {

  /** Channels an action can be sent through. */
  public static final Set<String> CHANNELS = Set.of("email", "push", "phone");

  /**
   * What every rule has.
   *
   * @param action the action name (next_best_actions.action)
   * @param enabled whether the rule runs
   * @param priority 1 = first; distinct per rule
   * @param marketing whether the action needs consent and is suppressed by an open ticket
   * @param campaign campaign name, the key of the control group
   * @param defaultChannel channel when the customer shows no preference
   * @param cooldownDays days before the rule may fire again for the customer
   * @param uplift expected relative effect, times the value at stake = expected_value
   */
  public record Rule(String action, boolean enabled, int priority, boolean marketing, String campaign,
      String defaultChannel, int cooldownDays, double uplift) {
    public Rule {
      String key = "actions." + ActionsConfig.configName(action);
      if (priority < 1) {
        throw new IllegalArgumentException("Cannot configure " + key + ".priority: must be positive (" + priority + ")");
      }
      if (campaign == null || campaign.isBlank()) {
        throw new IllegalArgumentException("Cannot configure " + key + ".campaign: must not be empty (" + campaign + ")");
      }
      if (!CHANNELS.contains(defaultChannel)) {
        throw new IllegalArgumentException("Cannot configure " + key + ".default-channel: expected one of email, push, "
            + "phone (" + defaultChannel + ")");
      }
      if (cooldownDays < 0) {
        throw new IllegalArgumentException("Cannot configure " + key + ".cooldown-days: must not be negative ("
            + cooldownDays + ")");
      }
      if (uplift < 0 || uplift > 1) {
        throw new IllegalArgumentException("Cannot configure " + key + ".uplift: must be in [0, 1] (" + uplift + ")");
      }
    }

    static Rule from(CxConfig c, String action) {
      String p = "actions." + configName(action) + ".";
      return new Rule(action, c.getBoolean(p + "enabled"), c.getInt(p + "priority"), c.getBoolean(p + "marketing"),
          c.getString(p + "campaign"), c.getString(p + "default-channel"), c.getInt(p + "cooldown-days"),
          c.getDouble(p + "uplift"));
    }
  }

  /**
   * Win-back: the flat inactivity rule, and the earlier cadence rule for repeat buyers.
   *
   * @param inactiveDays no purchase for this many days ({@code actions.win-back.inactive-days})
   * @param gapMultiplier cadence: this many of the customer's mean gaps between purchases
   *     ({@code actions.win-back.gap-multiplier})
   * @param minDays cadence: at least this many days ({@code actions.win-back.min-days})
   */
  public record WinBack(Rule rule, int inactiveDays, double gapMultiplier, int minDays) {
    public WinBack {
      positive("win-back.inactive-days", inactiveDays);
      if (gapMultiplier < 1) {
        throw new IllegalArgumentException("Cannot configure actions.win-back.gap-multiplier: must be at least 1 ("
            + gapMultiplier + ")");
      }
      positive("win-back.min-days", minDays);
    }
  }

  /**
   * Browse abandonment: a product viewed or carted a while ago and not bought since.
   *
   * @param waitDays the latest view at least this many days ago ({@code actions.browse-abandon.wait-days})
   * @param windowDays and at most this many ({@code actions.browse-abandon.window-days})
   */
  public record Browse(Rule rule, int waitDays, int windowDays) {
    public Browse {
      positive("browse-abandon.wait-days", waitDays);
      if (windowDays < waitDays) {
        throw new IllegalArgumentException("Cannot configure actions.browse-abandon.window-days: must be at least "
            + "wait-days " + waitDays + " (" + windowDays + ")");
      }
    }
  }

  /** Service recovery: detractor, low CSAT or a ticket open too long. */
  public record Recovery(Rule rule, int detractorMaxScore, int lowCsatMaxScore, int recentDays, int openTicketDays) {
    public Recovery {
      if (detractorMaxScore < 0 || detractorMaxScore > 10) {
        throw new IllegalArgumentException("Cannot configure actions.service-recovery.detractor-max-score: must be "
            + "0-10 (" + detractorMaxScore + ")");
      }
      if (lowCsatMaxScore < 1 || lowCsatMaxScore > 5) {
        throw new IllegalArgumentException("Cannot configure actions.service-recovery.low-csat-max-score: must be "
            + "1-5 (" + lowCsatMaxScore + ")");
      }
      positive("service-recovery.recent-days", recentDays);
      positive("service-recovery.open-ticket-days", openTicketDays);
    }
  }

  /** VIP: a first premium purchase, or CLV in the top of the base. */
  public record Vip(Rule rule, double premiumQuantile, int recentDays, double clvQuantile) {
    public Vip {
      unit("vip.premium-quantile", premiumQuantile);
      positive("vip.recent-days", recentDays);
      unit("vip.clv-quantile", clvQuantile);
    }
  }

  /** Onboarding: a follow-up some days after the first purchase. */
  public record Onboarding(Rule rule, int daysAfter, int graceDays) {
    public Onboarding {
      positive("onboarding.days-after", daysAfter);
      if (graceDays < 0) {
        throw new IllegalArgumentException("Cannot configure actions.onboarding.grace-days: must not be negative ("
            + graceDays + ")");
      }
    }
  }

  public ActionsConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    positive("max-per-week", maxPerWeek);
    if (controlShare < 0 || controlShare >= 1) {
      throw new IllegalArgumentException("Cannot configure actions.control-share: must be in [0, 1) (" + controlShare
          + ")");
    }
    List<Rule> rules = List.of(winBack.rule(), browse.rule(), recovery.rule(), vip.rule(), onboarding.rule());
    if (rules.stream().map(Rule::priority).distinct().count() != rules.size()) {
      throw new IllegalArgumentException("Cannot configure actions.*.priority: every rule needs its own priority ("
          + rules.stream().map(r -> r.action() + "=" + r.priority()).toList() + ")");
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Cannot configure actions." + key + ": must be positive (" + value + ")");
    }
  }

  private static void unit(String key, double value) {
    if (value < 0 || value > 1) {
      throw new IllegalArgumentException("Cannot configure actions." + key + ": must be in [0, 1] (" + value + ")");
    }
  }

  /** The configuration block of an action: win_back is configured under actions.win-back. */
  static String configName(String action) {
    return action.replace('_', '-');
  }

  /** Builds the config from the effective configuration. */
  public static ActionsConfig from(CxConfig c, TableCatalog catalog, AsOf asOf) {
    return new ActionsConfig(catalog, asOf,
        c.getInt("actions.max-per-week"),
        c.getDouble("actions.control-share"),
        c.getBoolean("actions.suppress-marketing-with-open-ticket"),
        new WinBack(Rule.from(c, NextBestActions.WIN_BACK), c.getInt("actions.win-back.inactive-days"),
            c.getDouble("actions.win-back.gap-multiplier"), c.getInt("actions.win-back.min-days")),
        new Browse(Rule.from(c, NextBestActions.BROWSE_ABANDON), c.getInt("actions.browse-abandon.wait-days"),
            c.getInt("actions.browse-abandon.window-days")),
        new Recovery(Rule.from(c, NextBestActions.SERVICE_RECOVERY),
            c.getInt("actions.service-recovery.detractor-max-score"),
            c.getInt("actions.service-recovery.low-csat-max-score"),
            c.getInt("actions.service-recovery.recent-days"),
            c.getInt("actions.service-recovery.open-ticket-days")),
        new Vip(Rule.from(c, NextBestActions.VIP), c.getDouble("actions.vip.premium-quantile"),
            c.getInt("actions.vip.recent-days"), c.getDouble("actions.vip.clv-quantile")),
        new Onboarding(Rule.from(c, NextBestActions.ONBOARDING), c.getInt("actions.onboarding.days-after"),
            c.getInt("actions.onboarding.grace-days")));
  }

  /** Every rule, enabled or not. */
  public List<Rule> rules() {
    return List.of(winBack.rule(), browse.rule(), recovery.rule(), vip.rule(), onboarding.rule());
  }

  /** The longest look-back into the table's own history: a week for the cap, each rule's cooldown. */
  public int historyDays() {
    return Math.max(6, rules().stream().mapToInt(Rule::cooldownDays).max().orElse(0));
  }
}
