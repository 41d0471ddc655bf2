package io.cxlake.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.WebEvents;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Sessions and identity stitching for web events; pure transformations over typed events.
 *
 * <p>Stitching attributes an anonymous event to a customer in two ways: the customer who logged
 * in within the same session, else the first customer who logged in on the same anonymous_id
 * (device or cookie). {@link WebEvents#RESOLVED_TS} records when that became known, so a
 * point-in-time job attributes the event only from that moment on.
 */
public final class WebIdentity {
  private static final String VISITOR = "_visitor";
  private static final String SESSION_START = "_session_start";
  private static final String PREFIX_DERIVED = "d-";

  private WebIdentity() {}

  /**
   * Fills absent session ids: a visitor's (anonymous_id, else customer_id, else the event itself)
   * events without a session id start a new session after {@code gapMinutes} of inactivity. The
   * derived id hashes the visitor and the session's first event time, so it is stable across reruns.
   */
  public static Dataset<Row> sessionize(Dataset<Row> events, int gapMinutes) {
    Column visitor = coalesce(
        concat(lit("a:"), col(WebEvents.ANONYMOUS_ID)),
        concat(lit("c:"), col(WebEvents.CUSTOMER_ID)),
        concat(lit("e:"), col(WebEvents.EVENT_ID)));
    Column missing = col(WebEvents.SESSION_ID).isNull();
    WindowSpec byVisitor = Window.partitionBy(col(VISITOR), missing)
        .orderBy(col(WebEvents.EVENT_TS), col(WebEvents.EVENT_ID));
    Column gapMicros = unix_micros(col(WebEvents.EVENT_TS))
        .minus(unix_micros(lag(col(WebEvents.EVENT_TS), 1).over(byVisitor)));
    Column startsSession = gapMicros.isNull().or(gapMicros.gt(gapMinutes * 60_000_000L));
    // The session's first event time is the latest session start up to this event: the events are
    // in time order, so a running max over the same window needs no second shuffle, where a min over
    // a (visitor, session) partition would need one.
    Dataset<Row> numbered = events
        .withColumn(VISITOR, visitor)
        .withColumn(SESSION_START, when(startsSession, col(WebEvents.EVENT_TS)))
        .withColumn(SESSION_START, max(col(SESSION_START))
            .over(byVisitor.rowsBetween(Window.unboundedPreceding(), 0)));
    Column derivedId = concat(lit(PREFIX_DERIVED),
        sha2(concat_ws("|", col(VISITOR), col(SESSION_START).cast("string")), 256).substr(1, 24));
    return numbered
        .withColumn(WebEvents.SESSION_DERIVED, missing)
        .withColumn(WebEvents.SESSION_ID, when(missing, derivedId).otherwise(col(WebEvents.SESSION_ID)))
        .drop(VISITOR, SESSION_START);
  }

  /** Adds {@link WebEvents#RESOLVED_CUSTOMER_ID} and {@link WebEvents#RESOLVED_TS}; needs session ids. */
  public static Dataset<Row> stitch(Dataset<Row> events) {
    Dataset<Row> identified = events.filter(col(WebEvents.CUSTOMER_ID).isNotNull());
    Column firstLogin = struct(col(WebEvents.EVENT_TS), col(WebEvents.EVENT_ID));
    Dataset<Row> bySession = identified.groupBy(col(WebEvents.SESSION_ID).as("_s_session"))
        .agg(min_by(col(WebEvents.CUSTOMER_ID), firstLogin).as("_s_customer"),
            min(col(WebEvents.EVENT_TS)).as("_s_ts"));
    Dataset<Row> byDevice = identified.filter(col(WebEvents.ANONYMOUS_ID).isNotNull())
        .groupBy(col(WebEvents.ANONYMOUS_ID).as("_a_anon"))
        .agg(min_by(col(WebEvents.CUSTOMER_ID), firstLogin).as("_a_customer"),
            min(col(WebEvents.EVENT_TS)).as("_a_ts"));
    Column own = col(WebEvents.CUSTOMER_ID);
    return events
        .join(bySession, col(WebEvents.SESSION_ID).equalTo(col("_s_session")), "left")
        .join(byDevice, col(WebEvents.ANONYMOUS_ID).equalTo(col("_a_anon")), "left")
        .withColumn(WebEvents.RESOLVED_CUSTOMER_ID, coalesce(own, col("_s_customer"), col("_a_customer")))
        .withColumn(WebEvents.RESOLVED_TS,
            when(own.isNotNull(), col(WebEvents.EVENT_TS))
                .when(col("_s_customer").isNotNull(), col("_s_ts"))
                .otherwise(col("_a_ts")))
        .drop("_s_session", "_s_customer", "_s_ts", "_a_anon", "_a_customer", "_a_ts");
  }
}
