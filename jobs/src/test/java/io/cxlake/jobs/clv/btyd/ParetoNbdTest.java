package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.cxlake.jobs.clv.btyd.SpecialFunctions.Hyp2f1;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * Pareto/NBD against the paper's CDNOW fit (FHL 2005 report it next to BG/NBD), against the
 * likelihood's hypergeometric form (Fader &amp; Hardie 2005), against independent quadratures and
 * 40-digit references, and its analytic gradient against finite differences.
 */
class ParetoNbdTest {

  private static final ParetoNbd.Params PAPER = new ParetoNbd.Params(0.553, 10.578, 0.606, 11.669);

  @Test
  void fitOnTheSummaryMatchesThePaper() {
    Fit<ParetoNbd.Params> fit = ParetoNbd.fit(SummaryRow.compress(CdnowData.summaryRows()));
    assertThat(fit.converged()).as("converged").isTrue();
    // +-0.002 absolute: the paper prints 3 decimals (+-0.0005) from the authors' own optimiser,
    // whose stopping point can differ by about 1e-3 along the likelihood's flat alpha-beta ridge;
    // beta here is 11.6679 against the printed 11.669.
    assertThat(fit.params().r()).as("r").isCloseTo(0.553, within(0.002));
    assertThat(fit.params().alpha()).as("alpha").isCloseTo(10.578, within(0.002));
    assertThat(fit.params().s()).as("s").isCloseTo(0.606, within(0.002));
    assertThat(fit.params().beta()).as("beta").isCloseTo(11.669, within(0.002));
    // +-0.05: the paper prints one decimal.
    assertThat(fit.logLikelihood()).as("LL").isCloseTo(-9595.0, within(0.05));
    // +-0.01 around the published reference -9594.98 (BTYD R package and lifetimes agree on it).
    assertThat(fit.logLikelihood()).as("LL vs -9594.98").isCloseTo(-9594.98, within(0.01));
  }

