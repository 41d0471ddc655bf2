package io.cxlake.jobs.clv.btyd;

import io.cxlake.jobs.clv.btyd.SpecialFunctions.Hyp2f1;
import org.apache.commons.math3.special.Gamma;

/**
 * The Pareto/NBD model of Schmittlein, Morrison &amp; Colombo (1987), "Counting your customers: who
 * are they and what will they do next?", Management Science 33(1), 1-24 (SMC below), with the
 * likelihood and expressions of Fader &amp; Hardie (2005), "A note on deriving the Pareto/NBD model
 * and related expressions" and their note on implementing it (F&amp;H below).
 *
 * <p>While active, a customer buys as a Poisson process with rate &lambda; ~ Gamma(r, &alpha;); the
 * lifetime is exponential with rate &mu; ~ Gamma(s, &beta;). Unlike BG/NBD, drop-out can happen at
 * any time, so a customer with no repeat purchase is alive with probability below 1.
 *
 * <p>Times are in the summaries' unit; &alpha; and &beta; are in that unit. All methods are static and
 * thread-safe. As for {@link BgNbd}, a 2F1 that does not converge makes the result NaN, never a
 * silently wrong number.
 */
public final class ParetoNbd {

  /**
   * Convergence on the mean log-likelihood per customer, per unit log-parameter. Looser than
   * BG/NBD's because the gradient is a central difference, whose noise is about 1e-10.
   */
  private static final double GRADIENT_TOLERANCE = 1e-8;

  /** Central-difference step in log-parameters: balances truncation (step&sup2;) against rounding. */
  private static final double DIFFERENCE_STEP = 1e-5;

  private static final int MAX_ITERATIONS = 500;

  private ParetoNbd() {}

  /**
   * Pareto/NBD parameters.
   *
   * @param r shape of the gamma distribution of the purchase rate &lambda;
   * @param alpha rate of that gamma distribution, in the summaries' time unit
   * @param s shape of the gamma distribution of the drop-out rate &mu;
   * @param beta rate of that gamma distribution, in the summaries' time unit
   */
  public record Params(double r, double alpha, double s, double beta) {

    /**
     * Checks the parameters.
     *
     * @param r shape of the purchase-rate distribution
     * @param alpha rate of the purchase-rate distribution
     * @param s shape of the drop-out-rate distribution
     * @param beta rate of the drop-out-rate distribution
     * @throws IllegalArgumentException if any parameter is not positive and finite
     */
    public Params {
      Args.positive("Pareto/NBD", "r", r);
      Args.positive("Pareto/NBD", "alpha", alpha);
      Args.positive("Pareto/NBD", "s", s);
      Args.positive("Pareto/NBD", "beta", beta);
    }
  }

  /**
   * The outcome of a Pareto/NBD maximum-likelihood fit.
   *
   * @param params the maximum-likelihood estimates (the last point reached if not converged)
   * @param logLikelihood the weighted total log-likelihood &Sigma; weight &middot; ln L at the estimates
   * @param converged whether the optimiser met its gradient tolerance; when false the estimates
   *     should not be trusted
   * @param iterations quasi-Newton iterations taken (they depend on the distinct rows and their
   *     relative weights, not on the number of customers)
   * @param seconds wall-clock time of the fit
   */
  public record FitResult(Params params, double logLikelihood, boolean converged, int iterations, double seconds) {}

  /** ln of the likelihood's parts: L = e^common (e^alive + e^dead); NaN marks a 2F1 failure. */
  private record LogParts(double common, double alive, double dead) {

    double logLikelihood() {
      return common + SpecialFunctions.logSumExp(alive, dead);
    }
  }

