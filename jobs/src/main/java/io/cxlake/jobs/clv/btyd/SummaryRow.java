package io.cxlake.jobs.clv.btyd;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One distinct calibration-period summary (x, t<sub>x</sub>, T) and the number of customers who have
 * it. The likelihoods of BG/NBD (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy
 * way", Marketing Science 24(2)) and Pareto/NBD (Schmittlein, Morrison &amp; Colombo 1987) depend on
 * a customer only through these three numbers, so a population collapses to its distinct rows and a
 * fit costs the same for a thousand customers or a hundred million.
 *
 * @param x repeat transactions in the calibration period (the first purchase excluded)
 * @param tx time of the last repeat transaction since the first purchase; 0 when x = 0
 * @param T time from the first purchase to the end of the calibration period, in the same unit
 * @param weight how many customers have this summary (positive; fractional weights are allowed)
 */
public record SummaryRow(long x, double tx, double T, double weight) {

  /**
   * Checks the summary.
   *
   * @param x repeat transactions
   * @param tx recency
   * @param T age
   * @param weight number of customers
   * @throws IllegalArgumentException if x &lt; 0, t<sub>x</sub> is outside [0, T], t<sub>x</sub> &ne; 0
   *     for x = 0, or the weight is not positive and finite
   */
  public SummaryRow {
    Args.summary("build summary row", x, tx, T);
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "Cannot build summary row: weight must be positive and finite (" + weight + ")");
    }
  }

  /**
   * Merges rows with the same (x, t<sub>x</sub>, T), adding their weights; the result is sorted by x,
   * then t<sub>x</sub>, then T, so equal inputs give equal outputs whatever their order.
   *
   * @param rows per-customer (weight 1) or partially merged rows
   * @return one row per distinct summary
   */
  public static SummaryRow[] compress(SummaryRow... rows) {
    Map<SummaryRow, Double> weights = new LinkedHashMap<>();
    for (SummaryRow row : rows) {
      // + 0.0 turns -0.0 into 0.0: records compare doubles bitwise-like (Double.compare).
      weights.merge(new SummaryRow(row.x, row.tx + 0.0, row.T + 0.0, 1), row.weight, Double::sum);
    }
    return weights.entrySet().stream()
        .map(e -> new SummaryRow(e.getKey().x, e.getKey().tx, e.getKey().T, e.getValue()))
        .sorted(Comparator.comparingLong(SummaryRow::x).thenComparingDouble(SummaryRow::tx)
            .thenComparingDouble(SummaryRow::T))
        .toArray(SummaryRow[]::new);
  }

  /**
   * The total weight (number of customers) of some rows.
   *
   * @param rows the rows
   * @return &Sigma; weight
   */
  public static double totalWeight(SummaryRow[] rows) {
    return Arrays.stream(rows).mapToDouble(SummaryRow::weight).sum();
  }
}
