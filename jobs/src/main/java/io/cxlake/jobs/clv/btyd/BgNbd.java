package io.cxlake.jobs.clv.btyd;

import io.cxlake.jobs.clv.btyd.SpecialFunctions.Hyp2f1;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The beta-geometric/NBD model of Fader, Hardie &amp; Lee (2005), "'Counting your customers' the
 * easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284 (FHL below).
 *
 * <p>While active, a customer buys as a Poisson process with rate &lambda; ~ Gamma(r, &alpha;); after
 * each purchase the customer drops out with probability p ~ Beta(a, b). Drop-out happens only right
 * after a purchase, so a customer with no repeat purchase (x = 0) has never had the chance to drop
 * out: under BG/NBD that customer is alive with probability 1 (unlike Pareto/NBD, where drop-out
 * can happen at any time).
 *
 * <p>Times are in whatever unit the summaries use (CDNOW: weeks); &alpha; is in that unit. All
 * methods are static and thread-safe.
 *
 * <p>The expectations need the Gauss hypergeometric function 2F1. If it does not converge they
 * return NaN, never a silently wrong number, so per-customer scoring can keep going and flag the
 * customer with {@code Double.isNaN}. With fitted parameters and horizons of the order of years it
 * does not happen (the series are summed in the form whose terms shrink from the start).
 */
public final class BgNbd {

  /**
   * Convergence: every gradient component of the mean log-likelihood per customer, with respect to
   * the log-parameters, below this. A 1% change of any parameter then moves the mean
   * log-likelihood by less than 1e-11 to first order.
   */
  private static final double GRADIENT_TOLERANCE = 1e-9;

  private static final int MAX_ITERATIONS = 500;

  /**
   * Within this of a = 1 the closed forms' factor 1/(a &minus; 1) multiplies a difference that
   * vanishes with it; the expectations are then summed with (a &minus; 1) factored out of the series
   * instead, which is exact at a = 1 too.
   */
  private static final double A_NEAR_ONE = 1e-4;

  private static final int MAX_TERMS = SpecialFunctions.DEFAULT_MAX_TERMS;

  private BgNbd() {}

  /**
   * BG/NBD parameters (FHL).
   *
   * @param r shape of the gamma distribution of the purchase rate &lambda;
   * @param alpha rate (inverse scale) of that gamma distribution, in the summaries' time unit
   * @param a first shape of the beta distribution of the drop-out probability p
   * @param b second shape of the beta distribution of p
   */
  public record Params(double r, double alpha, double a, double b) {

    /**
     * Checks the parameters.
     *
     * @param r shape of the purchase-rate distribution
     * @param alpha rate of the purchase-rate distribution
     * @param a first shape of the drop-out distribution
     * @param b second shape of the drop-out distribution
     * @throws IllegalArgumentException if any parameter is not positive and finite
     */
    public Params {
      Args.positive("BG/NBD", "r", r);
      Args.positive("BG/NBD", "alpha", alpha);
      Args.positive("BG/NBD", "a", a);
      Args.positive("BG/NBD", "b", b);
    }
  }


  /**
   * The log-likelihood of one customer, ln L(r, &alpha;, a, b | x, t<sub>x</sub>, T) (FHL), in
   * the form of Hardie's note 027, "Overcoming the BG/NBD model's #NUM! error problem" (2013):
   * <pre>
   * ln L = ln A1 + ln A2 + ln(e^(ln A3) + &delta;(x&gt;0) e^(ln A4))
   * A1 = &Gamma;(r+x) &alpha;^r / &Gamma;(r)
   * A2 = &Gamma;(a+b) &Gamma;(b+x) / (&Gamma;(b) &Gamma;(a+b+x))
   * A3 = (&alpha;+T)^-(r+x)
   * A4 = a / (b+x&minus;1) &middot; (&alpha;+t_x)^-(r+x)
   * </pre>
   * Every factor stays a logarithm and the last sum is a log-sum-exp, so heavy buyers (large x)
   * neither overflow &Gamma; nor underflow the powers. For x = 0 only A3 remains.
   *
   * @param params the parameters
   * @param x repeat transactions
   * @param tx recency (0 when x = 0)
   * @param T age
   * @return ln L
   */
  public static double logLikelihood(Params params, long x, double tx, double T) {
    Args.summary("compute BG/NBD log-likelihood", x, tx, T);
    return rowLogLikelihood(params.r, params.alpha, params.a, params.b, x, tx, T, null);
  }

