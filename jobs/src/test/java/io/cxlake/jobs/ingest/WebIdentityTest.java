package io.cxlake.jobs.ingest;

import static io.cxlake.common.testing.Fixtures.frame;
import static io.cxlake.common.testing.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.SparkExtension;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class WebIdentityTest {
  /** Clean events as ingest has them before sessions and stitching. */
  private static final StructType EVENTS = new StructType(
      java.util.Arrays.stream(WebEvents.TABLE.schema().fields())
          .filter(f -> WebEvents.CONTRACT.columns().containsKey(f.name()))
          .toArray(org.apache.spark.sql.types.StructField[]::new));

  private static Map<String, Row> byEvent(Dataset<Row> events) {
    Map<String, Row> out = new TreeMap<>();
    events.collectAsList().forEach(r -> out.put(r.getAs(WebEvents.EVENT_ID), r));
    return out;
  }

  @Test
  void derivesSessionsAfterThirtyMinutesOfInactivity(SparkSession spark) {
    Dataset<Row> events = frame(EVENTS)
        .with(WebEvents.EVENT_ID, "E1", WebEvents.EVENT_TS, ts("2026-05-01T10:00:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1")
        .with(WebEvents.EVENT_ID, "E2", WebEvents.EVENT_TS, ts("2026-05-01T10:20:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1")
        .with(WebEvents.EVENT_ID, "E3", WebEvents.EVENT_TS, ts("2026-05-01T10:50:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1")
        .with(WebEvents.EVENT_ID, "E4", WebEvents.EVENT_TS, ts("2026-05-01T11:20:01"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1")
        .with(WebEvents.EVENT_ID, "E5", WebEvents.EVENT_TS, ts("2026-05-01T10:05:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "given")
        .with(WebEvents.EVENT_ID, "E6", WebEvents.EVENT_TS, ts("2026-05-01T10:01:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.CUSTOMER_ID, "C9")
        .build(spark);
    Map<String, Row> out = byEvent(WebIdentity.sessionize(events, 30));
    String s1 = out.get("E1").getAs(WebEvents.SESSION_ID);
    assertThat(out.get("E2").<String>getAs(WebEvents.SESSION_ID)).as("20 minutes later: same session").isEqualTo(s1);
    assertThat(out.get("E3").<String>getAs(WebEvents.SESSION_ID)).as("exactly 30 minutes: same session").isEqualTo(s1);
    assertThat(out.get("E4").<String>getAs(WebEvents.SESSION_ID)).as("30 min 1 s later: new session")
        .isNotEqualTo(s1).startsWith("d-");
    assertThat(out.get("E5").<String>getAs(WebEvents.SESSION_ID)).as("given ids are kept").isEqualTo("given");
    assertThat(out.get("E5").<Boolean>getAs(WebEvents.SESSION_DERIVED)).as("given id flag").isFalse();
    assertThat(out.get("E1").<Boolean>getAs(WebEvents.SESSION_DERIVED)).as("derived id flag").isTrue();
    assertThat(out.get("E6").<String>getAs(WebEvents.SESSION_ID)).as("other visitor, other session").isNotEqualTo(s1);
    assertThat(byEvent(WebIdentity.sessionize(events, 30)).get("E1").<String>getAs(WebEvents.SESSION_ID))
        .as("derived ids are stable across runs").isEqualTo(s1);
  }

  @Test
  void stitchesAnonymousEventsThroughSessionAndDevice(SparkSession spark) {
    Dataset<Row> events = frame(EVENTS)
        // Session S1 starts anonymous on device A1 and logs in as C1 at 10:05.
        .with(WebEvents.EVENT_ID, "E1", WebEvents.EVENT_TS, ts("2026-05-01T10:00:00"), WebEvents.EVENT_TYPE, "product_view",
            WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S1")
        .with(WebEvents.EVENT_ID, "E2", WebEvents.EVENT_TS, ts("2026-05-01T10:05:00"), WebEvents.EVENT_TYPE, "add_to_cart",
            WebEvents.CUSTOMER_ID, "C1", WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S1")
        // An earlier anonymous session on the same device never logged in itself.
        .with(WebEvents.EVENT_ID, "E0", WebEvents.EVENT_TS, ts("2026-04-20T09:00:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S0")
        // A device that never logs in stays anonymous.
        .with(WebEvents.EVENT_ID, "E9", WebEvents.EVENT_TS, ts("2026-05-01T10:00:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.ANONYMOUS_ID, "A9", WebEvents.SESSION_ID, "S9")
        // Without an anonymous id an event has no device: its session still attributes it, or nothing.
        .with(WebEvents.EVENT_ID, "E3", WebEvents.EVENT_TS, ts("2026-05-01T10:06:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.SESSION_ID, "S1")
        .with(WebEvents.EVENT_ID, "E8", WebEvents.EVENT_TS, ts("2026-05-01T10:00:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.SESSION_ID, "S8")
        // A later login of another customer on the device: the device's first login still decides.
        .with(WebEvents.EVENT_ID, "E4", WebEvents.EVENT_TS, ts("2026-05-02T08:00:00"), WebEvents.EVENT_TYPE, "page_view",
            WebEvents.CUSTOMER_ID, "C2", WebEvents.ANONYMOUS_ID, "A1", WebEvents.SESSION_ID, "S2")
        .build(spark);
    Map<String, Row> out = byEvent(WebIdentity.stitch(events));
    assertThat(out.get("E1").<String>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("same session").isEqualTo("C1");
    assertThat(out.get("E1").<Object>getAs(WebEvents.RESOLVED_TS)).as("known from the login")
        .isEqualTo(ts("2026-05-01T10:05:00"));
    assertThat(out.get("E0").<String>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("same device").isEqualTo("C1");
    assertThat(out.get("E0").<Object>getAs(WebEvents.RESOLVED_TS)).as("known only from the later login")
        .isEqualTo(ts("2026-05-01T10:05:00"));
    assertThat(out.get("E2").<String>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("own customer").isEqualTo("C1");
    assertThat(out.get("E9").<Object>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("never logged in").isNull();
    assertThat(out.get("E3").<String>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("no device, same session").isEqualTo("C1");
    assertThat(out.get("E8").<Object>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("no device, no login").isNull();
    assertThat(out.get("E4").<String>getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("own customer").isEqualTo("C2");
  }
}