  /** s &int;_tx^T (&alpha;+&tau;)^-(r+x) (&beta;+&tau;)^-(s+1) d&tau; by composite Simpson, 20000 panels. */
  private static double deadTermByQuadrature(ParetoNbd.Params p, int x, double tx, double T) {
    int n = 20000;
    double h = (T - tx) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double tau = tx + i * h;
      double f = Math.pow(p.alpha() + tau, -(p.r() + x)) * Math.pow(p.beta() + tau, -(p.s() + 1));
      sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
    }
    return p.s() * sum * h / 3;
  }

  private static double logLikelihoodByQuadrature(ParetoNbd.Params p, int x, double tx, double T) {
    double common = Gamma.logGamma(p.r() + x) - Gamma.logGamma(p.r()) + p.r() * Math.log(p.alpha())
        + p.s() * Math.log(p.beta());
    double alive = Math.pow(p.alpha() + T, -(p.r() + x)) * Math.pow(p.beta() + T, -p.s());
    return common + Math.log(alive + deadTermByQuadrature(p, x, tx, T));
  }

  @Test
  void likelihoodMatchesSimpsonQuadratureOnBothSidesOfAlphaEqualsBeta() {
    ParetoNbd.Params alphaAboveBeta = new ParetoNbd.Params(0.55, 30, 0.6, 2);
    ParetoNbd.Params alphaBelowBeta = new ParetoNbd.Params(0.55, 2, 0.6, 30);
    ParetoNbd.Params equal = new ParetoNbd.Params(0.55, 10, 0.6, 10);
    int[][] customers = {{0, 0, 39}, {1, 2, 38}, {4, 30, 35}, {25, 10, 39}};
    for (ParetoNbd.Params p : new ParetoNbd.Params[] {alphaAboveBeta, alphaBelowBeta, equal, PAPER}) {
      for (int[] c : customers) {
        // 1e-10 relative: Simpson's error with 20000 panels on this smooth integrand is ~1e-14.
        assertThat(ParetoNbd.logLikelihood(p, c[0], c[1], c[2])).as("LL %s x=%d t_x=%d T=%d", p, c[0], c[1], c[2])
            .isCloseTo(logLikelihoodByQuadrature(p, c[0], c[1], c[2]), withinPercentage(1e-8));
      }
    }
  }

  @Test
  void oneTimeBuyersMayHaveDroppedOut() {
    double alive = ParetoNbd.probabilityAlive(PAPER, 0, 0, 38.86);
    assertThat(alive).as("Pareto/NBD P(alive) for x = 0").isBetween(0.01, 0.99);
    assertThat(BgNbd.probabilityAlive(new BgNbd.Params(0.243, 4.414, 0.793, 2.426), 0, 0, 38.86))
        .as("BG/NBD P(alive) for x = 0, for contrast").isEqualTo(1.0);
    // Buying right up to T: almost surely alive.
    assertThat(ParetoNbd.probabilityAlive(PAPER, 10, 38.86, 38.86)).as("P(alive) t_x = T").isGreaterThan(0.99);
  }

  @Test
  void extremeBuyersStayFinite() {
    double silent = ParetoNbd.probabilityAlive(PAPER, 50, 1, 100);
    assertThat(silent).as("P(alive) x=50, t_x=1, T=100").isNotNaN().isBetween(0.0, 1e-20);
    double heavy = ParetoNbd.probabilityAlive(PAPER, 300, 50, 50);
    assertThat(heavy).as("P(alive) x=300, t_x=T=50").isBetween(0.99, 1.0);
    assertThat(ParetoNbd.conditionalExpectedTransactions(PAPER, 39, 300, 50, 50)).as("E[Y(39)] x=300")
        .isBetween(100.0, 300.0);
  }

  @Test
  void conditionalExpectationIsContinuousAtSEqualsOne() {
    double at = ParetoNbd.conditionalExpectedTransactions(new ParetoNbd.Params(0.55, 10, 1, 12), 39, 2, 30, 38);
    double near = ParetoNbd.conditionalExpectedTransactions(new ParetoNbd.Params(0.55, 10, 1 + 1e-9, 12), 39, 2, 30,
        38);
    // The closed form's 1/(s-1) is evaluated through expm1, so s = 1 +- 1e-9 differs by O(1e-9).
    assertThat(near).as("E[Y(39)] at s = 1 + 1e-9 vs s = 1").isCloseTo(at, withinPercentage(1e-6));
    assertThat(ParetoNbd.expectedTransactions(new ParetoNbd.Params(0.55, 10, 1, 12), 39)).as("E[X(39)] at s = 1")
        .isCloseTo(0.055 * 12 * Math.log(51.0 / 12), withinPercentage(1e-10));
  }

  @Test
  void fitIterationsDependOnDistinctRowsNotOnWeights() {
    SummaryRow[] all = SummaryRow.compress(CdnowData.summaryRows());
    SummaryRow[] hundred = new SummaryRow[100];
    SummaryRow[] scaled = new SummaryRow[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = all[i * 10];
      scaled[i] = new SummaryRow(hundred[i].x(), hundred[i].tx(), hundred[i].T(), hundred[i].weight() * 1000);
    }
    Fit<ParetoNbd.Params> one = ParetoNbd.fit(hundred);
    Fit<ParetoNbd.Params> thousand = ParetoNbd.fit(scaled);
    assertThat(one.converged()).as("weights x1 converged").isTrue();
    assertThat(thousand.iterations()).as("iterations, weights x1000 vs x1").isEqualTo(one.iterations());
    assertThat(thousand.params()).as("estimates, weights x1000 vs x1").isEqualTo(one.params());
  }

  /**
   * ln L in the hypergeometric form of Fader &amp; Hardie (2005), the form this class used before the
   * drop-out integral: A0 as a difference of two 2F1, with the case split on &alpha; &ge; &beta;
   * keeping the arguments in [0, 1). NaN where a 2F1 does not converge.
   */
  private static double logLikelihoodBy2F1(ParetoNbd.Params p, long x, double tx, double T) {
    double r = p.r();
    double alpha = p.alpha();
    double s = p.s();
    double beta = p.beta();
    double common = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    double alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    double rsx = r + s + x;
    boolean alphaAbove = alpha >= beta;
    double big = alphaAbove ? alpha : beta;
    double b = alphaAbove ? s + 1 : r + x;
    Hyp2f1 f1 = SpecialFunctions.hyp2f1(rsx, b, rsx + 1, Math.abs(alpha - beta) / (big + tx));
    Hyp2f1 f2 = SpecialFunctions.hyp2f1(rsx, b, rsx + 1, Math.abs(alpha - beta) / (big + T));
    if (!f1.converged() || !f2.converged()) {
      return Double.NaN;
    }
    double logT1 = f1.logAbs() - rsx * Math.log(big + tx);
    double logT2 = f2.logAbs() - rsx * Math.log(big + T);
    double logA0 = logT2 >= logT1 ? Double.NEGATIVE_INFINITY : SpecialFunctions.logDiffExp(logT1, logT2);
    return common + SpecialFunctions.logSumExp(alive, Math.log(s) - Math.log(rsx) + logA0);
  }

  @Test
  void likelihoodMatchesTheHypergeometricFormInEveryRegime() {
    ParetoNbd.Params[] params = {
        PAPER,
        // Concentrated drop-out rates (s = 20, beta = 200) with alpha far below, near and far above beta.
        new ParetoNbd.Params(0.3, 0.5, 20, 200),
        new ParetoNbd.Params(2, 5, 20, 200),
        new ParetoNbd.Params(0.8, 2000, 20, 200),
        new ParetoNbd.Params(0.8, 200, 20, 2),
        new ParetoNbd.Params(0.5, 10, 5, 1)};
    long[] xs = {0, 1, 3, 10, 30, 60, 100};
    double[][] repeatTimes = {{1, 104}, {50, 104}, {100, 104}, {103.9, 104}, {10, 39}, {0.1, 2}};
    double[][] noRepeatTimes = {{0, 104}, {0, 39}, {0, 1}};
    for (ParetoNbd.Params p : params) {
      for (long x : xs) {
        for (double[] t : x == 0 ? noRepeatTimes : repeatTimes) {
          double oracle = logLikelihoodBy2F1(p, x, t[0], t[1]);
          assertThat(oracle).as("2F1 form converges at %s x=%d t_x=%s T=%s", p, x, t[0], t[1]).isNotNaN();
          // 1e-12 relative: both forms are accurate to ~1e-13 here (the worst seen is 8e-14).
          assertThat(ParetoNbd.logLikelihood(p, x, t[0], t[1])).as("ln L at %s x=%d t_x=%s T=%s", p, x, t[0], t[1])
              .isCloseTo(oracle, within(1e-12 * Math.max(1, Math.abs(oracle))));
        }
      }
    }
  }

  @Test
  void likelihoodMatchesFortyDigitValuesWhereTheFitDriftsToLargeSAndBeta() {
    // Where a fit on data without drop-out heterogeneity heads (s and beta huge, s/beta fixed), the
    // 2F1 form fails on some rows and loses up to 5e-11 on others. References: mpmath 1.3 at 40
    // digits, the unscaled likelihood with its integral by tanh-sinh quadrature.
    ParetoNbd.Params p = new ParetoNbd.Params(1.5, 22, 33600, 2700000);
    double[][] reference = {{0, 0, 104, -1.389212918573579}, {1, 2, 38, -4.5650846360109095},
        {4, 30, 35, -13.877058752687557}, {25, 10, 39, -31.756792046234455}, {10, 100, 104, -35.802104723506125},
        {60, 1, 104, -2.7648607828119873}, {100, 60, 104, -81.825762059666356}, {2, 0.5, 104, -7.2820566653359442}};
    for (double[] c : reference) {
      // 1e-13 relative: the worst seen is 4e-14.
      assertThat(ParetoNbd.logLikelihood(p, (long) c[0], c[1], c[2])).as("ln L x=%d t_x=%s T=%s", (long) c[0], c[1], c[2])
          .isCloseTo(c[3], within(1e-13 * Math.abs(c[3])));
    }
  }

  /** CDNOW's distinct rows plus heavy and silent buyers, so the gradient sees every regime. */
  private static SummaryRow[] gradientRows() {
    SummaryRow[] cdnow = SummaryRow.compress(CdnowData.summaryRows());
    SummaryRow[] extra = {new SummaryRow(100, 1, 104, 3), new SummaryRow(60, 103, 104, 2),
        new SummaryRow(30, 50, 50, 1), new SummaryRow(0, 0, 104, 5), new SummaryRow(5, 0.01, 0.02, 1)};
    SummaryRow[] rows = java.util.Arrays.copyOf(cdnow, cdnow.length + extra.length);
    System.arraycopy(extra, 0, rows, cdnow.length, extra.length);
    return rows;
  }

  @Test
  void analyticGradientMatchesCentralDifferences() {
    SummaryRow[] rows = gradientRows();
    double customers = SummaryRow.totalWeight(rows);
    ParetoNbd.Params[] params = {PAPER, new ParetoNbd.Params(0.3, 0.5, 20, 200), new ParetoNbd.Params(0.8, 2000, 20, 200),
        new ParetoNbd.Params(0.8, 200, 20, 2), new ParetoNbd.Params(0.05, 0.3, 0.05, 0.2),
        new ParetoNbd.Params(1.5, 22, 3e4, 2.7e6)};
    for (ParetoNbd.Params p : params) {
      double[] gradient = new double[4];
      ParetoNbd.logLikelihood(p, rows, gradient);
      double[] theta = {Math.log(p.r()), Math.log(p.alpha()), Math.log(p.s()), Math.log(p.beta())};
      for (int k = 0; k < 4; k++) {
        // d mean LL / d ln(param) by Richardson-extrapolated central differences (error ~h^4 f^(5)
        // plus rounding ~1e-16 |LL| / h ~ 1e-11 per customer with h = 1e-4).
        double h = 1e-4;
        double d1 = (shifted(rows, theta, k, h) - shifted(rows, theta, k, -h)) / (2 * h);
        double d2 = (shifted(rows, theta, k, 2 * h) - shifted(rows, theta, k, -2 * h)) / (4 * h);
        double numeric = (4 * d1 - d2) / 3 / customers;
        double analytic = gradient[k] * Math.exp(theta[k]) / customers;
        // 1e-8 per customer: the differences agree to ~1e-10; a wrong term would be off by >1e-3.
        assertThat(analytic).as("d mean LL / d ln param %d at %s", k, p).isCloseTo(numeric, within(1e-8));
      }
    }
  }

  private static double shifted(SummaryRow[] rows, double[] theta, int k, double step) {
    double[] t = theta.clone();
    t[k] += step;
    return ParetoNbd.logLikelihood(new ParetoNbd.Params(Math.exp(t[0]), Math.exp(t[1]), Math.exp(t[2]),
        Math.exp(t[3])), rows);
  }

  @Test
  void sharedGridAgreesWithPerCustomerValues() {
    SummaryRow[] rows = gradientRows();
    for (ParetoNbd.Params p : new ParetoNbd.Params[] {PAPER, new ParetoNbd.Params(0.3, 0.5, 20, 200)}) {
      double perCustomer = 0;
      for (SummaryRow row : rows) {
        perCustomer += row.weight() * ParetoNbd.logLikelihood(p, row.x(), row.tx(), row.T());
      }
      // 1e-12 relative: the grid sums pieces of each integral, the per-customer path integrates it whole.
      assertThat(ParetoNbd.logLikelihood(p, rows)).as("grid vs per-customer sum at %s", p)
          .isCloseTo(perCustomer, within(1e-12 * Math.abs(perCustomer)));
    }
  }
}
