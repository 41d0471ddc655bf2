package io.cxlake.jobs.sample;

import java.util.List;

/**
 * Everything one simulated customer did in the history window, in plain values: the simulator's
 * output and the only input of the landing-row writers, so every source is a view of one history.
 * Times are UTC epoch seconds.
 *
 * @param profile the customer row
 * @param orderLines order lines of purchase occasions and of cancelled orders
 * @param tickets support tickets in their state at the end of the history
 * @param surveys survey responses
 * @param webEvents clickstream of the customer's devices and, for some indexes, of an extra
 *     anonymous visitor who never logs in; empty when web activity was not requested
 * @param truth the latent parameters and outcome
 */
record CustomerHistory(
    Profile profile,
    List<OrderLine> orderLines,
    List<Ticket> tickets,
    List<SurveyResponse> surveys,
    List<WebEvent> webEvents,
    Truth truth) {

  /** A customers row. */
  record Profile(
      String customerId,
      long signupSec,
      String country,
      String acquisitionChannel,
      String email,
      String phone,
      boolean marketingOptIn) {}

  /** A transactions row (one order line). */
  record OrderLine(
      String transactionId,
      String orderId,
      String customerId,
      long orderSec,
      String productId,
      String category,
      int quantity,
      double unitPrice,
      double discount,
      String currency,
      String channel,
      String status) {}

  /** A support_tickets row; null times and csat are not known at the end of the history. */
  record Ticket(
      String ticketId,
      String customerId,
      long openedSec,
      Long firstResponseSec,
      Long resolvedSec,
      String channel,
      String topic,
      String priority,
      String status,
      int contacts,
      boolean reopened,
      Integer csat) {}

  /** A surveys row. */
  record SurveyResponse(
      String responseId,
      String customerId,
      long responseSec,
      String surveyType,
      int score,
      String touchpoint,
      String ticketId,
      String comment) {}

  /** A web_events row; customerId and sessionId may be null. */
  record WebEvent(
      String eventId,
      long eventSec,
      String eventType,
      String customerId,
      String anonymousId,
      String sessionId,
      String productId,
      String page,
      String device) {}

  /**
   * The ground truth of one customer.
   *
   * @param lambdaPerWeek BG/NBD purchase rate
   * @param dropoutP BG/NBD dropout probability per repeat purchase, with the acquisition channel's
   *     multiplier, before support and NPS effects
   * @param ggNu Gamma-Gamma scale of the customer's order values
   * @param expectedOrderValue ggP / ggNu
   * @param firstPurchaseSec first purchase, null when it falls after the history
   * @param dropoutSec the purchase after which the customer dropped out, null when alive at the end
   * @param purchases purchase occasions generated (cancelled orders excluded)
   * @param badSupportExperiences bad support experiences known before the end of the history
   * @param detractor whether the customer gave an NPS of 0 to 6
   * @param favouriteCategory the category with the largest preference weight
   */
  record Truth(
      String customerId,
      String acquisitionChannel,
      double lambdaPerWeek,
      double dropoutP,
      double ggNu,
      double expectedOrderValue,
      Long firstPurchaseSec,
      Long dropoutSec,
      boolean alive,
      int purchases,
      int badSupportExperiences,
      boolean detractor,
      String favouriteCategory) {}
}
