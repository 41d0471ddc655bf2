package io.cxlake.jobs.clv.btyd;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The Pareto/NBD model of Schmittlein, Morrison &amp; Colombo (1987), "Counting your customers: who
 * are they and what will they do next?", Management Science 33(1), 1-24 (SMC below), with the
 * likelihood and expressions of Fader &amp; Hardie (2005), "A note on deriving the Pareto/NBD model
 * and related expressions" (F&amp;H below).
 *
 * <p>While active, a customer buys as a Poisson process with rate &lambda; ~ Gamma(r, &alpha;); the
 * lifetime is exponential with rate &mu; ~ Gamma(s, &beta;). Unlike BG/NBD, drop-out can happen at
 * any time, so a customer with no repeat purchase is alive with probability below 1.
 *
 * <p>The likelihood's drop-out term is evaluated as a one-dimensional integral over the drop-out
 * time ({@link DropoutIntegral}) rather than through the Gauss hypergeometric function 2F1, whose
 * series converge very slowly when the drop-out rates are concentrated (large s and &beta;) and the
 * purchase and drop-out scales differ. Times are in the summaries' unit; &alpha; and &beta; are in
 * that unit. All methods are static and thread-safe.
 */
public final class ParetoNbd {

  /**
   * Convergence: every gradient component of the mean log-likelihood per customer, with respect to
   * the log-parameters, below this (as for BG/NBD: the gradient is analytic, exact to rounding).
   */
  private static final double GRADIENT_TOLERANCE = 1e-9;

  private static final int MAX_ITERATIONS = 500;

  private static final double LN2 = Math.log(2);

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
   * The likelihood of one customer (F&amp;H eq. 3, SMC), written as an expectation over the
   * drop-out time &tau;: with E[&lambda;^x e^(&minus;&lambda;&tau;)] = &Gamma;(r+x)/&Gamma;(r) &alpha;^r
   * (&alpha;+&tau;)^&minus;(r+x) and E[&mu; e^(&minus;&mu;&tau;)] = s &beta;^s (&beta;+&tau;)^&minus;(s+1),
   * <pre>
   * L = &Gamma;(r+x) &alpha;^r &beta;^s / &Gamma;(r) [ (&alpha;+T)^-(r+x) (&beta;+T)^-s
   *                               + s &int;_{t_x}^T (&alpha;+&tau;)^-(r+x) (&beta;+&tau;)^-(s+1) d&tau; ]
   *   = &Gamma;(r+x) / (&Gamma;(r) &alpha;^x) [ (1+T/&alpha;)^-(r+x) (1+T/&beta;)^-s
   *                               + s/&beta; &int;_{t_x}^T (1+&tau;/&alpha;)^-(r+x) (1+&tau;/&beta;)^-(s+1) d&tau; ]
   * </pre>
   * The first term of the bracket is "still alive at T", the second "dropped out unseen between
   * t<sub>x</sub> and T"; the first integral is F&amp;H's A<sub>0</sub> (their difference of 2F1) divided
   * by r+s+x. The second, scaled form is the one evaluated: its logarithms need no cancellation of
   * large terms, also when s and &beta; are large (s ln &beta; &minus; s ln(&beta;+T) becomes &minus;s
   * ln(1+T/&beta;)). This returns ln of the factor before the bracket and of the bracket's two terms.
   */
  private static LogParts logParts(double r, double alpha, double s, double beta, long x, double tx, double T) {
    double a = r + x;
    double common = Gamma.logGamma(a) - Gamma.logGamma(r) - x * Math.log(alpha);
    double alive = -a * Math.log1p(T / alpha) - s * Math.log1p(T / beta);
    double dead = tx == T ? Double.NEGATIVE_INFINITY : Math.log(s / beta)
        + DropoutIntegral.logIntegral(a, alpha, s + 1, beta, tx, T, Math.log1p(tx / alpha), Math.log1p(tx / beta), null);
    return new LogParts(common, alive, dead);
  }

