package io.cxlake.jobs.clv.btyd;

/** Weight handling shared by the fits. */
final class Weights {

  private Weights() {}

  /**
   * Each row's share of the total weight. The fits maximise the weighted mean log-likelihood so the
   * optimiser's tolerances mean the same for any number of customers; for whole-number weights
   * scaled by a whole number the shares are bit-for-bit identical (each is one correctly rounded
   * division of exact values), so the optimiser takes exactly the same path.
   */
  static double[] normalised(SummaryRow[] rows) {
    double[] w = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      w[i] = rows[i].weight();
    }
    return divideBySum(w);
  }

  /** As {@link #normalised(SummaryRow[])} for spend rows. */
  static double[] normalised(SpendRow[] rows) {
    double[] w = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      w[i] = rows[i].weight();
    }
    return divideBySum(w);
  }

  private static double[] divideBySum(double[] w) {
    double total = 0;
    for (double v : w) {
      total += v;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= total;
    }
    return w;
  }

  /** Whether some row has a repeat purchase: without one the BG/NBD and Pareto/NBD MLEs do not exist. */
  static boolean anyRepeat(SummaryRow[] rows) {
    for (SummaryRow row : rows) {
      if (row.x() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * &Sigma;wT / &Sigma;w(x+1): the reciprocal of the observed purchase rate (first purchase included
   * so it is defined when nobody repeats). A start for rate parameters in the data's own time unit;
   * 1 if every T is 0.
   */
  static double rateScale(SummaryRow[] rows) {
    double exposure = 0;
    double purchases = 0;
    for (SummaryRow row : rows) {
      exposure += row.weight() * row.T();
      purchases += row.weight() * (row.x() + 1);
    }
    return exposure > 0 ? exposure / purchases : 1;
  }
}