  /**
   * The likelihood of F&amp;H (2005), in logarithms:
   * <pre>
   * L = &Gamma;(r+x) &alpha;^r &beta;^s / &Gamma;(r) [ (&alpha;+T)^-(r+x) (&beta;+T)^-s + s/(r+s+x) A0 ]
   * &alpha; &ge; &beta;: A0 = 2F1(r+s+x, s+1; r+s+x+1; (&alpha;&minus;&beta;)/(&alpha;+t_x)) / (&alpha;+t_x)^(r+s+x)
   *                &minus; 2F1(r+s+x, s+1; r+s+x+1; (&alpha;&minus;&beta;)/(&alpha;+T)) / (&alpha;+T)^(r+s+x)
   * &alpha; &lt; &beta;: A0 = 2F1(r+s+x, r+x; r+s+x+1; (&beta;&minus;&alpha;)/(&beta;+t_x)) / (&beta;+t_x)^(r+s+x)
   *                &minus; 2F1(r+s+x, r+x; r+s+x+1; (&beta;&minus;&alpha;)/(&beta;+T)) / (&beta;+T)^(r+s+x)
   * </pre>
   * The case split keeps every 2F1 argument in [0, 1). A0 = (r+s+x) &int;<sub>t_x</sub><sup>T</sup>
   * (&alpha;+&tau;)^-(r+x) (&beta;+&tau;)^-(s+1) d&tau; &ge; 0 (the chance of dying unseen between t_x
   * and T), so its difference is taken with {@link SpecialFunctions#logDiffExp}; for t<sub>x</sub> =
   * T it is 0.
   */
  private static LogParts logParts(double r, double alpha, double s, double beta, long x, double tx, double T) {
    double common = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    double alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    double rsx = r + s + x;
    double logT1;
    double logT2;
    Hyp2f1 f1;
    Hyp2f1 f2;
    if (alpha >= beta) {
      f1 = SpecialFunctions.hyp2f1(rsx, s + 1, rsx + 1, (alpha - beta) / (alpha + tx));
      f2 = SpecialFunctions.hyp2f1(rsx, s + 1, rsx + 1, (alpha - beta) / (alpha + T));
      logT1 = f1.logAbs() - rsx * Math.log(alpha + tx);
      logT2 = f2.logAbs() - rsx * Math.log(alpha + T);
    } else {
      f1 = SpecialFunctions.hyp2f1(rsx, r + x, rsx + 1, (beta - alpha) / (beta + tx));
      f2 = SpecialFunctions.hyp2f1(rsx, r + x, rsx + 1, (beta - alpha) / (beta + T));
      logT1 = f1.logAbs() - rsx * Math.log(beta + tx);
      logT2 = f2.logAbs() - rsx * Math.log(beta + T);
    }
    if (!f1.converged() || !f2.converged() || f1.sign() <= 0 || f2.sign() <= 0) {
      // Both 2F1 have positive terms only; anything else is a failure, carried as NaN.
      return new LogParts(common, alive, Double.NaN);
    }
    // T1 >= T2 exactly; rounding can flip them when t_x is within a few ulps of T, where A0 ~ 0.
    double logA0 = logT2 >= logT1 ? Double.NEGATIVE_INFINITY : SpecialFunctions.logDiffExp(logT1, logT2);
    double dead = Math.log(s) - Math.log(rsx) + logA0;
    return new LogParts(common, alive, dead);
  }

  /** The parts for validated inputs; a 2F1 failure leaves NaN in them, which every result carries. */
  private static LogParts checkedParts(Params params, long x, double tx, double T, String action) {
    Args.summary(action, x, tx, T);
    return logParts(params.r, params.alpha, params.s, params.beta, x, tx, T);
  }

  /**
   * The log-likelihood of one customer (F&amp;H; the form is documented at the private helper).
   *
   * @param params the parameters
   * @param x repeat transactions
   * @param tx recency (0 when x = 0)
   * @param T age
   * @return ln L, or NaN if 2F1 does not converge
   */
  public static double logLikelihood(Params params, long x, double tx, double T) {
    return checkedParts(params, x, tx, T, "compute Pareto/NBD log-likelihood").logLikelihood();
  }

  /**
   * The weighted total log-likelihood &Sigma; weight &middot; ln L over distinct summaries.
   *
   * @param params the parameters
   * @param rows distinct summaries with customer counts
   * @return &Sigma; weight &middot; ln L, or NaN if 2F1 does not converge for some row
   */
  public static double logLikelihood(Params params, SummaryRow[] rows) {
    double total = 0;
    for (SummaryRow row : rows) {
      total += row.weight() * checkedParts(params, row.x(), row.tx(), row.T(), "compute Pareto/NBD log-likelihood")
          .logLikelihood();
    }
    return total;
  }