  /** ln of the likelihood's parts: L = e^common (e^alive + e^dead). */
  private record LogParts(double common, double alive, double dead) {

    double logLikelihood() {
      return common + SpecialFunctions.logSumExp(alive, dead);
    }
  }

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
   * @return ln L
   */
  public static double logLikelihood(Params params, long x, double tx, double T) {
    return checkedParts(params, x, tx, T, "compute Pareto/NBD log-likelihood").logLikelihood();
  }

  /**
   * The weighted total log-likelihood &Sigma; weight &middot; ln L over distinct summaries, by the
   * fit's shared-grid evaluation (see {@link Grid}); it agrees with the sum of the per-customer
   * values to about 1e-13 relative.
   *
   * @param params the parameters
   * @param rows distinct summaries with customer counts
   * @return &Sigma; weight &middot; ln L
   */
  public static double logLikelihood(Params params, SummaryRow[] rows) {
    return logLikelihood(params, rows, null);
  }

  /**
   * &Sigma; weight &middot; ln L, and when {@code gradient} is not null &Sigma; weight &middot; &part; ln
   * L / &part;(r, &alpha;, s, &beta;) written into it (the fit's objective, open to tests).
   */
  static double logLikelihood(Params params, SummaryRow[] rows, double[] gradient) {
    if (rows.length == 0) {
      if (gradient != null) {
        Arrays.fill(gradient, 0);
      }
      return 0;
    }
    double[] weights = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      weights[i] = rows[i].weight();
    }
    return new Grid(rows).evaluate(params.r, params.alpha, params.s, params.beta, weights, gradient);
  }

  /**
   * Maximum-likelihood fit from a start scaled to the data: r = s = 1 and &alpha; = &beta; =
   * &Sigma;wT / &Sigma;w(x+1), the reciprocal of the observed purchase rate.
   *
   * @param rows distinct summaries with customer counts (see {@link SummaryRow#compress})
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static Fit<Params> fit(SummaryRow[] rows) {
    Args.nonEmpty("fit Pareto/NBD", rows);
    double scale = Weights.rateScale(rows);
    return fit(rows, new Params(1, scale, 1, scale));
  }

  /**
   * Maximum-likelihood fit: BFGS on (ln r, ln &alpha;, ln s, ln &beta;) with the analytic gradient.
   * As for BG/NBD the objective is the weighted mean log-likelihood, so the path depends only on the
   * distinct rows and their relative weights. Each evaluation integrates once per distinct x over
   * the grid of that x's distinct t<sub>x</sub> and T values and shares the pieces among its rows
   * ({@link Grid}), so its cost is bounded by (distinct x) &times; (distinct times) however many
   * rows there are.
   *
   * <p>Without any repeat purchase the likelihood has no maximum (it rises towards r &rarr; 0); the
   * result is then reported as not converged, whatever the optimiser did.
   *
   * @param rows distinct summaries with customer counts
   * @param start the starting parameters
   * @return the estimates, total log-likelihood, convergence flag, iterations and time
   * @throws IllegalArgumentException if there are no rows
   */
  public static Fit<Params> fit(SummaryRow[] rows, Params start) {
    Args.nonEmpty("fit Pareto/NBD", rows);
    long began = System.nanoTime();
    double[] weights = Weights.normalised(rows);
    Grid grid = new Grid(rows);
    Bfgs.Objective objective = (theta, gradient) -> {
      double r = Math.exp(theta[0]);
      double alpha = Math.exp(theta[1]);
      double s = Math.exp(theta[2]);
      double beta = Math.exp(theta[3]);
      double value = grid.evaluate(r, alpha, s, beta, weights, gradient);
      // Chain rule for log-parameters: d/d ln(p) = p d/dp.
      gradient[0] *= r;
      gradient[1] *= alpha;
      gradient[2] *= s;
      gradient[3] *= beta;
      return value;
    };
    double[] theta0 = {Math.log(start.r), Math.log(start.alpha), Math.log(start.s), Math.log(start.beta)};
    Bfgs.Result result = Bfgs.maximise(objective, theta0, GRADIENT_TOLERANCE, MAX_ITERATIONS);
    double[] t = result.x();
    Params params = new Params(Math.exp(t[0]), Math.exp(t[1]), Math.exp(t[2]), Math.exp(t[3]));
    boolean identified = Weights.anyRepeat(rows);
    return new Fit<>(params, logLikelihood(params, rows), result.converged() && identified, result.iterations(),
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
   * @return the probability that the customer is still active at T
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
   * @return E[Y(t) | x, t<sub>x</sub>, T]
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

  /**
   * The distinct rows laid out for the fit: grouped by x, each group with the ascending distinct
   * times (its rows' t<sub>x</sub> and T values) at which its integral is needed. The layout does not
   * depend on the parameters, so it is built once per fit.
   *
   * <p>For one group (a = r+x) and its grid t<sub>0</sub> &lt; ... &lt; t<sub>m</sub>, one evaluation
   * integrates each piece [t<sub>j</sub>, t<sub>j+1</sub>] of the scaled drop-out integral once and
   * accumulates the tails S<sub>j</sub> = &int;<sub>t_j</sub><sup>t_m</sup> from the top, in logarithms,
   * with the tails' running means of the four derivative weights. A row's integral is
   * S(t<sub>x</sub>) &minus; S(T). The difference cannot lose accuracy that matters: (s/&beta;) S(T)
   * &le; (s/&beta;) &int;<sub>T</sub><sup>&infin;</sup> (1+&tau;/&alpha;)^-a (1+&tau;/&beta;)^-(s+1) d&tau;
   * &le; (1+T/&alpha;)^-a (1+T/&beta;)^-s, the bracket's first term, so the rounding of (s/&beta;)
   * S(t<sub>x</sub>) is at most about twice the rounding of the whole bracket. On daily summaries a
   * group's grid has at most one point per day, so the integration costs at most (distinct x)
   * &times; (days) short pieces however many customers and distinct rows there are, and each row
   * then costs a handful of exponentials.
   */
  private static final class Grid {

    /** Ascending distinct times over all rows. */
    private final double[] times;

    /** The distinct x values, one per group. */
    private final long[] xs;

    /** Group g owns grid points groupStart[g] until groupStart[g+1]; each point is a time index. */
    private final int[] groupStart;
    private final int[] pointTime;

    /** Group g owns rows groupRows[rowStart[g]] until groupRows[rowStart[g+1]]. */
    private final int[] rowStart;
    private final int[] groupRows;

    /** Per row: the grid points of t_x and of T. */
    private final int[] rowTx;
    private final int[] rowT;

    Grid(SummaryRow[] rows) {
      int n = rows.length;
      double[] all = new double[2 * n];
      long[] rowX = new long[n];
      for (int i = 0; i < n; i++) {
        // + 0.0 turns -0.0 into 0.0, which the binary searches below tell apart.
        all[2 * i] = rows[i].tx() + 0.0;
        all[2 * i + 1] = rows[i].T() + 0.0;
        rowX[i] = rows[i].x();
      }
      times = java.util.stream.DoubleStream.of(all).sorted().distinct().toArray();
      xs = java.util.stream.LongStream.of(rowX).sorted().distinct().toArray();
      int groups = xs.length;
      // Counting sort of the rows by group, stable so the summation order is the input order.
      int[] rowGroup = new int[n];
      rowStart = new int[groups + 1];
      for (int i = 0; i < n; i++) {
        rowGroup[i] = Arrays.binarySearch(xs, rowX[i]);
        rowStart[rowGroup[i] + 1]++;
      }
      for (int g = 0; g < groups; g++) {
        rowStart[g + 1] += rowStart[g];
      }
      groupRows = new int[n];
      int[] next = Arrays.copyOf(rowStart, groups);
      for (int i = 0; i < n; i++) {
        groupRows[next[rowGroup[i]]++] = i;
      }
      groupStart = new int[groups + 1];
      rowTx = new int[n];
      rowT = new int[n];
      int[] points = new int[2 * n];
      int pointCount = 0;
      for (int g = 0; g < groups; g++) {
        int size = rowStart[g + 1] - rowStart[g];
        int[] used = new int[2 * size];
        for (int k = 0; k < size; k++) {
          SummaryRow row = rows[groupRows[rowStart[g] + k]];
          used[2 * k] = Arrays.binarySearch(times, row.tx() + 0.0);
          used[2 * k + 1] = Arrays.binarySearch(times, row.T() + 0.0);
        }
        int[] distinct = java.util.stream.IntStream.of(used).sorted().distinct().toArray();
        groupStart[g] = pointCount;
        System.arraycopy(distinct, 0, points, pointCount, distinct.length);
        for (int k = 0; k < size; k++) {
          int row = groupRows[rowStart[g] + k];
          rowTx[row] = pointCount + Arrays.binarySearch(distinct, used[2 * k]);
          rowT[row] = pointCount + Arrays.binarySearch(distinct, used[2 * k + 1]);
        }
        pointCount += distinct.length;
      }
      groupStart[groups] = pointCount;
      pointTime = Arrays.copyOf(points, pointCount);
    }

    /**
     * &Sigma; weight &middot; ln L, and when {@code gradient} is not null &Sigma; weight &middot; &part; ln
     * L / &part;(r, &alpha;, s, &beta;) written into it.
     *
     * <p>With the scaled form of the likelihood (see {@code logParts}), w<sub>A</sub> = P(alive), w<sub>D</sub>
     * = 1 &minus; w<sub>A</sub>, &psi; the digamma function and m<sub>1..4</sub> the means of
     * ln(1+&tau;/&alpha;), &tau;/(&alpha;+&tau;), ln(1+&tau;/&beta;), &tau;/(&beta;+&tau;) over [t<sub>x</sub>, T]
     * under the drop-out integrand:
     * <pre>
     * &part;/&part;r = &psi;(r+x) &minus; &psi;(r) &minus; w_A ln(1+T/&alpha;) &minus; w_D m_1
     * &alpha; &part;/&part;&alpha; = &minus;x + (r+x) [w_A T/(&alpha;+T) + w_D m_2]
     * &part;/&part;s = w_D/s &minus; w_A ln(1+T/&beta;) &minus; w_D m_3
     * &beta; &part;/&part;&beta; = s w_A T/(&beta;+T) + w_D ((s+1) m_4 &minus; 1)
     * </pre>
     */
    double evaluate(double r, double alpha, double s, double beta, double[] weights, double[] gradient) {
      boolean withGradient = gradient != null;
      int nTimes = times.length;
      double[] logAlphaT = new double[nTimes];
      double[] logBetaT = new double[nTimes];
      for (int k = 0; k < nTimes; k++) {
        logAlphaT[k] = Math.log1p(times[k] / alpha);
        logBetaT[k] = Math.log1p(times[k] / beta);
      }
      int nPoints = pointTime.length;
      double[] logTail = new double[nPoints];
      double[][] tailMeans = withGradient ? new double[4][nPoints] : null;
      double[] means = withGradient ? new double[4] : null;
      double logAlpha = Math.log(alpha);
      double logSOverBeta = Math.log(s / beta);
      double logGammaR = Gamma.logGamma(r);
      double psiR = withGradient ? SpecialFunctions.digamma(r) : 0;
      double total = 0;
      double gr = 0;
      double ga = 0;
      double gs = 0;
      double gb = 0;
      for (int g = 0; g < xs.length; g++) {
        long x = xs[g];
        double a = r + x;
        int first = groupStart[g];
        int last = groupStart[g + 1] - 1;
        logTail[last] = Double.NEGATIVE_INFINITY;
        for (int j = last - 1; j >= first; j--) {
          int p = pointTime[j];
          double logPiece = DropoutIntegral.logIntegral(a, alpha, s + 1, beta, times[p], times[pointTime[j + 1]],
              logAlphaT[p], logBetaT[p], means);
          logTail[j] = SpecialFunctions.logSumExp(logTail[j + 1], logPiece);
          if (withGradient) {
            // Running means of the tail: the new piece enters with its share of the tail.
            boolean top = j == last - 1;
            double share = top ? 1 : Math.exp(logPiece - logTail[j]);
            for (int k = 0; k < 4; k++) {
              double above = top ? 0 : tailMeans[k][j + 1];
              tailMeans[k][j] = above + share * (means[k] - above);
            }
          }
        }
        double groupValue = 0;
        double groupWeight = 0;
        for (int k = rowStart[g]; k < rowStart[g + 1]; k++) {
          int row = groupRows[k];
          int pTx = rowTx[row];
          int pT = rowT[row];
          int timeT = pointTime[pT];
          double w = weights[row];
          groupWeight += w;
          double logAlive = -a * logAlphaT[timeT] - s * logBetaT[timeT];
          if (pTx == pT || logTail[pTx] == Double.NEGATIVE_INFINITY) {
            // t_x = T (or too close to tell apart): no room to drop out unseen; the bracket is its
            // first term.
            groupValue += w * logAlive;
            if (withGradient) {
              double T = times[timeT];
              gr -= w * logAlphaT[timeT];
              ga += w * a * T / (alpha + T);
              gs -= w * logBetaT[timeT];
              gb += w * s * T / (beta + T);
            }
            continue;
          }
          // The integral over [t_x, T] is S(t_x) - S(T) = S(t_x) (1 - ratio); S(T) = 0 at the top.
          double below = logTail[pT] - logTail[pTx];
          double ratio = Math.exp(below);
          double oneMinusRatio = below > -LN2 ? -Math.expm1(below) : 1 - ratio;
          double logDead = logSOverBeta + logTail[pTx] + Math.log(oneMinusRatio);
          // ln(e^alive + e^dead) and the two shares from one exponential.
          double gap = logDead - logAlive;
          double e = Math.exp(-Math.abs(gap));
          groupValue += w * (Math.max(logAlive, logDead) + Math.log1p(e));
          if (withGradient) {
            double alive = gap > 0 ? e / (1 + e) : 1 / (1 + e);
            double dead = gap > 0 ? 1 / (1 + e) : e / (1 + e);
            // w_D m_k = (s/beta) (S(t_x) M_k(t_x) - S(T) M_k(T)) / bracket, with M_k the tails' means,
            // and (s/beta) S(t_x) / bracket = w_D / (1 - ratio).
            double scale = dead / oneMinusRatio;
            double m1 = scale * (tailMeans[0][pTx] - ratio * tailMeans[0][pT]);
            double m2 = scale * (tailMeans[1][pTx] - ratio * tailMeans[1][pT]);
            double m3 = scale * (tailMeans[2][pTx] - ratio * tailMeans[2][pT]);
            double m4 = scale * (tailMeans[3][pTx] - ratio * tailMeans[3][pT]);
            double T = times[timeT];
            gr -= w * (alive * logAlphaT[timeT] + m1);
            ga += w * a * (alive * T / (alpha + T) + m2);
            gs += w * (dead / s - alive * logBetaT[timeT] - m3);
            gb += w * (s * alive * T / (beta + T) + (s + 1) * m4 - dead);
          }
        }
        total += groupValue + groupWeight * (Gamma.logGamma(a) - logGammaR - x * logAlpha);
        if (withGradient) {
          gr += groupWeight * (SpecialFunctions.digamma(a) - psiR);
          ga -= groupWeight * x;
        }
      }
      if (withGradient) {
        // d/dalpha and d/dbeta were accumulated times alpha and beta.
        gradient[0] = gr;
        gradient[1] = ga / alpha;
        gradient[2] = gs;
        gradient[3] = gb / beta;
      }
      return total;
    }
  }
}
