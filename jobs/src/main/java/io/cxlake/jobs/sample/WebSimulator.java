package io.cxlake.jobs.sample;

import static io.cxlake.jobs.sample.CustomerSimulator.DAY;
import static io.cxlake.jobs.sample.CustomerSimulator.HOUR;
import static io.cxlake.jobs.sample.CustomerSimulator.MINUTE;
import static io.cxlake.jobs.sample.CustomerSimulator.WEEK;

import io.cxlake.common.schema.WebEvents;
import io.cxlake.jobs.sample.CustomerHistory.WebEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The clickstream of one customer (and, for about 5% of indexes, of an extra anonymous visitor who
 * never logs in), built on top of the customer's simulated orders and tickets.
 *
 * <p>Sessions are drafted from several processes (a session for every web/app purchase, help pages
 * before about half of the tickets, browse-without-buy episodes, e-mail clicks and push opens by
 * engagement preference, and background browsing at three times the purchase rate that decays
 * after dropout), then accepted in that priority order only where they keep more than 30 minutes
 * from every accepted session of the same person. That guarantees what ingest relies on when it
 * derives missing session ids: gaps inside a session are under 30 minutes, gaps between sessions
 * over 30 minutes.
 */
final class WebSimulator {
  private static final long SALT_WEB = 2;
  private static final long SALT_VISITOR = 3;
  private static final long SALT_ANONYMOUS_ID = 0xA1D0L << 32;
  private static final long SALT_SESSION = 0x5E55L << 32;
  private static final long SALT_VISITOR_SESSION = 0x5E56L << 32;

  private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
  private static final double[] DEVICE_WEIGHTS = {0.45, 0.45, 0.10};
  private static final int MOBILE = 1;
  private static final String[] CAMPAIGNS = {"weekly-newsletter", "new-arrivals", "winback", "seasonal-sale"};

  /** Sessions of one person keep at least this far apart: more than the 30-minute inactivity rule. */
  private static final long SESSION_GAP = 31 * MINUTE;
  private static final double BROWSE_RATE_PER_PURCHASE_RATE = 3;
  private static final long POST_DROPOUT_DECAY = 30 * DAY;
  private static final double CLICKS_PER_DAY_ENGAGED = 1.0 / 21;
  private static final double CLICKS_PER_DAY_UNENGAGED = 1.0 / 240;
  private static final double SESSION_ID_PRESENT = 0.70;
  private static final double EXTRA_VISITOR = 0.05;
  /** Tuned so that about a quarter of all add-to-cart sessions end without a purchase. */
  private static final double BROWSE_ADD_TO_CART = 0.11;

  private static final int PRIORITY_PURCHASE = 0;
  private static final int PRIORITY_HELP = 1;
  private static final int PRIORITY_EPISODE = 2;
  private static final int PRIORITY_CAMPAIGN = 3;
  private static final int PRIORITY_BROWSE = 4;

  private WebSimulator() {}

  /** An order as the clickstream needs it. */
  record WebOrder(long orderSec, String channel, List<String> productIds, boolean cancelled) {}

  /** A ticket as the clickstream needs it. */
  record WebTicket(long openedSec, String topic) {}

  /** What the clickstream depends on from the customer's simulated history. */
  record Context(
      long index,
      String customerId,
      long signupSec,
      Long dropoutSec,
      double lambdaPerWeek,
      double[] categoryPreference,
      boolean prefersPhone,
      boolean marketingOptIn,
      List<WebOrder> orders,
      List<WebTicket> tickets) {}

  private record Draft(String type, String productId, String page) {}

  /**
   * A drafted session.
   *
   * @param loginAt index of the first event that carries the customer id: 0 = logged in throughout,
   *     events.size() = anonymous throughout
   */
  private record Session(int priority, long[] times, List<Draft> events, int device, int loginAt) {
    long first() {
      return times[0];
    }

    long last() {
      return times[times.length - 1];
    }
  }

  private enum Engagement { EMAIL, PUSH, NONE }

  /** The customer's events and those of the extra anonymous visitor of this index, if any. */
  static List<WebEvent> simulate(PopulationParams params, ProductCatalogue catalogue, Context ctx) {
    List<WebEvent> events = new ArrayList<>(customerEvents(params, catalogue, ctx));
    events.addAll(visitorEvents(params, catalogue, ctx.index()));
    return events;
  }

