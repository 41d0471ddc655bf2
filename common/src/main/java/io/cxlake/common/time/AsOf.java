package io.cxlake.common.time;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * A run's as-of date and its cut-off: a job sees only data with timestamps strictly before the
 * end of the as-of day in UTC, so a backfill or a training snapshot never leaks the future.
 *
 * @param date the as-of day
 */
public record AsOf(LocalDate date) implements Cutoff {
  public AsOf {
    Objects.requireNonNull(date, "date");
  }

  /** Parses {@code YYYY-MM-DD}; the message names the bad value. */
  public static AsOf parse(String text) {
    try {
      return new AsOf(LocalDate.parse(text));
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("Cannot parse --as-of: expected YYYY-MM-DD (" + text + ")", e);
    }
  }

  /** The first instant the run must not see: the start of the next day, UTC. */
  public Instant cutoff() {
    return date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The cut-off as a Spark timestamp literal. */
  public Column cutoffLit() {
    return functions.lit(Timestamp.from(cutoff()));
  }

  /** The cut-off literal, for feature code shared with many-cut-off plans ({@link Cutoff}). */
  @Override
  public Column ts() {
    return cutoffLit();
  }

  /** The as-of day as a Spark date literal (the partition value of snapshot tables). */
  public Column dateLit() {
    return functions.lit(java.sql.Date.valueOf(date));
  }

  /** The instant {@code days} days before the cut-off: the start of a look-back window. */
  public Instant daysBefore(int days) {
    return cutoff().minus(java.time.Duration.ofDays(days));
  }

  /** The start of a {@code days}-day look-back window as a Spark timestamp literal. */
  public Column daysBeforeLit(int days) {
    return functions.lit(Timestamp.from(daysBefore(days)));
  }

  /** {@code ts} falls in the {@code days} days before the cut-off: {@code [cutoff - days, cutoff)}. */
  @Override
  public Column within(Column ts, int days) {
    return Durations.between(ts, daysBefore(days), cutoff());
  }

  /** Days from {@code ts} to the cut-off, fractional (the age of an event at this as-of). */
  public Column daysSince(Column ts) {
    return Durations.days(ts, cutoffLit());
  }

  @Override
  public String toString() {
    return date.toString();
  }
}
