package io.cxlake.jobs.clv;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.ClvModel;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.time.AsOf;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of one clv run.
 *
 * @param catalog the warehouse
 * @param asOf calibration end: purchases up to the end of this day
 * @param holdoutEnd end of the holdout period to evaluate on ({@code --holdout-end}), if any
 * @param timeUnit unit of t_x, t and the rate parameters ({@code clv.time-unit})
 * @param mergeSameDayPurchases one transaction per customer-day ({@code clv.merge-same-day-purchases})
 * @param countReturnedOrders fully returned orders still count as purchases ({@code clv.count-returned-orders})
 * @param predictionModel bgnbd or paretonbd ({@code clv.prediction-model})
 * @param fitParetoNbd also fit Pareto/NBD ({@code clv.fit-pareto-nbd}); required for paretonbd predictions
 * @param horizonMonths CLV horizon and curve length ({@code clv.horizon-months})
 * @param annualDiscountRate discount rate of future value ({@code clv.annual-discount-rate})
 * @param segmentColumn customers column to fit per group, empty for one model ({@code clv.segment-column})
 * @param minSegmentCustomers smaller groups use the overall model ({@code clv.min-segment-customers})
 * @param spendDecimals rounding of mean spend in the Gamma-Gamma compression ({@code clv.spend-decimals})
 * @param maxFitRows distinct (x, t_x, T) rows above which the fit rounds t_x and T to whole weeks, then
 *     coarser ({@code clv.max-fit-rows})
 */
public record ClvConfig(
    TableCatalog catalog,
    AsOf asOf,
    Optional<LocalDate> holdoutEnd,
    TimeUnit timeUnit,
    boolean mergeSameDayPurchases,
    boolean countReturnedOrders,
    String predictionModel,
    boolean fitParetoNbd,
    int horizonMonths,
    double annualDiscountRate,
    Optional<String> segmentColumn,
    long minSegmentCustomers,
    int spendDecimals,
    long maxFitRows) {

  /** Columns of customers a model may be fitted per value of. */
  public static final Set<String> SEGMENT_COLUMNS = Set.of(Customers.ACQUISITION_CHANNEL, Customers.COUNTRY);

  /** Time units of the BTYD summary. */
  public enum TimeUnit {
    DAYS(1),
    WEEKS(7);

    private final int days;

    TimeUnit(int days) {
      this.days = days;
    }

    /** Days in one unit. */
    public int days() {
      return days;
    }

    /** Lower-case name as configured and stored. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ClvConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    if (holdoutEnd.isPresent() && !holdoutEnd.get().isAfter(asOf.date())) {
      throw new IllegalArgumentException("Cannot configure --holdout-end: must be after --as-of " + asOf.date()
          + " (" + holdoutEnd.get() + ")");
    }
    if (!predictionModel.equals(ClvModel.MODEL_BGNBD) && !predictionModel.equals(ClvModel.MODEL_PARETO_NBD)) {
      throw new IllegalArgumentException("Cannot configure clv.prediction-model: expected bgnbd or paretonbd ("
          + predictionModel + ")");
    }
    if (predictionModel.equals(ClvModel.MODEL_PARETO_NBD) && !fitParetoNbd) {
      throw new IllegalArgumentException("Cannot configure clv.prediction-model: paretonbd needs "
          + "clv.fit-pareto-nbd = true (false)");
    }
    if (horizonMonths < 1 || horizonMonths > 120) {
      throw new IllegalArgumentException("Cannot configure clv.horizon-months: must be 1-120 (" + horizonMonths + ")");
    }
    if (annualDiscountRate < 0 || annualDiscountRate >= 1) {
      throw new IllegalArgumentException("Cannot configure clv.annual-discount-rate: must be in [0, 1) ("
          + annualDiscountRate + ")");
    }
    if (segmentColumn.isPresent() && !SEGMENT_COLUMNS.contains(segmentColumn.get())) {
      throw new IllegalArgumentException("Cannot configure clv.segment-column: expected one of " + SEGMENT_COLUMNS
          + " or empty (" + segmentColumn.get() + ")");
    }
    if (minSegmentCustomers < 1) {
      throw new IllegalArgumentException("Cannot configure clv.min-segment-customers: must be positive ("
          + minSegmentCustomers + ")");
    }
    if (spendDecimals < 0 || spendDecimals > 6) {
      throw new IllegalArgumentException("Cannot configure clv.spend-decimals: must be 0-6 (" + spendDecimals + ")");
    }
    if (maxFitRows < 1000) {
      throw new IllegalArgumentException("Cannot configure clv.max-fit-rows: must be at least 1000 (" + maxFitRows
          + ")");
    }
  }

  /** Builds the config from the effective configuration and the command line. */
  public static ClvConfig from(CxConfig config, TableCatalog catalog, AsOf asOf, Optional<LocalDate> holdoutEnd) {
    String unit = config.getString("clv.time-unit");
    TimeUnit timeUnit;
    try {
      timeUnit = TimeUnit.valueOf(unit.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot configure clv.time-unit: expected days or weeks (" + unit + ")", e);
    }
    String segment = config.getString("clv.segment-column");
    return new ClvConfig(catalog, asOf, holdoutEnd, timeUnit,
        config.getBoolean("clv.merge-same-day-purchases"),
        config.getBoolean("clv.count-returned-orders"),
        config.getString("clv.prediction-model"),
        config.getBoolean("clv.fit-pareto-nbd"),
        config.getInt("clv.horizon-months"),
        config.getDouble("clv.annual-discount-rate"),
        segment.isBlank() ? Optional.empty() : Optional.of(segment),
        config.getLong("clv.min-segment-customers"),
        config.getInt("clv.spend-decimals"),
        config.getLong("clv.max-fit-rows"));
  }

  /** Days of the holdout period, if any. */
  public Optional<Long> holdoutDays() {
    return holdoutEnd.map(e -> java.time.temporal.ChronoUnit.DAYS.between(asOf.date(), e));
  }
}
