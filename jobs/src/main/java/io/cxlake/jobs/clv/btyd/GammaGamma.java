package io.cxlake.jobs.clv.btyd;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma model of spend per transaction of Fader, Hardie &amp; Lee (2005), "RFM and CLV:
 * using iso-value curves for customer base analysis", Journal of Marketing Research 42(4), 415-430
 * (FHL-RFM below), building on Colombo &amp; Jiang (1999).
 *
 * <p>A customer's transaction values are Gamma(p, &nu;) around a customer-specific scale &nu; ~
 * Gamma(q, &gamma;); the model sees a customer through x (repeat transactions) and their mean value
 * m<sub>x</sub>. It assumes spend independent of the transaction process, so it is fitted to
 * customers with x &gt; 0 on their own and combined with BG/NBD or Pareto/NBD afterwards. All methods
 * are static and thread-safe.
 */
public final class GammaGamma {

  /** Convergence on the mean log-likelihood per customer, per unit log-parameter (analytic gradient). */
  private static final double GRADIENT_TOLERANCE = 1e-9;

  private static final int MAX_ITERATIONS = 500;

  private GammaGamma() {}

  /**
   * Gamma-Gamma parameters.
   *
   * @param p shape of the gamma distribution of one transaction's value
   * @param q shape of the gamma distribution of the customer's scale &nu;
   * @param gamma rate of that gamma distribution, in money units (mean value p&gamma;/(q&minus;1))
   */
  public record Params(double p, double q, double gamma) {

    /**
     * Checks the parameters.
     *
     * @param p shape of one transaction's value
     * @param q shape of the customer's scale
     * @param gamma rate of the customer's scale
     * @throws IllegalArgumentException if any parameter is not positive and finite
     */
    public Params {
      Args.positive("Gamma-Gamma", "p", p);
      Args.positive("Gamma-Gamma", "q", q);
      Args.positive("Gamma-Gamma", "gamma", gamma);
    }
  }


  /**
   * The log-density of the mean spend m<sub>x</sub> of x transactions (FHL-RFM):
   * <pre>
   * f(m_x | p, q, &gamma;, x) = &Gamma;(px+q) / (&Gamma;(px) &Gamma;(q)) &middot; &gamma;^q m_x^(px&minus;1) x^(px) / (&gamma; + x m_x)^(px+q)
   * </pre>
   * The density of the total spend x&middot;m<sub>x</sub> is this divided by x, so its logarithm is
   * smaller by ln x; see {@link #totalSpendLogLikelihood}.
   *
   * @param params the parameters
   * @param x repeat transactions, at least 1
   * @param meanSpend their mean value, positive
   * @return ln f(m<sub>x</sub>)
   * @throws IllegalArgumentException if x &lt; 1 or the mean spend is not positive
   */
  public static double logLikelihood(Params params, long x, double meanSpend) {
    checkSpend("compute Gamma-Gamma log-likelihood", x, meanSpend);
    return rowLogLikelihood(params.p, params.q, params.gamma, x, meanSpend, null);
  }

  /**
   * The weighted total &Sigma; weight &middot; ln f(m<sub>x</sub>) of the mean-spend density. This is
   * the quantity a maximum-likelihood fit on (x, m<sub>x</sub>) maximises; on CDNOW it is &minus;4055.92
   * at the estimates. The &minus;4659 that FHL-RFM report is {@link #totalSpendLogLikelihood}, which
   * differs by the constant &Sigma; weight &middot; ln x and has the same maximiser.
   *
   * @param params the parameters
   * @param rows distinct (x, m<sub>x</sub>) with x &ge; 1 and positive m<sub>x</sub>
   * @return &Sigma; weight &middot; ln f(m<sub>x</sub>)
   * @throws IllegalArgumentException if a row has x &lt; 1 or a non-positive mean spend
   */
  public static double logLikelihood(Params params, SpendRow[] rows) {
    double total = 0;
    for (SpendRow row : rows) {
      checkSpend("compute Gamma-Gamma log-likelihood", row.x(), row.meanSpend());
      total += row.weight() * rowLogLikelihood(params.p, params.q, params.gamma, row.x(), row.meanSpend(), null);
    }
    return total;
  }

