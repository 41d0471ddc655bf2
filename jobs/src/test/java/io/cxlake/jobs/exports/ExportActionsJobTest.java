package io.cxlake.jobs.exports;

import static io.cxlake.common.testing.Fixtures.date;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** export-actions: deliverable actions per channel and day, pseudonymous, in a stable schema, rerunnable. */
@ExtendWith(SparkExtension.class)
class ExportActionsJobTest {
  static final String SECRET = "test-secret";
  static final ObjectMapper JSON = new ObjectMapper();

  static Fixtures.Builder action(Fixtures.Builder b, String day, String customer, String channel, String status,
      int priority, Double expectedValue) {
    return b.with(NextBestActions.AS_OF_DATE, date(day), NextBestActions.CUSTOMER_ID, customer,
        NextBestActions.ACTION, "win_back", NextBestActions.CAMPAIGN, "win_back", NextBestActions.PRIORITY, priority,
        NextBestActions.STATUS, status, NextBestActions.CHANNEL, channel, NextBestActions.MARKETING, true,
        NextBestActions.REASON, "Inactivity rule: no purchase for 120 days (90 or more)",
        NextBestActions.EXPECTED_VALUE, expectedValue);
  }

  /** The keyed pseudonym computed with the JDK's own HMAC, independently of the Spark expression. */
  static String hmac(String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  static boolean hidden(Path file) {
    return file.getFileName().toString().startsWith(".");
  }

  @Test
  void writesDeliverableActionsPerChannelAndReplacesTheDayOnARerun(SparkSession spark, @TempDir Path warehouse)
      throws Exception {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    String path = catalog.path(NextBestActions.TABLE);
    Fixtures.Builder day = Fixtures.frame(NextBestActions.TABLE.schema());
    action(day, "2026-03-31", "cust-email-2", "email", NextBestActions.STATUS_DELIVER, 2, 12.5);
    action(day, "2026-03-31", "cust-email-1", "email", NextBestActions.STATUS_DELIVER, 1, null);
    action(day, "2026-03-31", "cust-push-1", "push", NextBestActions.STATUS_DELIVER, 1, 3.0);
    action(day, "2026-03-31", "cust-control", "email", NextBestActions.STATUS_CONTROL, 1, 3.0);
    action(day, "2026-03-31", "cust-suppressed", "phone", NextBestActions.STATUS_SUPPRESSED, 1, 3.0);
    DeltaIO.replacePartition(spark, day.build(spark), NextBestActions.TABLE, path, NextBestActions.AS_OF_DATE,
        java.time.LocalDate.parse("2026-03-31"));
    ExportActionsJob.Config config = new ExportActionsJob.Config(catalog, AsOf.parse("2026-03-31"), SECRET);

    RunStats stats = ExportActionsJob.run(spark, config);
    assertThat(stats.rowsOut()).as("deliver only: no control, no suppressed").isEqualTo(3);
    Path exports = warehouse.resolve("exports/actions");
    Path email = exports.resolve("channel=email/as_of_date=2026-03-31");
    assertThat(exports).isDirectoryContaining("glob:**/channel=email").isDirectoryContaining("glob:**/channel=push")
        .isDirectoryNotContaining("glob:**/channel=phone").isDirectoryNotContaining("glob:**/_staging*");
    List<String> csv = Files.readAllLines(email.resolve(ExportActionsJob.CSV));
    assertThat(csv.get(0)).as("the stable header").isEqualTo(String.join(",", ExportActionsJob.COLUMNS));
    assertThat(csv).as("header and the two email actions, by priority").hasSize(3);
    assertThat(csv.get(1)).startsWith("2026-03-31," + hmac("cust-email-1") + ",win_back,win_back,email,1,");
    assertThat(csv.get(2)).startsWith("2026-03-31," + hmac("cust-email-2") + ",win_back,win_back,email,2,")
        .endsWith(",12.5");

    List<String> jsonLines = Files.readAllLines(email.resolve(ExportActionsJob.JSON));
    assertThat(jsonLines).hasSize(2);
    JsonNode first = JSON.readTree(jsonLines.get(0));
    List<String> fields = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).as("every field, a null one too").containsExactlyElementsOf(ExportActionsJob.COLUMNS);
    assertThat(first.get(ExportActionsJob.CUSTOMER_KEY).asText()).isEqualTo(hmac("cust-email-1"));
    assertThat(first.get(NextBestActions.EXPECTED_VALUE).isNull()).isTrue();
    try (Stream<Path> files = Files.walk(exports)) {
      // Hadoop's local file system keeps a hidden .crc beside each file (binary, no data in clear).
      for (Path f : files.filter(f -> Files.isRegularFile(f) && !hidden(f)).toList()) {
        assertThat(Files.readString(f)).as("no customer id in clear: " + f).doesNotContain("cust-");
      }
    }

    // The next run of the day: the push action was withdrawn, the email ones remain.
    Fixtures.Builder rerun = Fixtures.frame(NextBestActions.TABLE.schema());
    action(rerun, "2026-03-31", "cust-email-1", "email", NextBestActions.STATUS_DELIVER, 1, null);
    DeltaIO.replacePartition(spark, rerun.build(spark), NextBestActions.TABLE, path, NextBestActions.AS_OF_DATE,
        java.time.LocalDate.parse("2026-03-31"));
    ExportActionsJob.run(spark, config);
    assertThat(Files.readAllLines(email.resolve(ExportActionsJob.CSV))).hasSize(2);
    assertThat(exports.resolve("channel=push/as_of_date=2026-03-31")).as("a withdrawn channel's day is gone")
        .doesNotExist();
    assertThat(Files.list(email).filter(p -> !hidden(p)).map(p -> p.getFileName().toString()).sorted().toList())
        .as("two files, no Spark markers").containsExactly(ExportActionsJob.CSV, ExportActionsJob.JSON);

    RunStats empty = ExportActionsJob.run(spark, new ExportActionsJob.Config(catalog, AsOf.parse("2026-04-01"), SECRET));
    assertThat(empty.rowsOut()).as("a day without actions").isZero();
    assertThat(email).as("other days untouched").exists();
  }
}
