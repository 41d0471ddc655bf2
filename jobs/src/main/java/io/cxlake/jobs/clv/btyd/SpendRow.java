package io.cxlake.jobs.clv.btyd;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One distinct (x, mean spend) pair and the number of customers who have it: the input of the
 * Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005, "RFM and CLV: using iso-value curves for
 * customer base analysis", Journal of Marketing Research 42(4)), whose likelihood depends on a
 * customer only through x and the mean m<sub>x</sub> of the x repeat transaction values.
 *
 * @param x repeat transactions in the calibration period (the first purchase excluded)
 * @param meanSpend mean value of those x transactions (0 by convention when x = 0)
 * @param weight how many customers have this pair (positive; fractional weights are allowed)
 */
public record SpendRow(long x, double meanSpend, double weight) {

  /**
   * Checks the row. A non-positive mean spend is representable here (x = 0 rows carry 0) and is
   * refused by {@link GammaGamma#fit(SpendRow[])} instead.
   *
   * @param x repeat transactions
   * @param meanSpend their mean value
   * @param weight number of customers
   * @throws IllegalArgumentException if x &lt; 0, the mean spend is not finite, or the weight is not
   *     positive and finite
   */
  public SpendRow {
    if (x < 0) {
      throw new IllegalArgumentException("Cannot build spend row: x must be non-negative (" + x + ")");
    }
    if (!Double.isFinite(meanSpend)) {
      throw new IllegalArgumentException("Cannot build spend row: mean spend must be finite (" + meanSpend + ")");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("Cannot build spend row: weight must be positive and finite (" + weight + ")");
    }
  }

  /**
   * Merges rows with the same (x, mean spend), adding their weights; sorted by x, then mean spend.
   *
   * @param rows per-customer (weight 1) or partially merged rows
   * @return one row per distinct pair
   */
  public static SpendRow[] compress(SpendRow... rows) {
    Map<SpendRow, Double> weights = new LinkedHashMap<>();
    for (SpendRow row : rows) {
      // + 0.0 turns -0.0 into 0.0: records compare doubles bitwise-like (Double.compare).
      weights.merge(new SpendRow(row.x, row.meanSpend + 0.0, 1), row.weight, Double::sum);
    }
    return weights.entrySet().stream()
        .map(e -> new SpendRow(e.getKey().x, e.getKey().meanSpend, e.getValue()))
        .sorted(Comparator.comparingLong(SpendRow::x).thenComparingDouble(SpendRow::meanSpend))
        .toArray(SpendRow[]::new);
  }
}