  /**
   * The weighted log-likelihood of the total spend x&middot;m<sub>x</sub>: {@link
   * #logLikelihood(Params, SpendRow[])} minus &Sigma; weight &middot; ln x (the Jacobian of m = s/x).
   * This is the figure FHL-RFM print (&minus;4659 on CDNOW).
   *
   * @param params the parameters
   * @param rows distinct (x, m<sub>x</sub>) with x &ge; 1 and positive m<sub>x</sub>
   * @return &Sigma; weight &middot; ln f(x m<sub>x</sub>)
   * @throws IllegalArgumentException if a row has x &lt; 1 or a non-positive mean spend
   */
  public static double totalSpendLogLikelihood(Params params, SpendRow[] rows) {
    double jacobian = 0;
    for (SpendRow row : rows) {
      jacobian += row.weight() * Math.log(row.x());
    }
    return logLikelihood(params, rows) - jacobian;
  }

  /** ln f(m_x); when gradient is not null, adds the derivatives with respect to (p, q, gamma). */
  private static double rowLogLikelihood(double p, double q, double gamma, long x, double m, double[] gradient) {
    double px = p * x;
    double logM = Math.log(m);
    double logX = Math.log(x);
    double logDenominator = Math.log(gamma + x * m);
    if (gradient != null) {
      double psiPxq = SpecialFunctions.digamma(px + q);
      gradient[0] += x * (psiPxq - SpecialFunctions.digamma(px) + logM + logX - logDenominator);
      gradient[1] += psiPxq - SpecialFunctions.digamma(q) + Math.log(gamma) - logDenominator;
      gradient[2] += q / gamma - (px + q) / (gamma + x * m);
    }
    return Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * Math.log(gamma)
        + (px - 1) * logM + px * logX - (px + q) * logDenominator;
  }

  /**
   * Maximum-likelihood fit from p = 1, q = 2, &gamma; = the weighted mean of m<sub>x</sub> (so the
   * start's population mean p&gamma;/(q&minus;1) equals the observed one, in the data's currency).
   *
   * @param rows distinct (x, m<sub>x</sub>) of customers with repeat transactions
   * @return the estimates, total mean-spend log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows, a row has x &lt; 1, or a mean spend is
   *     not positive ("Cannot fit Gamma-Gamma: spend must be positive (...)")
   */
  public static Fit<Params> fit(SpendRow[] rows) {
    Args.nonEmpty("fit Gamma-Gamma", rows);
    checkFitRows(rows);
    double[] weights = Weights.normalised(rows);
    double mean = 0;
    for (int i = 0; i < rows.length; i++) {
      mean += weights[i] * rows[i].meanSpend();
    }
    return fit(rows, new Params(1, 2, mean));
  }

  /**
   * Maximum-likelihood fit: BFGS on (ln p, ln q, ln &gamma;) with the analytic gradient of the
   * weighted mean log-density per customer (so the path depends only on the distinct rows and
   * their relative weights).
   *
   * @param rows distinct (x, m<sub>x</sub>) of customers with repeat transactions
   * @param start the starting parameters
   * @return the estimates, total mean-spend log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows, a row has x &lt; 1, or a mean spend is
   *     not positive
   */
  public static Fit<Params> fit(SpendRow[] rows, Params start) {
    Args.nonEmpty("fit Gamma-Gamma", rows);
    checkFitRows(rows);
    long began = System.nanoTime();
    double[] weights = Weights.normalised(rows);
    Bfgs.Objective objective = (theta, gradient) -> {
      double p = Math.exp(theta[0]);
      double q = Math.exp(theta[1]);
      double gamma = Math.exp(theta[2]);
      double[] rowGradient = new double[3];
      Arrays.fill(gradient, 0);
      double value = 0;
      for (int i = 0; i < rows.length; i++) {
        Arrays.fill(rowGradient, 0);
        value += weights[i] * rowLogLikelihood(p, q, gamma, rows[i].x(), rows[i].meanSpend(), rowGradient);
        for (int k = 0; k < 3; k++) {
          gradient[k] += weights[i] * rowGradient[k];
        }
      }
      // Chain rule for log-parameters: d/d ln(p) = p d/dp.
      gradient[0] *= p;
      gradient[1] *= q;
      gradient[2] *= gamma;
      return value;
    };
    double[] theta0 = {Math.log(start.p), Math.log(start.q), Math.log(start.gamma)};
    Bfgs.Result result = Bfgs.maximise(objective, theta0, GRADIENT_TOLERANCE, MAX_ITERATIONS);
    double[] t = result.x();
    Params params = new Params(Math.exp(t[0]), Math.exp(t[1]), Math.exp(t[2]));
    return new Fit<>(params, logLikelihood(params, rows), result.converged(), result.iterations(),
        (System.nanoTime() - began) / 1e9);
  }