  /**
   * The weighted total log-likelihood &Sigma; weight &middot; ln L over distinct summaries (FHL's
   * sample log-likelihood when each row's weight is its customer count).
   *
   * @param params the parameters
   * @param rows distinct summaries with customer counts
   * @return &Sigma; weight &middot; ln L
   */
  public static double logLikelihood(Params params, SummaryRow[] rows) {
    double total = 0;
    for (SummaryRow row : rows) {
      total += row.weight() * rowLogLikelihood(params.r, params.alpha, params.a, params.b, row.x(), row.tx(),
          row.T(), null);
    }
    return total;
  }

  /**
   * ln L of one row; when {@code gradient} is not null, adds &part; ln L / &part;(r, &alpha;, a, b) to it
   * (the derivatives of note 027's terms: digammas for the gamma ratios, the log-sum-exp's softmax
   * weights for the last term).
   */
  private static double rowLogLikelihood(double r, double alpha, double a, double b, long x, double tx, double T,
      double[] gradient) {
    double logA1 = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
    double logA2 = Gamma.logGamma(a + b) + Gamma.logGamma(b + x) - Gamma.logGamma(b) - Gamma.logGamma(a + b + x);
    double logAlphaT = Math.log(alpha + T);
    double logA3 = -(r + x) * logAlphaT;
    if (x == 0) {
      if (gradient != null) {
        gradient[0] += Math.log(alpha) - logAlphaT;
        gradient[1] += r / alpha - r / (alpha + T);
      }
      // A2 = 1 for x = 0; written out so the x = 0 row costs no gamma calls beyond A1's.
      return r * Math.log(alpha) + logA3;
    }
    double logAlphaTx = Math.log(alpha + tx);
    double logA4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * logAlphaTx;
    double logSum = SpecialFunctions.logSumExp(logA3, logA4);
    if (gradient != null) {
      double w3 = Math.exp(logA3 - logSum);
      double w4 = Math.exp(logA4 - logSum);
      double psiAb = SpecialFunctions.digamma(a + b);
      double psiAbx = SpecialFunctions.digamma(a + b + x);
      gradient[0] += SpecialFunctions.digamma(r + x) - SpecialFunctions.digamma(r) + Math.log(alpha)
          - w3 * logAlphaT - w4 * logAlphaTx;
      gradient[1] += r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + tx));
      gradient[2] += psiAb - psiAbx + w4 / a;
      gradient[3] += psiAb + SpecialFunctions.digamma(b + x) - SpecialFunctions.digamma(b) - psiAbx - w4 / (b + x - 1);
    }
    return logA1 + logA2 + logSum;
  }

  /**
   * Maximum-likelihood fit from a start scaled to the data: r = 1, &alpha; = &Sigma;wT / &Sigma;w(x+1)
   * (the reciprocal of the observed purchase rate, so the start does not depend on the time unit),
   * a = b = 1.
   *
   * @param rows distinct summaries with customer counts (see {@link SummaryRow#compress})
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static Fit<Params> fit(SummaryRow[] rows) {
    Args.nonEmpty("fit BG/NBD", rows);
    return fit(rows, new Params(1, Weights.rateScale(rows), 1, 1));
  }

  /**
   * Maximum-likelihood fit: BFGS on (ln r, ln &alpha;, ln a, ln b) with the analytic gradient. The
   * objective is the weighted mean log-likelihood per customer, so the optimiser's path and its
   * tolerances depend only on the distinct rows and their relative weights: multiplying every
   * weight by 1000 gives the same iterations. The cost is linear in the number of rows.
   *
   * <p>Without any repeat purchase the likelihood keeps rising as r &rarr; 0 and has no maximum; the
   * result is then reported as not converged, whatever the optimiser did.
   *
   * @param rows distinct summaries with customer counts
   * @param start the starting parameters
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static Fit<Params> fit(SummaryRow[] rows, Params start) {
    Args.nonEmpty("fit BG/NBD", rows);
    long began = System.nanoTime();
    double[] weights = Weights.normalised(rows);
    Bfgs.Objective objective = (theta, gradient) -> {
      double r = Math.exp(theta[0]);
      double alpha = Math.exp(theta[1]);
      double a = Math.exp(theta[2]);
      double b = Math.exp(theta[3]);
      double[] rowGradient = new double[4];
      Arrays.fill(gradient, 0);
      double value = 0;
      for (int i = 0; i < rows.length; i++) {
        Arrays.fill(rowGradient, 0);
        SummaryRow row = rows[i];
        value += weights[i] * rowLogLikelihood(r, alpha, a, b, row.x(), row.tx(), row.T(), rowGradient);
        for (int k = 0; k < 4; k++) {
          gradient[k] += weights[i] * rowGradient[k];
        }
      }
      // Chain rule for log-parameters: d/d ln(p) = p d/dp.
      gradient[0] *= r;
      gradient[1] *= alpha;
      gradient[2] *= a;
      gradient[3] *= b;
      return value;
    };
    double[] theta0 = {Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)};
    Bfgs.Result result = Bfgs.maximise(objective, theta0, GRADIENT_TOLERANCE, MAX_ITERATIONS);
    double[] t = result.x();
    Params params = new Params(Math.exp(t[0]), Math.exp(t[1]), Math.exp(t[2]), Math.exp(t[3]));
    boolean identified = Weights.anyRepeat(rows);
    return new Fit<>(params, logLikelihood(params, rows), result.converged() && identified, result.iterations(),
        (System.nanoTime() - began) / 1e9);
  }

  /**
   * The expected number of repeat transactions in (0, t] of a customer just acquired (FHL):
   * <pre>
   * E[X(t)] = (a+b&minus;1)/(a&minus;1) [1 &minus; (&alpha;/(&alpha;+t))^r 2F1(r, b; a+b&minus;1; t/(&alpha;+t))]
   * </pre>
   * The power and 2F1 are combined in logarithms. Near a = 1 (closer than 1e-4) the removable
   * singularity is avoided by summing the same series with (a &minus; 1) factored out.
   *
   * @param params the parameters
   * @param t the horizon, non-negative
   * @return E[X(t)], or NaN if 2F1 does not converge (see the class notes)
   */
  public static double expectedTransactions(Params params, double t) {
    Args.horizon("compute BG/NBD expected transactions", t);
    double c = params.a + params.b - 1;
    double z = t / (params.alpha + t);
    double logOneMinusZ = -Math.log1p(t / params.alpha);
    return c * bracketOverAMinusOne(params, params.r, params.b, c, z, logOneMinusZ);
  }

  /**
   * The expected number of transactions in the next t of a customer with summary (x, t<sub>x</sub>,
   * T) (FHL):
   * <pre>
   * E[Y(t) | x, t_x, T] = (a+b+x&minus;1)/(a&minus;1)
   *     &middot; [1 &minus; ((&alpha;+T)/(&alpha;+T+t))^(r+x) 2F1(r+x, b+x; a+b+x&minus;1; t/(&alpha;+T+t))]
   *     / [1 + &delta;(x&gt;0) a/(b+x&minus;1) ((&alpha;+T)/(&alpha;+t_x))^(r+x)]
   * </pre>
   * The denominator's reciprocal is {@link #probabilityAlive}, computed in log space. 2F1 is
   * evaluated with Euler's transformation for heavy buyers (its plain series would reach
   * e<sup>hundreds</sup>), and combined with the power in logarithms. Near a = 1 see
   * {@link #expectedTransactions}.
   *
   * @param params the parameters
   * @param t the horizon, non-negative
   * @param x repeat transactions in calibration
   * @param tx recency (0 when x = 0)
   * @param T age at the end of calibration
   * @return E[Y(t) | x, t<sub>x</sub>, T], or NaN if 2F1 does not converge (see the class notes)
   */
  public static double conditionalExpectedTransactions(Params params, double t, long x, double tx, double T) {
    String action = "compute BG/NBD conditional expected transactions";
    Args.summary(action, x, tx, T);
    Args.horizon(action, t);
    double c = params.a + params.b + x - 1;
    double z = t / (params.alpha + T + t);
    double logOneMinusZ = -Math.log1p(t / (params.alpha + T));
    double numerator = c * bracketOverAMinusOne(params, params.r + x, params.b + x, c, z, logOneMinusZ);
    return numerator * probabilityAlive(params, x, tx, T);
  }

  /**
   * [1 &minus; (1&minus;z)^rr 2F1(rr, bb; c; z)] / (a &minus; 1): the bracket of the unconditional
   * expectation (rr = r, bb = b, c = a+b&minus;1) and of the conditional one (rr = r+x, bb = b+x, c =
   * a+b+x&minus;1). In both, Euler's transformation gives (1&minus;z)^rr 2F1(rr, bb; c; z) =
   * (1&minus;z)^(a&minus;1) 2F1(a+b&minus;1&minus;r, a&minus;1; c; z), which is the series the near-one
   * branch sums. NaN when the series does not converge.
   */
  private static double bracketOverAMinusOne(Params params, double rr, double bb, double c, double z,
      double logOneMinusZ) {
    double epsilon = params.a - 1;
    if (Math.abs(epsilon) < A_NEAR_ONE) {
      return seriesWithEpsilonFactored(epsilon, params.a + params.b - 1 - params.r, c, z, logOneMinusZ);
    }
    Hyp2f1 h = SpecialFunctions.hyp2f1(rr, bb, c, z);
    if (!h.converged()) {
      return Double.NaN;
    }
    double logProduct = rr * logOneMinusZ + h.logAbs();
    double oneMinusProduct = h.sign() > 0 ? -Math.expm1(logProduct) : 1 - h.sign() * Math.exp(logProduct);
    return oneMinusProduct / epsilon;
  }

  /**
   * [1 &minus; (1&minus;z)^&epsilon; 2F1(&epsilon;, B; C; z)] / &epsilon; = [1 &minus;
   * (1&minus;z)^&epsilon;]/&epsilon; &minus; (1&minus;z)^&epsilon; &Sigma;<sub>n&ge;1</sub>
   * (&epsilon;+1)<sub>n&minus;1</sub>(B)<sub>n</sub>/((C)<sub>n</sub> n!) z<sup>n</sup>, using
   * (&epsilon;)<sub>n</sub> = &epsilon; (&epsilon;+1)<sub>n&minus;1</sub>; regular at &epsilon; = 0. NaN
   * when the series does not converge.
   */
  private static double seriesWithEpsilonFactored(double epsilon, double bigB, double bigC, double z,
      double logOneMinusZ) {
    double first = epsilon == 0 ? -logOneMinusZ : -Math.expm1(epsilon * logOneMinusZ) / epsilon;
    double term = bigB / bigC * z;
    double sum = term;
    double previousRatio = Double.POSITIVE_INFINITY;
    boolean converged = term == 0;
    for (int n = 1; n < MAX_TERMS && !converged; n++) {
      double ratio = (epsilon + n) * (bigB + n) / ((bigC + n) * (n + 1.0)) * z;
      term *= ratio;
      sum += term;
      double absRatio = Math.abs(ratio);
      double bound = Math.max(absRatio, z);
      // The same geometric tail bound as SpecialFunctions' series.
      boolean boundHolds = absRatio <= z || absRatio <= previousRatio;
      converged = term == 0
          || (bound < 1 && boundHolds && Math.abs(term) * bound / (1 - bound) <= 1e-15 * Math.abs(sum));
      previousRatio = absRatio;
    }
    if (!converged || !Double.isFinite(sum)) {
      return Double.NaN;
    }
    return first - Math.exp(epsilon * logOneMinusZ) * sum;
  }

  /**
   * P(alive | x, t<sub>x</sub>, T) (Fader, Hardie &amp; Lee 2008, "Computing P(alive) using the BG/NBD model"):
   * <pre>
   * P(alive) = 1 / [1 + &delta;(x&gt;0) a/(b+x&minus;1) ((&alpha;+T)/(&alpha;+t_x))^(r+x)]
   * </pre>
   * The odds are formed as a logarithm and turned into a probability with the logistic function
   * on the side that cannot overflow, so a heavy buyer silent for long gets a tiny positive number,
   * not NaN. For x = 0 it is 1: under BG/NBD drop-out happens only right after a purchase.
   *
   * @param params the parameters
   * @param x repeat transactions
   * @param tx recency (0 when x = 0)
   * @param T age
   * @return the probability that the customer is still active at T
   */
  public static double probabilityAlive(Params params, long x, double tx, double T) {
    Args.summary("compute BG/NBD P(alive)", x, tx, T);
    if (x == 0) {
      return 1.0;
    }
    double logOdds = Math.log(params.a) - Math.log(params.b + x - 1)
        + (params.r + x) * (Math.log(params.alpha + T) - Math.log(params.alpha + tx));
    return SpecialFunctions.logistic(-logOdds);
  }
}