  private static List<WebEvent> customerEvents(PopulationParams params, ProductCatalogue catalogue, Context ctx) {
    SplittableRandom rng = new SplittableRandom(Samplers.streamSeed(params.seed(), ctx.index(), SALT_WEB));
    long end = params.endSec();
    long aliveUntil = ctx.dropoutSec() != null ? ctx.dropoutSec() : end;

    Engagement engagement = engagement(rng, ctx);
    int deviceCount = Samplers.bernoulli(rng, 0.45) ? 2 : 1;
    int[] deviceTypes = new int[deviceCount];
    String[] anonymousIds = new String[deviceCount];
    for (int i = 0; i < deviceCount; i++) {
      deviceTypes[i] = Samplers.categorical(rng, DEVICE_WEIGHTS);
      anonymousIds[i] = "anon-" + Samplers.hexId(params.seed(), ctx.index(), SALT_ANONYMOUS_ID + i);
    }
    int mobile = -1;
    for (int i = 0; i < deviceCount; i++) {
      if (deviceTypes[i] == MOBILE) {
        mobile = i;
      }
    }
    if (engagement == Engagement.PUSH && mobile < 0) {
      // Push notifications need the app, so a push-engaged customer owns a phone.
      mobile = deviceCount - 1;
      deviceTypes[mobile] = MOBILE;
    }

    List<Session> drafts = new ArrayList<>();
    for (WebOrder order : ctx.orders()) {
      if (!order.cancelled() && (order.channel().equals("web") || order.channel().equals("app"))) {
        int device = order.channel().equals("app") && mobile >= 0 ? mobile : rng.nextInt(deviceCount);
        drafts.add(purchaseSession(rng, catalogue, ctx, order, device));
      }
    }
    for (WebTicket ticket : ctx.tickets()) {
      if (Samplers.bernoulli(rng, 0.5)) {
        drafts.add(helpSession(rng, ticket, rng.nextInt(deviceCount)));
      }
    }
    browseWithoutBuy(rng, catalogue, ctx, aliveUntil, deviceCount, drafts);
    double clickRate = engagement == Engagement.NONE
        ? (ctx.marketingOptIn() ? CLICKS_PER_DAY_UNENGAGED : 0) : CLICKS_PER_DAY_ENGAGED;
    for (long t : poissonTimes(rng, ctx.signupSec(), aliveUntil, clickRate / DAY)) {
      boolean push = engagement == Engagement.PUSH && mobile >= 0;
      drafts.add(campaignSession(rng, catalogue, ctx.categoryPreference(), t, push,
          push ? mobile : rng.nextInt(deviceCount)));
    }
    double browseRate = BROWSE_RATE_PER_PURCHASE_RATE * ctx.lambdaPerWeek() / WEEK;
    for (long t : poissonTimes(rng, ctx.signupSec(), aliveUntil, browseRate)) {
      drafts.add(browseSession(rng, catalogue, ctx.categoryPreference(), t, rng.nextInt(deviceCount), false));
    }
    if (ctx.dropoutSec() != null) {
      // Interest fades after dropout rather than stopping dead.
      for (long t : poissonTimes(rng, aliveUntil, end, browseRate)) {
        boolean keep = Samplers.bernoulli(rng, StrictMath.exp(-(double) (t - aliveUntil) / POST_DROPOUT_DECAY));
        Session s = browseSession(rng, catalogue, ctx.categoryPreference(), t, rng.nextInt(deviceCount), false);
        if (keep) {
          drafts.add(s);
        }
      }
    }

    List<WebEvent> events = new ArrayList<>();
    int eventSeq = 0;
    int sessionNo = 0;
    for (Session s : accept(drafts, params.startSec(), end)) {
      sessionNo++;
      String sessionId = Samplers.bernoulli(rng, SESSION_ID_PRESENT)
          ? "S" + Samplers.hexId(params.seed(), ctx.index(), SALT_SESSION + sessionNo) : null;
      for (int i = 0; i < s.events().size(); i++) {
        Draft d = s.events().get(i);
        events.add(new WebEvent("E" + Ids.pad(ctx.index(), 8) + "-" + Ids.pad(++eventSeq, 6), s.times()[i],
            d.type(), i >= s.loginAt() ? ctx.customerId() : null, anonymousIds[s.device()], sessionId,
            d.productId(), d.page(), DEVICES[deviceTypes[s.device()]]));
      }
    }
    return events;
  }

