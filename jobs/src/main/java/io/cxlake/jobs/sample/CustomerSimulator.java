package io.cxlake.jobs.sample;

import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.jobs.sample.CustomerHistory.OrderLine;
import io.cxlake.jobs.sample.CustomerHistory.Profile;
import io.cxlake.jobs.sample.CustomerHistory.SurveyResponse;
import io.cxlake.jobs.sample.CustomerHistory.Ticket;
import io.cxlake.jobs.sample.CustomerHistory.Truth;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one customer's whole history as a pure function of (parameters, seed, customer index).
 *
 * <p>The customer signs up, makes a first purchase within three days, then purchases as a Poisson
 * process with rate lambda and, after every repeat purchase, drops out with probability p_eff
 * (BG/NBD). Each bad support experience and each detractor NPS response known before a purchase
 * multiplies the customer's survival odds (1 - p) by 0.75 at that purchase, which is how the
 * brief's "experience, not discounts" is planted. Order values follow Gamma-Gamma; tickets and
 * surveys hang off purchases; the clickstream is delegated to {@link WebSimulator} on its own
 * random stream, so generating it or not leaves every other source unchanged.
 *
 * <p>Each part of the model draws from one sequential random stream in a fixed order, so a source
 * can be regenerated in a separate pass and still agree with the others.
 */
