package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * Pareto/NBD against the paper's CDNOW fit (FHL 2005 report it next to BG/NBD) and against the
 * likelihood's integral form.
 */
class ParetoNbdTest {

  private static final ParetoNbd.Params PAPER = new ParetoNbd.Params(0.553, 10.578, 0.606, 11.669);

  @Test
  void fitOnTheSummaryMatchesThePaper() {
    ParetoNbd.FitResult fit = ParetoNbd.fit(SummaryRow.compress(CdnowData.summaryRows()));
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
  void hypergeometricFormMatchesTheIntegralOnBothSidesOfTheCaseSplit() {
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
    ParetoNbd.FitResult one = ParetoNbd.fit(hundred);
    ParetoNbd.FitResult thousand = ParetoNbd.fit(scaled);
    assertThat(one.converged()).as("weights x1 converged").isTrue();
    assertThat(thousand.iterations()).as("iterations, weights x1000 vs x1").isEqualTo(one.iterations());
    assertThat(thousand.params()).as("estimates, weights x1000 vs x1").isEqualTo(one.params());
  }
}