  /** About 5% of indexes also bring a visitor who browses on one device and never logs in. */
  private static List<WebEvent> visitorEvents(PopulationParams params, ProductCatalogue catalogue, long index) {
    SplittableRandom rng = new SplittableRandom(Samplers.streamSeed(params.seed(), index, SALT_VISITOR));
    if (!Samplers.bernoulli(rng, EXTRA_VISITOR)) {
      return List.of();
    }
    String anonymousId = "anon-" + Samplers.hexId(params.seed(), index, SALT_VISITOR);
    String device = DEVICES[Samplers.categorical(rng, DEVICE_WEIGHTS)];
    double[] preference = Samplers.dirichlet(rng, 0.5, ProductCatalogue.CATEGORIES.size());
    int sessions = 1 + Samplers.poisson(rng, 2);
    List<Session> drafts = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      long t = params.startSec() + (long) Samplers.uniform(rng, 0, params.endSec() - params.startSec());
      drafts.add(browseSession(rng, catalogue, preference, t, 0, true));
    }
    List<WebEvent> events = new ArrayList<>();
    int eventSeq = 0;
    int sessionNo = 0;
    for (Session s : accept(drafts, params.startSec(), params.endSec())) {
      sessionNo++;
      String sessionId = Samplers.bernoulli(rng, SESSION_ID_PRESENT)
          ? "S" + Samplers.hexId(params.seed(), index, SALT_VISITOR_SESSION + sessionNo) : null;
      for (int i = 0; i < s.events().size(); i++) {
        Draft d = s.events().get(i);
        events.add(new WebEvent("E" + Ids.pad(index, 8) + "-A" + Ids.pad(++eventSeq, 5), s.times()[i], d.type(),
            null, anonymousId, sessionId, d.productId(), d.page(), device));
      }
    }
    return events;
  }

  /** Phone-preferring customers rarely click; others split between e-mail, push and neither. */
  private static Engagement engagement(SplittableRandom rng, Context ctx) {
    double u = rng.nextDouble();
    Engagement e;
    if (ctx.prefersPhone()) {
      e = u < 0.10 ? Engagement.EMAIL : u < 0.15 ? Engagement.PUSH : Engagement.NONE;
    } else {
      e = u < 0.40 ? Engagement.EMAIL : u < 0.65 ? Engagement.PUSH : Engagement.NONE;
    }
    // Marketing e-mail needs consent.
    return e == Engagement.EMAIL && !ctx.marketingOptIn() ? Engagement.NONE : e;
  }

  /** page_view, product views of the order's products, add_to_cart, checkout_start, purchase at order time. */
  private static Session purchaseSession(SplittableRandom rng, ProductCatalogue catalogue, Context ctx,
      WebOrder order, int device) {
    List<Draft> events = new ArrayList<>();
    events.add(landingPage(rng, catalogue, ctx.categoryPreference()));
    for (int i = Samplers.intBetween(rng, 0, 2); i > 0; i--) {
      String other = catalogue.pickByPreference(rng, ctx.categoryPreference()).id();
      events.add(new Draft(WebEvents.PRODUCT_VIEW, other, productPage(other)));
    }
    for (String product : order.productIds()) {
      events.add(new Draft(WebEvents.PRODUCT_VIEW, product, productPage(product)));
    }
    int firstCart = events.size();
    for (String product : order.productIds()) {
      events.add(new Draft(WebEvents.ADD_TO_CART, product, "/cart"));
    }
    events.add(new Draft(WebEvents.CHECKOUT_START, null, "/checkout"));
    events.add(new Draft(WebEvents.PURCHASE, null, "/checkout/confirmation"));
    // Buyers log in at the latest when they put something in the cart.
    int loginAt = Samplers.bernoulli(rng, 0.70) ? 0 : Samplers.intBetween(rng, 1, firstCart);
    return backward(rng, PRIORITY_PURCHASE, order.orderSec(), events, device, loginAt);
  }

  private static Session helpSession(SplittableRandom rng, WebTicket ticket, int device) {
    List<Draft> events = new ArrayList<>();
    events.add(new Draft(WebEvents.PAGE_VIEW, null, "/help"));
    events.add(new Draft(WebEvents.HELP_VIEW, null, "/help/" + ticket.topic()));
    if (Samplers.bernoulli(rng, 0.4)) {
      events.add(new Draft(WebEvents.HELP_VIEW, null, "/help/contact"));
    }
    long last = ticket.openedSec() - (long) Samplers.uniform(rng, 5 * MINUTE, 6 * HOUR);
    return backward(rng, PRIORITY_HELP, last, events, device, loginMode(rng, events.size(), 0.6, 0.3));
  }

  /**
   * Some customers look at one product again and again for about a week and do not buy it: the
   * brief's trigger for a targeted offer on that product.
   */
  private static void browseWithoutBuy(SplittableRandom rng, ProductCatalogue catalogue, Context ctx,
      long aliveUntil, int deviceCount, List<Session> drafts) {
    if (!Samplers.bernoulli(rng, 0.2) || aliveUntil - ctx.signupSec() < 10 * DAY) {
      return;
    }
    long episodeStart = ctx.signupSec() + (long) Samplers.uniform(rng, 0, aliveUntil - ctx.signupSec() - 8 * DAY);
    String product = null;
    for (int attempt = 0; attempt < 3 && product == null; attempt++) {
      String candidate = catalogue.pickByPreference(rng, ctx.categoryPreference()).id();
      if (!boughtAround(ctx.orders(), candidate, episodeStart)) {
        product = candidate;
      }
    }
    if (product == null) {
      return;
    }
    int sessions = Samplers.intBetween(rng, 3, 6);
    for (int i = 0; i < sessions; i++) {
      long t = episodeStart + (long) Samplers.uniform(rng, 0, 7 * DAY);
      List<Draft> events = new ArrayList<>();
      events.add(landingPage(rng, catalogue, ctx.categoryPreference()));
      events.add(new Draft(WebEvents.PRODUCT_VIEW, product, productPage(product)));
      if (Samplers.bernoulli(rng, 0.4)) {
        events.add(new Draft(WebEvents.PRODUCT_VIEW, product, productPage(product)));
      }
      drafts.add(forward(rng, PRIORITY_EPISODE, t, events, rng.nextInt(deviceCount),
          loginMode(rng, events.size(), 0.6, 0.3)));
    }
  }

  private static boolean boughtAround(List<WebOrder> orders, String product, long episodeStart) {
    for (WebOrder o : orders) {
      if (o.orderSec() >= episodeStart - DAY && o.orderSec() < episodeStart + 21 * DAY
          && o.productIds().contains(product)) {
        return true;
      }
    }
    return false;
  }

  /** An e-mail click or push open; the link identifies the customer, so it is logged in. */
  private static Session campaignSession(SplittableRandom rng, ProductCatalogue catalogue, double[] preference,
      long at, boolean push, int device) {
    String campaign = CAMPAIGNS[rng.nextInt(CAMPAIGNS.length)];
    List<Draft> events = new ArrayList<>();
    String product = Samplers.bernoulli(rng, 0.5) ? catalogue.pickByPreference(rng, preference).id() : null;
    events.add(push
        ? new Draft(WebEvents.PUSH_OPEN, product, "/app/push/" + campaign)
        : new Draft(WebEvents.EMAIL_CLICK, product, "/campaign/" + campaign));
    events.add(product != null ? new Draft(WebEvents.PRODUCT_VIEW, product, productPage(product))
        : new Draft(WebEvents.PAGE_VIEW, null, "/"));
    for (int i = Samplers.intBetween(rng, 0, 2); i > 0; i--) {
      String other = catalogue.pickByPreference(rng, preference).id();
      events.add(new Draft(WebEvents.PRODUCT_VIEW, other, productPage(other)));
    }
    return forward(rng, PRIORITY_CAMPAIGN, at, events, device, 0);
  }

  /**
   * Background browsing of preferred categories; a few sessions fill a cart and leave it, some of
   * those after starting checkout (abandoned carts).
   */
  private static Session browseSession(SplittableRandom rng, ProductCatalogue catalogue, double[] preference,
      long at, int device, boolean anonymous) {
    List<Draft> events = new ArrayList<>();
    events.add(landingPage(rng, catalogue, preference));
    if (Samplers.bernoulli(rng, 0.2)) {
      events.add(new Draft(WebEvents.SEARCH, null, "/search"));
    }
    String last = null;
    for (int i = 1 + Math.min(5, Samplers.poisson(rng, 1.2)); i > 0; i--) {
      last = catalogue.pickByPreference(rng, preference).id();
      events.add(new Draft(WebEvents.PRODUCT_VIEW, last, productPage(last)));
    }
    if (Samplers.bernoulli(rng, BROWSE_ADD_TO_CART)) {
      events.add(new Draft(WebEvents.ADD_TO_CART, last, "/cart"));
      if (Samplers.bernoulli(rng, 0.5)) {
        events.add(new Draft(WebEvents.CHECKOUT_START, null, "/checkout"));
      }
    }
    int loginAt = anonymous ? events.size() : loginMode(rng, events.size(), 0.55, 0.30);
    return forward(rng, PRIORITY_BROWSE, at, events, device, loginAt);
  }

  private static Draft landingPage(SplittableRandom rng, ProductCatalogue catalogue, double[] preference) {
    if (Samplers.bernoulli(rng, 0.5)) {
      return new Draft(WebEvents.PAGE_VIEW, null, "/");
    }
    String category = ProductCatalogue.CATEGORIES.get(Samplers.categorical(rng, preference));
    return new Draft(WebEvents.PAGE_VIEW, null, "/category/" + category);
  }

  private static String productPage(String productId) {
    return "/product/" + productId;
  }

  /**
   * Where the customer id appears: logged in throughout, logged in mid-session (the first events
   * are anonymous), or anonymous throughout (stitched only through a later login on the device).
   */
  private static int loginMode(SplittableRandom rng, int eventCount, double loggedIn, double midSession) {
    double u = rng.nextDouble();
    if (u < loggedIn || eventCount == 1) {
      return 0;
    }
    if (u < loggedIn + midSession) {
      return Samplers.intBetween(rng, 1, eventCount - 1);
    }
    return eventCount;
  }

  private static Session forward(SplittableRandom rng, int priority, long start, List<Draft> events, int device,
      int loginAt) {
    long[] times = new long[events.size()];
    long t = start;
    for (int i = 0; i < times.length; i++) {
      if (i > 0) {
        t += gap(rng);
      }
      times[i] = t;
    }
    return new Session(priority, times, List.copyOf(events), device, loginAt);
  }

  private static Session backward(SplittableRandom rng, int priority, long last, List<Draft> events, int device,
      int loginAt) {
    long[] times = new long[events.size()];
    long t = last;
    for (int i = times.length - 1; i >= 0; i--) {
      if (i < times.length - 1) {
        t -= gap(rng);
      }
      times[i] = t;
    }
    return new Session(priority, times, List.copyOf(events), device, loginAt);
  }

  /** Seconds between two events of a session: always far below the 30-minute inactivity rule. */
  private static long gap(SplittableRandom rng) {
    return (long) Samplers.uniform(rng, 8, 300);
  }

  /**
   * Keeps sessions inside the history and more than 30 minutes apart from each other, higher
   * priority first; returns them in time order.
   */
  private static List<Session> accept(List<Session> drafts, long start, long end) {
    List<Session> ordered = new ArrayList<>(drafts);
    ordered.sort(Comparator.comparingInt(Session::priority).thenComparingLong(Session::first));
    TreeMap<Long, Session> accepted = new TreeMap<>();
    for (Session s : ordered) {
      if (s.first() < start || s.last() >= end) {
        continue;
      }
      Map.Entry<Long, Session> before = accepted.floorEntry(s.first());
      if (before != null && s.first() - before.getValue().last() < SESSION_GAP) {
        continue;
      }
      Map.Entry<Long, Session> after = accepted.ceilingEntry(s.first());
      if (after != null && after.getKey() - s.last() < SESSION_GAP) {
        continue;
      }
      accepted.put(s.first(), s);
    }
    return new ArrayList<>(accepted.values());
  }

  private static List<Long> poissonTimes(SplittableRandom rng, long from, long until, double ratePerSec) {
    List<Long> times = new ArrayList<>();
    if (ratePerSec <= 0) {
      return times;
    }
    double t = from + Samplers.exponential(rng, ratePerSec);
    while (t < until) {
      times.add((long) t);
      t += Samplers.exponential(rng, ratePerSec);
    }
    return times;
  }
}