  /**
   * Maximum-likelihood fit from a start scaled to the data: r = s = 1 and &alpha; = &beta; =
   * &Sigma;wT / &Sigma;w(x+1), the reciprocal of the observed purchase rate.
   *
   * @param rows distinct summaries with customer counts (see {@link SummaryRow#compress})
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static FitResult fit(SummaryRow[] rows) {
    Args.nonEmpty("fit Pareto/NBD", rows);
    double scale = Weights.rateScale(rows);
    return fit(rows, new Params(1, scale, 1, scale));
  }

  /**
   * Maximum-likelihood fit: BFGS on (ln r, ln &alpha;, ln s, ln &beta;) with a central-difference
   * gradient (the parameter derivatives of 2F1 have no convenient closed form). As for BG/NBD the
   * objective is the weighted mean log-likelihood, so the path depends only on the distinct rows
   * and their relative weights. A parameter trial where 2F1 fails is treated as infeasible and the
   * line search backs away from it.
   *
   * <p>Without any repeat purchase the likelihood has no maximum (it rises towards r &rarr; 0); the
   * result is then reported as not converged, whatever the optimiser did.
   *
   * @param rows distinct summaries with customer counts
   * @param start the starting parameters
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static FitResult fit(SummaryRow[] rows, Params start) {
    Args.nonEmpty("fit Pareto/NBD", rows);
    long began = System.nanoTime();
    double[] weights = Weights.normalised(rows);
    Bfgs.Objective objective = Bfgs.centralDifferences(theta -> {
      double r = Math.exp(theta[0]);
      double alpha = Math.exp(theta[1]);
      double s = Math.exp(theta[2]);
      double beta = Math.exp(theta[3]);
      double value = 0;
      for (int i = 0; i < rows.length; i++) {
        SummaryRow row = rows[i];
        value += weights[i] * logParts(r, alpha, s, beta, row.x(), row.tx(), row.T()).logLikelihood();
      }
      return value;
    }, DIFFERENCE_STEP);
    double[] theta0 = {Math.log(start.r), Math.log(start.alpha), Math.log(start.s), Math.log(start.beta)};
    Bfgs.Result result = Bfgs.maximise(objective, theta0, GRADIENT_TOLERANCE, MAX_ITERATIONS);
    double[] t = result.x();
    Params params = new Params(Math.exp(t[0]), Math.exp(t[1]), Math.exp(t[2]), Math.exp(t[3]));
    boolean identified = Weights.anyRepeat(rows);
    return new FitResult(params, logLikelihood(params, rows), result.converged() && identified, result.iterations(),
        (System.nanoTime() - began) / 1e9);
  }

  /**
   * P(alive | x, t<sub>x</sub>, T) (SMC; F&amp;H): the first term of the likelihood's
   * bracket over the whole bracket, taken in logarithms. Below 1 for every customer, including
   * those with x = 0, because under Pareto/NBD drop-out can occur at any time.
   *
   * @param params the parameters
   * @param x repeat transactions
   * @param tx recency (0 when x = 0)
   * @param T age
   * @return the probability that the customer is still active at T, or NaN if 2F1 does not converge
   */
  public static double probabilityAlive(Params params, long x, double tx, double T) {
    LogParts parts = checkedParts(params, x, tx, T, "compute Pareto/NBD P(alive)");
    return Math.exp(parts.alive - SpecialFunctions.logSumExp(parts.alive, parts.dead));
  }

  /**
   * The expected number of transactions in the next t of a customer with summary (x, t<sub>x</sub>,
   * T) (SMC; F&amp;H):
   * <pre>
   * E[Y(t) | x, t_x, T] = (r+x)(&beta;+T) / ((&alpha;+T)(s&minus;1)) [1 &minus; ((&beta;+T)/(&beta;+T+t))^(s&minus;1)] P(alive)
   * </pre>
   * The factor [1 &minus; q^(s&minus;1)]/(s&minus;1) is evaluated as &minus;expm1((s&minus;1) ln q)/(s&minus;1),
   * which stays exact as s &rarr; 1 (its limit &minus;ln q is used at s = 1).
   *
   * @param params the parameters
   * @param t the horizon, non-negative
   * @param x repeat transactions in calibration
   * @param tx recency (0 when x = 0)
   * @param T age at the end of calibration
   * @return E[Y(t) | x, t<sub>x</sub>, T], or NaN if 2F1 does not converge
   */
  public static double conditionalExpectedTransactions(Params params, double t, long x, double tx, double T) {
    Args.horizon("compute Pareto/NBD conditional expected transactions", t);
    double alive = probabilityAlive(params, x, tx, T);
    double logQ = -Math.log1p(t / (params.beta + T));
    return (params.r + x) / (params.alpha + T) * (params.beta + T) * powerRatio(params.s - 1, logQ) * alive;
  }

  /**
   * The expected number of repeat transactions in (0, t] of a customer just acquired (SMC; F&amp;H):
   * r&beta;/(&alpha;(s&minus;1)) [1 &minus; (&beta;/(&beta;+t))^(s&minus;1)], with the same s = 1 care as
   * {@link #conditionalExpectedTransactions}.
   *
   * @param params the parameters
   * @param t the horizon, non-negative
   * @return E[X(t)]
   */
  public static double expectedTransactions(Params params, double t) {
    Args.horizon("compute Pareto/NBD expected transactions", t);
    double logQ = -Math.log1p(t / params.beta);
    return params.r / params.alpha * params.beta * powerRatio(params.s - 1, logQ);
  }

  /** [1 &minus; e^(&epsilon; L)] / &epsilon;, with its limit &minus;L at &epsilon; = 0. */
  private static double powerRatio(double epsilon, double logQ) {
    return epsilon == 0 ? -logQ : -Math.expm1(epsilon * logQ) / epsilon;
  }
}
