package io.cxlake.common.time;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;

/**
 * Time arithmetic on timestamp columns in built-in functions: elapsed days and hours as doubles
 * (Spark timestamps are microseconds, so the difference of two is exact before the division), and
 * half-open time windows.
 */
public final class Durations {
  /** Microseconds in one hour. */
  public static final double MICROS_PER_HOUR = 3_600_000_000.0;
  /** Microseconds in one day. */
  public static final double MICROS_PER_DAY = 86_400_000_000.0;

  private Durations() {}

  /**
   * {@code ts} plus {@code days} days of 86,400 s, as AsOf's windows are. Not a day-time interval:
   * Spark adds its days on the session time zone's calendar, 23 or 25 hours across a DST change.
   */
  public static Column plusDays(Column ts, int days) {
    return timestamp_micros(unix_micros(ts).plus(lit((long) (days * MICROS_PER_DAY))));
  }

  /** Days from {@code from} to {@code to}, fractional; null when either is null. */
  public static Column days(Column from, Column to) {
    return micros(from, to).divide(MICROS_PER_DAY);
  }

  /** Hours from {@code from} to {@code to}, fractional; null when either is null. */
  public static Column hours(Column from, Column to) {
    return micros(from, to).divide(MICROS_PER_HOUR);
  }

  /** Microseconds from {@code from} to {@code to}. */
  public static Column micros(Column from, Column to) {
    return unix_micros(to).minus(unix_micros(from));
  }

  /** {@code ts} lies in {@code [from, to)}. */
  public static Column between(Column ts, Instant from, Instant to) {
    return ts.geq(lit(Timestamp.from(from))).and(ts.lt(lit(Timestamp.from(to))));
  }
}
