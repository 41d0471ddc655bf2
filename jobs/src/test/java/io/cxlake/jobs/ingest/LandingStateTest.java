package io.cxlake.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.LandingState.Dependencies;
import io.cxlake.jobs.ingest.LandingState.FileStamp;
import io.cxlake.jobs.ingest.LandingState.Recorded;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a recorded read of a source still holds; no Spark. */
class LandingStateTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-22");
  private static final Instant CLOCK = Instant.parse("2026-11-23T02:00:00Z");
  private static final FileStamp A = new FileStamp("file:/l/tx/a.csv", 100, Timestamp.from(CLOCK.minusSeconds(3600)), null);
  private static final FileStamp B = new FileStamp("file:/l/tx/b.csv", 200, Timestamp.from(CLOCK.minusSeconds(60)), null);
  private static final Dependencies DEPS = new Dependencies("f1", 3, 7);

  private static Recorded read(Timestamp futureFrom) {
    return new Recorded(Set.of(A, B), DAY, DAY, DEPS, 12, 4, futureFrom);
  }

  private static Optional<String> changed(Recorded r, List<FileStamp> files, Dependencies deps, long silver,
      LocalDate asOf) {
    return LandingState.changed(Optional.of(r), Set.copyOf(files), deps, silver, asOf, CLOCK);
  }

  @Test
  void theSameFilesAndDependenciesHoldOnTheNextDayAndNotBeforeTheRecordedOne() {
    assertThat(changed(read(null), List.of(B, A), DEPS, 12, DAY.plusDays(1))).isEmpty();
    assertThat(changed(read(null), List.of(A, B), DEPS, 12, DAY)).as("a rerun of the day").isEmpty();
    assertThat(changed(read(null), List.of(A, B), DEPS, 12, DAY.minusDays(1)))
        .contains("as-of before the recorded read's 2026-11-22");
    assertThat(LandingState.changed(Optional.empty(), Set.of(A), DEPS, 12, DAY, CLOCK)).contains("no recorded read");
  }

  @Test
  void anyChangedFileOrDependencyMeansAnotherRead() {
    FileStamp touched = new FileStamp(B.file(), B.sizeBytes(), Timestamp.from(CLOCK), null);
    FileStamp resized = new FileStamp(B.file(), 201, B.modifiedAt(), null);
    FileStamp rechecked = new FileStamp(B.file(), B.sizeBytes(), B.modifiedAt(), "MD5-of-0MD5-of-512CRC32C:ab");
    for (List<FileStamp> files : List.of(List.of(A), List.of(A, B, new FileStamp("file:/l/tx/c.csv", 1, B.modifiedAt(),
        null)), List.of(A, touched), List.of(A, resized), List.of(A, rechecked))) {
      assertThat(changed(read(null), files, DEPS, 12, DAY)).as(files.toString())
          .contains("files added, changed or removed");
    }
    assertThat(changed(read(null), List.of(A, B), new Dependencies("f2", 3, 7), 12, DAY))
        .contains("settings or ingest rules changed");
    assertThat(changed(read(null), List.of(A, B), new Dependencies("f1", 4, 7), 12, DAY))
        .contains("suppression list changed");
    assertThat(changed(read(null), List.of(A, B), new Dependencies("f1", 3, 8), 12, DAY)).contains("customers changed");
    assertThat(changed(read(null), List.of(A, B), DEPS, 13, DAY)).contains("silver table written since");
  }

  @Test
  void aQuarantinedFutureTimestampHoldsUntilTheClockReachesIt() {
    assertThat(changed(read(Timestamp.from(CLOCK.plusSeconds(1))), List.of(A, B), DEPS, 12, DAY)).isEmpty();
    assertThat(changed(read(Timestamp.from(CLOCK)), List.of(A, B), DEPS, 12, DAY))
        .contains("the clock passed a quarantined future timestamp (2026-11-23T02:00:00Z)");
  }

  @Test
  void theSettingsTextIsTheSameWhateverTheOrderOfAMapAndChangesWithASetting() {
    Map<String, String> mapped = new LinkedHashMap<>();
    mapped.put("privacy.hash-salt", "test-salt-0123456789");
    mapped.put("sources.transactions.columns.order_ts", "InvoiceDate");
    mapped.put("sources.transactions.columns.customer_id", "CustomerID");
    IngestConfig config = IngestConfig.from(CxConfig.load(Optional.empty(), mapped), "landing",
        new TableCatalog("warehouse"), AsOf.parse("2026-11-22"));
    // Map.copyOf iterates in an order that changes from one JVM to the next: the text sorts it.
    assertThat(LandingState.settingsText(config, config.sources().get("transactions")))
        .contains("|columns={customer_id=CustomerID, order_ts=InvoiceDate}|")
        .startsWith("rules=" + LandingState.RULES_VERSION + "|source=transactions|format=CSV|");
    mapped.put("ingest.max-quarantine-share", "0.123");
    IngestConfig stricter = IngestConfig.from(CxConfig.load(Optional.empty(), mapped), "landing",
        new TableCatalog("warehouse"), AsOf.parse("2026-11-22"));
    assertThat(LandingState.fingerprint(stricter, stricter.sources().get("transactions")))
        .isNotEqualTo(LandingState.fingerprint(config, config.sources().get("transactions")))
        .hasSize(64).doesNotContain("InvoiceDate");
  }
}