final class CustomerSimulator implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "NL", "ES", "CA", "AU"};
  private static final double[] COUNTRY_WEIGHTS = {0.35, 0.13, 0.12, 0.10, 0.06, 0.07, 0.09, 0.08};

  static final String[] ACQUISITION_CHANNELS =
      {"organic_search", "paid_search", "social", "referral", "email", "affiliate"};
  private static final double[] ACQUISITION_WEIGHTS = {0.30, 0.22, 0.15, 0.10, 0.13, 0.10};
  /** Referred and e-mail-acquired customers stay longer; social and affiliate ones churn sooner. */
  static final double[] DROPOUT_MULTIPLIER = {1.0, 1.15, 1.4, 0.6, 0.75, 1.3};
  private static final double MAX_DROPOUT_P = 0.95;

  static final String[] SALES_CHANNELS = {"web", "app", "store", "phone"};
  private static final double[] SALES_CHANNEL_ALPHAS = {2.0, 1.5, 0.8, 0.3};

  static final String[] CONTACT_CHANNELS = {"phone", "email", "chat", "social", "store"};
  private static final double[] CONTACT_WEIGHTS = {0.25, 0.30, 0.30, 0.08, 0.07};
  static final int CONTACT_PHONE = 0;
  private static final int CONTACT_EMAIL = 1;
  private static final int CONTACT_STORE = 4;

  private static final String[] PURCHASE_TOPICS = {"delivery", "product", "returns", "payment"};
  private static final double[] PURCHASE_TOPIC_WEIGHTS = {0.35, 0.30, 0.20, 0.15};
  private static final String[] OTHER_TOPICS = {"account", "technical", "other"};
  private static final double[] OTHER_TOPIC_WEIGHTS = {0.40, 0.35, 0.25};
  private static final String[] PRIORITIES = {"low", "normal", "high"};
  private static final double[] PRIORITY_WEIGHTS = {0.30, 0.55, 0.15};

  private static final double[] LINES_WEIGHTS = {0.45, 0.30, 0.15, 0.10};

  static final long MINUTE = 60;
  static final long HOUR = 3600;
  static final long DAY = 86_400;
  static final long WEEK = 7 * DAY;
  private static final double YEAR_SEC = 365.25 * DAY;

  private static final double OPT_IN_SHARE = 0.70;
  private static final double SIGNUP_RECENCY_EXPONENT = 0.8;
  private static final double TICKET_AFTER_PURCHASE = 0.12;
  private static final double OTHER_TICKETS_PER_YEAR = 0.25;
  /** Orders with an extra line that is sent back. */
  private static final double RETURN_SHARE = 0.08;
  private static final double CANCELLED_ORDER_SHARE = 0.05;
  private static final double POST_PURCHASE_SURVEY = 0.10;
  private static final double POST_SUPPORT_SURVEY = 0.40;
  private static final double NPS_PER_YEAR = 1.0;
  private static final double STUCK_TICKET = 0.08;
  private static final double CSAT_GIVEN = 0.60;
  /** Support takes longer than this to resolve: a bad experience (the brief's 72 h). */
  static final double SLOW_RESOLUTION_HOURS = 72;
  /** Ticket CSAT at or below this: a bad experience. */
  static final int BAD_CSAT = 2;
  /** Each bad experience multiplies the survival odds (1 - p) by this factor. */
  static final double SURVIVAL_FACTOR_PER_BAD_EXPERIENCE = 0.75;
  static final int DETRACTOR_MAX_SCORE = 6;
  private static final long RECENT_TICKET_WINDOW = 30 * DAY;

  private static final String[] DETRACTOR_COMMENTS = {
      "Support never got back to me", "Delivery was late again", "Too many problems with my orders",
      "Hard to reach anyone", "Not worth the money"};
  private static final String[] PASSIVE_COMMENTS = {
      "OK overall", "Fine but delivery could be faster", "Decent prices", "Average experience"};
  private static final String[] PROMOTER_COMMENTS = {
      "Great service", "Fast delivery and friendly staff", "Love the product range",
      "Always a smooth experience"};

  private static final long SALT_CORE = 1;

  private final PopulationParams params;
  private final ProductCatalogue catalogue;

  CustomerSimulator(PopulationParams params, ProductCatalogue catalogue) {
    this.params = params;
    this.catalogue = catalogue;
  }

  PopulationParams params() {
    return params;
  }

  /**
   * The history of customer {@code index}.
   *
   * @param withWeb whether to simulate the clickstream too (only the web_events pass needs it)
   */
  CustomerHistory simulate(long index, boolean withWeb) {
    return new Run(index).simulate(withWeb);
  }

  /** A ticket with its full (uncensored) outcome, before it is cut at the end of the history. */
  private static final class TicketDraft {
    long openedSec;
    String topic;
    String channel;
    String priority;
    double firstResponseHours;
    double resolveHours;
    boolean stuck;
    int contacts;
    boolean reopened;
    double csatLatent;
    boolean csatGiven;
    boolean surveyWanted;
    long surveyDelaySec;
    double surveyNoise;
    /** When the customer learns the ticket went badly, or null when it went well or too late. */
    Long badSec;
  }

  /** The mutable state of one simulation; never leaves {@link #simulate}. */
  private static double cents(double amount) {
    return Math.round(amount * 100) / 100.0;
  }

  private final class Run {
    private final long index;
    private final String customerId;
    private final SplittableRandom rng;
    private final long start = params.startSec();
    private final long end = params.endSec();

    private Profile profile;
    private double[] categoryPreference;
    private double[] salesChannelPreference;
    private double discountAffinity;
    private int contactPreference;
    private double baseSatisfaction;
    private double nu;
    private String currency;

    private final List<OrderLine> lines = new ArrayList<>();
    private final List<WebSimulator.WebOrder> webOrders = new ArrayList<>();
    private final List<TicketDraft> tickets = new ArrayList<>();
    private final List<SurveyResponse> surveys = new ArrayList<>();
    private final List<Long> detractorTimes = new ArrayList<>();
    private List<Long> npsTimes;
    private int npsNext;
    private int orderSeq;
    private Long firstPurchase;

    Run(long index) {
      this.index = index;
      this.customerId = Ids.customerId(index);
      this.rng = new SplittableRandom(Samplers.streamSeed(params.seed(), index, SALT_CORE));
    }

    CustomerHistory simulate(boolean withWeb) {
      long signup = start + (long) ((end - start) * StrictMath.pow(rng.nextDouble(), SIGNUP_RECENCY_EXPONENT));
      int country = Samplers.categorical(rng, COUNTRY_WEIGHTS);
      int acquisition = Samplers.categorical(rng, ACQUISITION_WEIGHTS);
      boolean optIn = Samplers.bernoulli(rng, OPT_IN_SHARE);
      double lambda = Samplers.gamma(rng, params.r()) / params.alpha();
      double p = Math.min(MAX_DROPOUT_P, Samplers.beta(rng, params.a(), params.b()) * DROPOUT_MULTIPLIER[acquisition]);
      nu = Samplers.gamma(rng, params.ggQ()) / params.ggGamma();
      categoryPreference = Samplers.dirichlet(rng, 0.5, ProductCatalogue.CATEGORIES.size());
      salesChannelPreference = Samplers.dirichlet(rng, SALES_CHANNEL_ALPHAS);
      discountAffinity = Samplers.beta(rng, 1.5, 8.5);
      contactPreference = Samplers.categorical(rng, CONTACT_WEIGHTS);
      baseSatisfaction = Samplers.normal(rng);
      currency = currencyOf(COUNTRIES[country]);
      profile = new Profile(customerId, signup, COUNTRIES[country], ACQUISITION_CHANNELS[acquisition],
          "customer" + index + "@example.com", "+1-555-" + Ids.pad(index % 10_000_000L, 7), optIn);

      List<TicketDraft> otherTickets = new ArrayList<>();
      for (long t : poissonTimes(signup, end, OTHER_TICKETS_PER_YEAR / YEAR_SEC)) {
        otherTickets.add(ticket(t, OTHER_TOPICS[Samplers.categorical(rng, OTHER_TOPIC_WEIGHTS)]));
      }
      tickets.addAll(otherTickets);
      npsTimes = poissonTimes(signup, end, NPS_PER_YEAR / YEAR_SEC);

      int purchases = 0;
      Long dropout = null;
      double t = signup + Samplers.uniform(rng, 0, 3 * DAY);
      while (t < end) {
        long purchaseSec = (long) t;
        purchases++;
        if (firstPurchase == null) {
          firstPurchase = purchaseSec;
        }
        order(purchaseSec, false);
        afterPurchase(purchaseSec);
        // BG/NBD: the first purchase marks the start of the relationship; dropout follows repeats.
        if (purchases >= 2) {
          answerNpsBefore(purchaseSec);
          int effects = badBefore(purchaseSec) + countBefore(detractorTimes, purchaseSec);
          double pEff = 1 - (1 - p) * StrictMath.pow(SURVIVAL_FACTOR_PER_BAD_EXPERIENCE, effects);
          if (Samplers.bernoulli(rng, pEff)) {
            dropout = purchaseSec;
            break;
          }
        }
        t += Samplers.exponential(rng, lambda) * WEEK;
        // At most one purchase per UTC day: the BTYD summary merges a day's purchases into one, so
        // a second purchase that day would sum two order values (no longer Gamma-Gamma) without
        // adding a transaction. The process is memoryless, so it restarts at the next midnight.
        long nextMidnight = Math.floorDiv(purchaseSec, DAY) * DAY + DAY;
        if (t < nextMidnight) {
          t = nextMidnight + Samplers.exponential(rng, lambda) * WEEK;
        }
      }
      long aliveUntil = dropout != null ? dropout : end;
      answerNpsBefore(aliveUntil);
      // A dropped-out customer raises no unprompted tickets; tickets about earlier orders remain.
      tickets.removeIf(d -> otherTickets.contains(d) && d.openedSec >= aliveUntil);

      List<Ticket> finalTickets = finishTickets();
      int badExperiences = (int) tickets.stream().filter(d -> d.badSec != null && d.badSec < end).count();
      List<SurveyResponse> allSurveys = numberSurveys();
      lines.sort(Comparator.comparingLong(OrderLine::orderSec).thenComparing(OrderLine::transactionId));

      List<CustomerHistory.WebEvent> web = List.of();
      if (withWeb) {
        List<WebSimulator.WebTicket> webTickets = new ArrayList<>();
        for (Ticket tk : finalTickets) {
          webTickets.add(new WebSimulator.WebTicket(tk.openedSec(), tk.topic()));
        }
        web = WebSimulator.simulate(params, catalogue, new WebSimulator.Context(
            index, customerId, signup, dropout, lambda, categoryPreference, contactPreference == CONTACT_PHONE,
            optIn, webOrders, webTickets));
      }
      Truth truth = new Truth(customerId, profile.acquisitionChannel(), lambda, p, nu, params.ggP() / nu,
          firstPurchase, dropout, dropout == null, purchases, badExperiences, !detractorTimes.isEmpty(),
          ProductCatalogue.CATEGORIES.get(argMax(categoryPreference)));
      return new CustomerHistory(profile, List.copyOf(lines), finalTickets, allSurveys, web, truth);
    }

    private void afterPurchase(long purchaseSec) {
      if (Samplers.bernoulli(rng, TICKET_AFTER_PURCHASE)) {
        long opened = purchaseSec + (long) Samplers.uniform(rng, 0, 7 * DAY);
        TicketDraft draft = ticket(opened, PURCHASE_TOPICS[Samplers.categorical(rng, PURCHASE_TOPIC_WEIGHTS)]);
        if (opened < end) {
          tickets.add(draft);
        }
      }
      if (Samplers.bernoulli(rng, POST_PURCHASE_SURVEY)) {
        long at = purchaseSec + (long) Samplers.uniform(rng, DAY, 7 * DAY);
        double latent = 4.2 + 0.5 * baseSatisfaction - 0.5 * badBefore(purchaseSec) + 0.8 * Samplers.normal(rng);
        int score = clamp((int) Math.round(latent), 1, 5);
        String comment = comment(score >= 4 ? 10 : score == 3 ? 7 : 0);
        if (at < end) {
          surveys.add(new SurveyResponse(null, customerId, at, Surveys.TYPE_CSAT, score, "post_purchase", null, comment));
        }
      }
      // Cancelled orders are abandoned attempts, outside the BG/NBD purchase process.
      if (Samplers.bernoulli(rng, CANCELLED_ORDER_SHARE)) {
        long at = purchaseSec + (long) Samplers.uniform(rng, HOUR, 10 * DAY);
        if (at < end) {
          order(at, true);
        }
      }
    }

    /**
     * One order: a Gamma-Gamma value, what the customer pays net of discounts, split over 1-4
     * lines of preferred products. A returned item is an extra line on top of that value (a
     * bracketing purchase sent back), so the net value of the completed lines stays the draw.
     */
    private void order(long orderSec, boolean cancelled) {
      String orderId = "O" + Ids.pad(index, 8) + "-" + Ids.pad(++orderSeq, 4);
      double value = Samplers.gamma(rng, params.ggP()) / nu;
      int lineCount = 1 + Samplers.categorical(rng, LINES_WEIGHTS);
      double[] shares = lineCount == 1 ? new double[] {1} : Samplers.dirichlet(rng, 1.0, lineCount);
      String channel = SALES_CHANNELS[Samplers.categorical(rng, salesChannelPreference)];
      String completed = cancelled ? Transactions.STATUS_CANCELLED : Transactions.STATUS_COMPLETED;
      List<String> productIds = new ArrayList<>();
      for (int i = 0; i < lineCount; i++) {
        ProductCatalogue.Product product = pickNew(productIds);
        double net = value * shares[i];
        // A discounted line lists the gross price: net / (1 - d), with d of 5-25 %.
        double gross = Samplers.bernoulli(rng, discountAffinity) ? net / (1 - Samplers.uniform(rng, 0.05, 0.25)) : net;
        int quantity = (int) Math.max(1, Math.round(gross / product.price()));
        double unitPrice = Math.max(0.01, cents(gross / quantity));
        double discount = Math.max(0, cents(quantity * unitPrice - net));
        lines.add(new OrderLine(orderId + "-" + (i + 1), orderId, customerId, orderSec, product.id(),
            product.category(), quantity, unitPrice, discount, currency, channel, completed));
      }
      if (!cancelled && Samplers.bernoulli(rng, RETURN_SHARE)) {
        ProductCatalogue.Product product = pickNew(productIds);
        lines.add(new OrderLine(orderId + "-" + (lineCount + 1), orderId, customerId, orderSec, product.id(),
            product.category(), 1, product.price(), 0, currency, channel, Transactions.STATUS_RETURNED));
      }
      webOrders.add(new WebSimulator.WebOrder(orderSec, channel, List.copyOf(productIds), cancelled));
    }

    /** A product of the customer's preferred categories, avoiding (three tries) those already in the order. */
    private ProductCatalogue.Product pickNew(List<String> productIds) {
      ProductCatalogue.Product product = catalogue.pickByPreference(rng, categoryPreference);
      for (int retry = 0; retry < 3 && productIds.contains(product.id()); retry++) {
        product = catalogue.pickByPreference(rng, categoryPreference);
      }
      productIds.add(product.id());
      return product;
    }

    /** A ticket's complete outcome; every draw happens here so the draw order never varies. */
    private TicketDraft ticket(long opened, String topic) {
      TicketDraft d = new TicketDraft();
      d.openedSec = opened;
      d.topic = topic;
      int channel = Samplers.bernoulli(rng, 0.75) ? contactPreference : rng.nextInt(CONTACT_CHANNELS.length);
      d.channel = CONTACT_CHANNELS[channel];
      d.priority = PRIORITIES[Samplers.categorical(rng, PRIORITY_WEIGHTS)];
      double responseMedian = channel == CONTACT_EMAIL ? 8 : channel == CONTACT_PHONE || channel == CONTACT_STORE ? 1 : 3;
      d.firstResponseHours = Samplers.lognormal(rng, responseMedian, 0.9);
      d.stuck = Samplers.bernoulli(rng, STUCK_TICKET);
      double resolve = d.stuck ? Samplers.uniform(rng, 120, 720) : Samplers.lognormal(rng, 20, 1.1);
      d.resolveHours = Math.max(resolve, d.firstResponseHours + 0.25);
      boolean slow = d.stuck || d.resolveHours > SLOW_RESOLUTION_HOURS;
      double extraContacts = 0.25 + 0.5 * StrictMath.log1p(d.resolveHours / 24);
      d.contacts = 1 + Math.min(4, Samplers.poisson(rng, extraContacts));
      d.reopened = Samplers.bernoulli(rng, slow ? 0.15 : 0.05);
      d.csatLatent = 4.4 + 0.3 * baseSatisfaction - 1.3 * (slow ? 1 : 0) - 0.9 * (d.reopened ? 1 : 0)
          - 0.35 * (d.contacts - 1) + 0.8 * Samplers.normal(rng);
      d.csatGiven = Samplers.bernoulli(rng, CSAT_GIVEN);
      d.surveyWanted = Samplers.bernoulli(rng, POST_SUPPORT_SURVEY);
      d.surveyDelaySec = (long) Samplers.uniform(rng, 10 * MINUTE, 48 * HOUR);
      d.surveyNoise = 0.6 * Samplers.normal(rng);

      Long resolved = resolvedSec(d);
      Long bad = slow ? opened + (long) (SLOW_RESOLUTION_HOURS * HOUR) : null;
      if (resolved != null && d.csatGiven && csat(d) <= BAD_CSAT) {
        bad = bad == null ? resolved : Math.min(bad, resolved);
      }
      d.badSec = bad;
      return d;
    }

    /** Resolution time as seen at the end of the history; null while still open. */
    private Long resolvedSec(TicketDraft d) {
      // Stuck tickets of the last month are still open; older ones were eventually resolved late.
      if (d.stuck && d.openedSec >= end - RECENT_TICKET_WINDOW) {
        return null;
      }
      long resolved = d.openedSec + (long) (d.resolveHours * HOUR);
      return resolved < end ? resolved : null;
    }

    private int csat(TicketDraft d) {
      return clamp((int) Math.round(d.csatLatent), 1, 5);
    }

    private List<Ticket> finishTickets() {
      tickets.sort(Comparator.comparingLong(d -> d.openedSec));
      List<Ticket> out = new ArrayList<>();
      int seq = 0;
      for (TicketDraft d : tickets) {
        String ticketId = "T" + Ids.pad(index, 8) + "-" + Ids.pad(++seq, 3);
        long firstResponse = d.openedSec + (long) (d.firstResponseHours * HOUR);
        Long resolved = resolvedSec(d);
        Integer csat = resolved != null && d.csatGiven ? csat(d) : null;
        out.add(new Ticket(ticketId, customerId, d.openedSec, firstResponse < end ? firstResponse : null,
            resolved, d.channel, d.topic, d.priority, resolved != null ? "resolved" : "open", d.contacts,
            resolved != null && d.reopened, csat));
        if (resolved != null && d.surveyWanted && resolved + d.surveyDelaySec < end) {
          int score = clamp((int) Math.round(d.csatLatent + d.surveyNoise), 1, 5);
          surveys.add(new SurveyResponse(null, customerId, resolved + d.surveyDelaySec, Surveys.TYPE_CSAT, score,
              "post_support", ticketId, null));
        }
      }
      return List.copyOf(out);
    }

    /**
     * Relationship NPS surveys due before {@code cutoff}, answered from a latent satisfaction that
     * each earlier bad support experience lowers, so detractors follow bad experiences.
     */
    private void answerNpsBefore(long cutoff) {
      while (npsNext < npsTimes.size() && npsTimes.get(npsNext) < cutoff) {
        long at = npsTimes.get(npsNext++);
        if (firstPurchase == null || at < firstPurchase) {
          continue;
        }
        double latent = 8.2 + 1.4 * baseSatisfaction - 2.2 * badBefore(at) + 1.1 * Samplers.normal(rng);
        int score = clamp((int) Math.round(latent), 0, 10);
        if (score <= DETRACTOR_MAX_SCORE) {
          detractorTimes.add(at);
        }
        surveys.add(new SurveyResponse(null, customerId, at, Surveys.TYPE_NPS, score, "relationship", null,
            comment(score)));
      }
    }

    private String comment(int npsLikeScore) {
      if (!Samplers.bernoulli(rng, 0.25)) {
        return null;
      }
      String[] pool = npsLikeScore <= DETRACTOR_MAX_SCORE ? DETRACTOR_COMMENTS
          : npsLikeScore <= 8 ? PASSIVE_COMMENTS : PROMOTER_COMMENTS;
      return pool[rng.nextInt(pool.length)];
    }

    private List<SurveyResponse> numberSurveys() {
      surveys.sort(Comparator.comparingLong(SurveyResponse::responseSec));
      List<SurveyResponse> out = new ArrayList<>(surveys.size());
      int seq = 0;
      for (SurveyResponse s : surveys) {
        out.add(new SurveyResponse("R" + Ids.pad(index, 8) + "-" + Ids.pad(++seq, 3), s.customerId(),
            s.responseSec(), s.surveyType(), s.score(), s.touchpoint(), s.ticketId(), s.comment()));
      }
      return List.copyOf(out);
    }

    private int badBefore(long at) {
      int n = 0;
      for (TicketDraft d : tickets) {
        if (d.badSec != null && d.badSec < at) {
          n++;
        }
      }
      return n;
    }

    private List<Long> poissonTimes(long from, long until, double ratePerSec) {
      List<Long> times = new ArrayList<>();
      double t = from + Samplers.exponential(rng, ratePerSec);
      while (t < until) {
        times.add((long) t);
        t += Samplers.exponential(rng, ratePerSec);
      }
      return times;
    }
  }

  private static int countBefore(List<Long> times, long at) {
    int n = 0;
    for (long t : times) {
      if (t < at) {
        n++;
      }
    }
    return n;
  }

  static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static String currencyOf(String country) {
    return switch (country) {
      case "GB" -> "GBP";
      case "US", "CA", "AU" -> "USD";
      default -> "EUR";
    };
  }
}
