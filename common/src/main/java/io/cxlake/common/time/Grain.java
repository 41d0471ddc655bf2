package io.cxlake.common.time;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * A calendar period length of a report: UTC days, ISO weeks (Monday to Sunday) or calendar
 * months. A period is named by its first day. The same boundaries hold in Spark column
 * expressions and in Java dates, so a job can compute its as-of period on the driver and compare
 * it with periods computed from data.
 */
public enum Grain {
  DAY,
  WEEK,
  MONTH;

  /** Lower-case name as configured and stored. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a configured grain.
   *
   * @param key the configuration key, for the message
   */
  public static Grain parse(String key, String value) {
    for (Grain g : values()) {
      if (g.label().equals(value)) {
        return g;
      }
    }
    throw new IllegalArgumentException("Cannot configure " + key + ": expected day, week or month (" + value + ")");
  }

  /** Parses a configured list of grains, rejecting an empty list and duplicates. */
  public static List<Grain> parseList(String key, Collection<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("Cannot configure " + key + ": at least one grain is needed (" + values + ")");
    }
    List<Grain> out = new ArrayList<>();
    for (String v : values) {
      Grain g = parse(key, v);
      if (out.contains(g)) {
        throw new IllegalArgumentException("Cannot configure " + key + ": grain listed twice (" + v + ")");
      }
      out.add(g);
    }
    return List.copyOf(out);
  }

  /** The first day of the period a timestamp or date column falls in (a date column). */
  public Column start(Column ts) {
    return to_date(date_trunc(label(), ts.cast(DataTypes.TimestampType)));
  }

  /** The first day of the period a date falls in. */
  public LocalDate start(LocalDate day) {
    return switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  /** The first day of the period {@code n} periods after the one starting at {@code periodStart}. */
  public Column plus(Column periodStart, Column n) {
    return switch (this) {
      case DAY -> date_add(periodStart, n);
      case WEEK -> date_add(periodStart, n.multiply(7));
      case MONTH -> add_months(periodStart, n);
    };
  }

  /** The first day of the period {@code n} periods after the one starting at {@code periodStart}. */
  public LocalDate plus(LocalDate periodStart, long n) {
    return switch (this) {
      case DAY -> periodStart.plusDays(n);
      case WEEK -> periodStart.plusWeeks(n);
      case MONTH -> periodStart.plusMonths(n);
    };
  }

  /** Whole periods from one period start to another (an int column; both are period starts). */
  public Column periodsBetween(Column fromStart, Column toStart) {
    return switch (this) {
      case DAY -> datediff(toStart, fromStart);
      case WEEK -> datediff(toStart, fromStart).divide(7).cast(DataTypes.IntegerType);
      // Exact on first days of months: months_between counts whole months then.
      case MONTH -> months_between(toStart, fromStart).cast(DataTypes.IntegerType);
    };
  }

  /** Whole periods from one period start to another. */
  public long periodsBetween(LocalDate fromStart, LocalDate toStart) {
    return switch (this) {
      case DAY -> ChronoUnit.DAYS.between(fromStart, toStart);
      case WEEK -> ChronoUnit.WEEKS.between(fromStart, toStart);
      case MONTH -> ChronoUnit.MONTHS.between(fromStart, toStart);
    };
  }

  /** The first day of the period of the as-of day: the last period a run reports, possibly partial. */
  public LocalDate asOfPeriod(AsOf asOf) {
    return start(asOf.date());
  }

  /**
   * Whether the period starting at {@code periodStart} had ended by the cut-off: false only for the
   * as-of period when the as-of day is not its last day.
   */
  public Column complete(Column periodStart, AsOf asOf) {
    return plus(periodStart, lit(1)).leq(lit(java.sql.Date.valueOf(asOf.date().plusDays(1))));
  }

  /**
   * Per-row dispatch on a grain label column: the expression of the row's grain. Lets one pass over
   * the data carry rows of several grains.
   */
  public static Column byLabel(Column label, java.util.function.Function<Grain, Column> expression,
      Collection<Grain> grains) {
    Column out = null;
    for (Grain g : grains) {
      Column e = expression.apply(g);
      out = out == null ? when(label.equalTo(g.label()), e) : out.when(label.equalTo(g.label()), e);
    }
    if (out == null) {
      throw new IllegalArgumentException("Cannot dispatch on grain: no grains given (" + grains + ")");
    }
    return out;
  }
}
