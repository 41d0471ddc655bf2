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
  private static final String NO_DEVICE = "_no_device";

  private WebIdentity() {}

  /**
   * Fills absent session ids: a visitor's (anonymous_id, else customer_id, else the event itself)
   * events without a session id start a new session after {@code gapMinutes} of inactivity. The
   * derived id hashes the visitor and the session's first event time, so it is stable across reruns.
   * Only the events without a session id are shuffled and sorted by visitor; the others (most of
   * them in the sample, about 70 %) pass through as they are.
   */
  public static Dataset<Row> sessionize(Dataset<Row> events, int gapMinutes) {
    Column visitor = coalesce(
        concat(lit("a:"), col(WebEvents.ANONYMOUS_ID)),
        concat(lit("c:"), col(WebEvents.CUSTOMER_ID)),
        concat(lit("e:"), col(WebEvents.EVENT_ID)));
    Column missing = col(WebEvents.SESSION_ID).isNull();
    WindowSpec byVisitor = Window.partitionBy(col(VISITOR)).orderBy(col(WebEvents.EVENT_TS), col(WebEvents.EVENT_ID));
    Column gapMicros = unix_micros(col(WebEvents.EVENT_TS))
        .minus(unix_micros(lag(col(WebEvents.EVENT_TS), 1).over(byVisitor)));
    Column startsSession = gapMicros.isNull().or(gapMicros.gt(gapMinutes * 60_000_000L));
    // The session's first event time is the latest session start up to this event: the events are
    // in time order, so a running max over the same window needs no second shuffle, where a min over
    // a (visitor, session) partition would need one.
    Dataset<Row> derived = events.filter(missing)
        .withColumn(VISITOR, visitor)
        .withColumn(SESSION_START, when(startsSession, col(WebEvents.EVENT_TS)))
        .withColumn(SESSION_START, max(col(SESSION_START))
            .over(byVisitor.rowsBetween(Window.unboundedPreceding(), 0)))
        .withColumn(WebEvents.SESSION_DERIVED, lit(true))
        .withColumn(WebEvents.SESSION_ID, concat(lit(PREFIX_DERIVED),
            sha2(concat_ws("|", col(VISITOR), col(SESSION_START).cast("string")), 256).substr(1, 24)))
        .drop(VISITOR, SESSION_START);
    return events.filter(missing.unary_$bang()).withColumn(WebEvents.SESSION_DERIVED, lit(false))
        .unionByName(derived);
  }

  /**
   * Adds {@link WebEvents#RESOLVED_CUSTOMER_ID} and {@link WebEvents#RESOLVED_TS}; needs session ids.
   * The first login of a session and of a device are window aggregates over the events themselves:
   * per-session and per-device tables joined back made Spark compute the sessionized events three
   * times (once for each side), where the windows take them once and shuffle them twice.
   */
  public static Dataset<Row> stitch(Dataset<Row> events) {
    Column own = col(WebEvents.CUSTOMER_ID);
    Column anonymous = col(WebEvents.ANONYMOUS_ID);
    // min_by and min skip the nulls: only identified events (with a customer) count as logins.
    Column login = when(own.isNotNull(), struct(col(WebEvents.EVENT_TS), col(WebEvents.EVENT_ID)));
    Column loginTs = when(own.isNotNull(), col(WebEvents.EVENT_TS));
    WindowSpec session = Window.partitionBy(col(WebEvents.SESSION_ID));
    // Events without an anonymous id have no device: each is its own partition rather than all of
    // them one (the window would hold millions of rows in one task). The key is a column, not an
    // expression in the window: Spark gives each window its own copy of an expression, and a
    // shuffle of its own.
    WindowSpec device = Window.partitionBy(anonymous, col(NO_DEVICE));
    return events
        .withColumn(NO_DEVICE, when(anonymous.isNull(), col(WebEvents.EVENT_ID)))
        .withColumn("_s_customer", min_by(own, login).over(session))
        .withColumn("_s_ts", min(loginTs).over(session))
        .withColumn("_a_customer", when(anonymous.isNotNull(), min_by(own, login).over(device)))
        .withColumn("_a_ts", when(anonymous.isNotNull(), min(loginTs).over(device)))
        .withColumn(WebEvents.RESOLVED_CUSTOMER_ID, coalesce(own, col("_s_customer"), col("_a_customer")))
        .withColumn(WebEvents.RESOLVED_TS,
            when(own.isNotNull(), col(WebEvents.EVENT_TS))
                .when(col("_s_customer").isNotNull(), col("_s_ts"))
                .otherwise(col("_a_ts")))
        .drop(NO_DEVICE, "_s_customer", "_s_ts", "_a_customer", "_a_ts");
  }
}