  private static void checkFitRows(SpendRow[] rows) {
    for (SpendRow row : rows) {
      // Spend first: it is the usual mistake (x = 0 rows carry a mean of 0 by convention).
      if (!(row.meanSpend() > 0)) {
        throw new IllegalArgumentException("Cannot fit Gamma-Gamma: spend must be positive (" + row.meanSpend() + ")");
      }
      if (row.x() < 1) {
        throw new IllegalArgumentException(
            "Cannot fit Gamma-Gamma: x must be at least 1 repeat transaction (" + row.x() + ")");
      }
    }
  }

  private static void checkSpend(String action, long x, double meanSpend) {
    if (x < 1) {
      throw new IllegalArgumentException("Cannot " + action + ": x must be at least 1 (" + x + ")");
    }
    if (!(meanSpend > 0) || Double.isInfinite(meanSpend)) {
      throw new IllegalArgumentException("Cannot " + action + ": spend must be positive (" + meanSpend + ")");
    }
  }

  /**
   * The expected value of a transaction of a customer with x transactions of mean value
   * m<sub>x</sub> (FHL-RFM):
   * <pre>
   * E[M | p, q, &gamma;, m_x, x] = p (&gamma; + x m_x) / (px + q &minus; 1)
   *   = (q&minus;1)/(px+q&minus;1) &middot; p&gamma;/(q&minus;1) + px/(px+q&minus;1) &middot; m_x
   * </pre>
   * a weighted average of the population mean and the customer's own mean; for x = 0 it is the
   * population mean p&gamma;/(q&minus;1) and the mean spend is ignored.
   *
   * @param params the parameters
   * @param x repeat transactions, non-negative
   * @param meanSpend their mean value, non-negative (ignored when x = 0)
   * @return E[M | x, m<sub>x</sub>]
   * @throws IllegalArgumentException if x &lt; 0, the mean spend is negative or not finite, or
   *     the expectation is infinite (q &le; 1 for x = 0, px + q &le; 1 otherwise)
   */
  public static double conditionalExpectedAverageValue(Params params, long x, double meanSpend) {
    if (x < 0) {
      throw new IllegalArgumentException(
          "Cannot compute Gamma-Gamma expected average value: x must be non-negative (" + x + ")");
    }
    if (x == 0) {
      return populationMeanValue(params);
    }
    if (!(meanSpend >= 0) || Double.isInfinite(meanSpend)) {
      throw new IllegalArgumentException(
          "Cannot compute Gamma-Gamma expected average value: spend must be non-negative (" + meanSpend + ")");
    }
    double denominator = params.p * x + params.q - 1;
    if (!(denominator > 0)) {
      throw new IllegalArgumentException(
          "Cannot compute Gamma-Gamma expected average value: p*x + q must exceed 1 (" + (denominator + 1) + ")");
    }
    return params.p * (params.gamma + x * meanSpend) / denominator;
  }

  /**
   * The population mean transaction value E[M] = p&gamma;/(q&minus;1) (FHL-RFM), finite only for q
   * &gt; 1.
   *
   * @param params the parameters
   * @return p&gamma;/(q&minus;1)
   * @throws IllegalArgumentException if q &le; 1 (the mean is infinite)
   */
  public static double populationMeanValue(Params params) {
    if (!(params.q > 1)) {
      throw new IllegalArgumentException(
          "Cannot compute Gamma-Gamma population mean value: q must exceed 1 (" + params.q + ")");
    }
    return params.p * params.gamma / (params.q - 1);
  }
}
