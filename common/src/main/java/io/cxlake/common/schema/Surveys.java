package io.cxlake.common.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The surveys source: NPS and CSAT responses. */
public final class Surveys {
  public static final String RESPONSE_ID = "response_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String RESPONSE_TS = "response_ts";
  public static final String SURVEY_TYPE = "survey_type";
  public static final String SCORE = "score";
  public static final String TOUCHPOINT = "touchpoint";
  public static final String TICKET_ID = "ticket_id";
  public static final String COMMENT = "comment";

  public static final String TYPE_NPS = "nps";
  public static final String TYPE_CSAT = "csat";

  public static final SourceContract CONTRACT = new SourceContract(
      "surveys",
      new SourceContract.Columns()
          .string(RESPONSE_ID, CUSTOMER_ID).timestamp(RESPONSE_TS).string(SURVEY_TYPE)
          .integer(SCORE).string(TOUCHPOINT, TICKET_ID, COMMENT).build(),
      List.of(RESPONSE_ID, CUSTOMER_ID, RESPONSE_TS, SURVEY_TYPE, SCORE),
      RESPONSE_ID,
      Optional.of(RESPONSE_TS),
      Optional.of(CUSTOMER_ID),
      Set.of(),
      Map.of(
          SURVEY_TYPE, Set.of(TYPE_NPS, TYPE_CSAT),
          TOUCHPOINT, Set.of("post_purchase", "post_support", "relationship")));

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.of(
          RESPONSE_ID, "Survey response identifier (unique).",
          CUSTOMER_ID, "Responding customer.",
          RESPONSE_TS, "When the response was given (UTC).",
          SURVEY_TYPE, "nps (score 0-10) or csat (score 1-5).",
          SCORE, "The score, in the range of its survey type.",
          TOUCHPOINT, "post_purchase, post_support or relationship.",
          TICKET_ID, "Ticket the response is about, for post_support surveys.",
          COMMENT, "Free-text comment."),
      List.of(),
      "Cleaned survey responses from the landing zone, one row per response_id.");

  private Surveys() {}
}
