package io.cxlake.jobs.maintain;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which as-of snapshots of a table the retention policy removes, as of one day: it keeps the
 * snapshots of the last {@code dailyDays} days (the as-of day included), and the latest snapshot of
 * each of the last {@code monthlyMonths} calendar months (the as-of month included). The latest one
 * present rather than the month's last day, so a month whose last run failed still keeps one.
 * Snapshots after the as-of day belong to later runs and are never removed, so maintaining an older
 * day removes a subset of what a newer day removes, and a rerun removes nothing more.
 *
 * @param dailyDays every snapshot of this many days is kept, at least 1
 * @param monthlyMonths a month-end snapshot of this many months is kept, 0 for none
 */
record SnapshotRetention(int dailyDays, int monthlyMonths) {
  SnapshotRetention {
    if (dailyDays < 1) {
      throw new IllegalArgumentException(
          "Cannot configure retention.daily-snapshots-days: must be at least 1, the as-of day (" + dailyDays + ")");
    }
    if (monthlyMonths < 0) {
      throw new IllegalArgumentException(
          "Cannot configure retention.monthly-snapshots-months: must be 0 or more (" + monthlyMonths + ")");
    }
  }

  /** The snapshot dates the policy removes as of the day, in date order. */
  List<LocalDate> expired(Collection<LocalDate> dates, LocalDate asOf) {
    Map<YearMonth, LocalDate> latestOfMonth = new HashMap<>();
    dates.stream().filter(d -> !d.isAfter(asOf))
        .forEach(d -> latestOfMonth.merge(YearMonth.from(d), d, (a, b) -> a.isAfter(b) ? a : b));
    LocalDate firstDaily = asOf.minusDays(dailyDays - 1L);
    YearMonth firstMonthly = YearMonth.from(asOf).minusMonths(monthlyMonths - 1L);
    return dates.stream()
        .filter(d -> d.isBefore(firstDaily))
        .filter(d -> monthlyMonths == 0 || YearMonth.from(d).isBefore(firstMonthly)
            || !d.equals(latestOfMonth.get(YearMonth.from(d))))
        .distinct().sorted().toList();
  }
}
