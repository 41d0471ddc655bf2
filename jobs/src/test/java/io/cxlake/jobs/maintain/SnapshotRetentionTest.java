package io.cxlake.jobs.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The retention policy on hand-listed dates; no Spark. */
class SnapshotRetentionTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-12-06");
  private static final SnapshotRetention POLICY = new SnapshotRetention(35, 24);

  private static List<LocalDate> days(String from, String to) {
    return LocalDate.parse(from).datesUntil(LocalDate.parse(to).plusDays(1)).toList();
  }

  @Test
  void keepsTheLastDaysTheMonthEndsOfTheLastMonthsAndEveryLaterDay() {
    List<LocalDate> all = days("2024-10-01", "2026-12-08");
    List<LocalDate> expired = POLICY.expired(all, AS_OF);

    List<LocalDate> kept = new ArrayList<>(all);
    kept.removeAll(expired);
    List<LocalDate> monthEnds = Stream.iterate(YearMonth.parse("2025-01"), m -> m.plusMonths(1)).limit(23)
        .map(YearMonth::atEndOfMonth).toList();
    List<LocalDate> expected = new ArrayList<>(monthEnds);
    // 35 days up to the as-of day (2026-11-02 .. 2026-12-06; November's end is among them), and the
    // two days after it, which later runs wrote.
    days("2026-11-02", "2026-12-08").stream().filter(d -> !expected.contains(d)).forEach(expected::add);
    assertThat(kept).containsExactlyElementsOf(expected.stream().sorted().toList());
    assertThat(expired).as("October to December 2024 lie before the 24 months: all of them go")
        .contains(LocalDate.parse("2024-10-31"), LocalDate.parse("2024-12-31"))
        .doesNotContain(LocalDate.parse("2025-01-31"));
  }

  @Test
  void aMonthWithoutItsLastDayKeepsItsLatestSnapshot() {
    List<LocalDate> dates = List.of(LocalDate.parse("2026-08-03"), LocalDate.parse("2026-08-27"),
        LocalDate.parse("2026-09-30"));
    assertThat(POLICY.expired(dates, AS_OF)).containsExactly(LocalDate.parse("2026-08-03"));
  }

  @Test
  void noMonthsKeepsOnlyTheDailyWindow() {
    assertThat(new SnapshotRetention(1, 0).expired(days("2026-11-28", "2026-12-07"), AS_OF))
        .as("only the as-of day and the later one stay").isEqualTo(days("2026-11-28", "2026-12-05"));
  }

  @Test
  void aRerunRemovesNothingMoreAndAnEarlierDayRemovesLess() {
    List<LocalDate> all = days("2024-10-01", "2026-12-06");
    List<LocalDate> expired = POLICY.expired(all, AS_OF);
    List<LocalDate> kept = new ArrayList<>(all);
    kept.removeAll(expired);
    assertThat(POLICY.expired(kept, AS_OF)).isEmpty();
    assertThat(expired).containsAll(POLICY.expired(all, AS_OF.minusDays(40)));
  }

  @Test
  void rejectsAWindowWithoutTheAsOfDay() {
    assertThatThrownBy(() -> new SnapshotRetention(0, 24))
        .hasMessage("Cannot configure retention.daily-snapshots-days: must be at least 1, the as-of day (0)");
    assertThatThrownBy(() -> new SnapshotRetention(35, -1))
        .hasMessage("Cannot configure retention.monthly-snapshots-months: must be 0 or more (-1)");
  }
}
