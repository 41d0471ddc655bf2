package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The fits on data simulated from each model's own story (seeded, 20000 customers), so they are
 * checked away from CDNOW: the likelihood-ratio statistic against the true parameters must look
 * like sampling noise, and the estimates must be near the truth.
 */
class SimulationTest {

  private static final int CUSTOMERS = 20000;

  /**
   * 2 (LL(fit) - LL(truth)) is asymptotically chi-square with as many degrees of freedom as
   * parameters; half its 99.9% quantile is 9.2 for 4 and 8.1 for 3. A fit that misses the maximum
   * fails the lower bound (LL(fit) &lt; LL(truth)); a wrong likelihood fails the upper one.
   */
  private static final double HALF_CHI2_999_4DF = 9.2;

  private static final double HALF_CHI2_999_3DF = 8.1;

  private static double exponential(RandomGenerator rng, double rate) {
    return -Math.log(rng.nextDouble()) / rate;
  }

  /** BG/NBD customers, times in whole days expressed in weeks (unit 7 gives days). */
  private static SummaryRow[] simulateBgNbd(BgNbd.Params truth, long seed, double unit) {
    RandomGenerator rng = new Well19937c(seed);
    GammaDistribution lambda = new GammaDistribution(rng, truth.r(), 1 / truth.alpha());
    List<SummaryRow> rows = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      int ageDays = 70 + rng.nextInt(490);
      double age = ageDays / 7.0;
      double rate = lambda.sample();
      // p ~ Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
      double ga = new GammaDistribution(rng, truth.a(), 1).sample();
      double p = ga / (ga + new GammaDistribution(rng, truth.b(), 1).sample());
      double t = 0;
      int x = 0;
      double last = 0;
      while (true) {
        t += exponential(rng, rate);
        if (t > age) {
          break;
        }
        x++;
        last = t;
        // Drop-out only right after a purchase (FHL's story).
        if (rng.nextDouble() < p) {
          break;
        }
      }
      int lastDay = x == 0 ? 0 : (int) Math.floor(last * 7);
      rows.add(new SummaryRow(x, lastDay / 7.0 * unit, age * unit, 1));
    }
    return SummaryRow.compress(rows.toArray(SummaryRow[]::new));
  }

  @Test
  void bgNbdRecoversItsParametersInAnyTimeUnit() {
    BgNbd.Params truth = new BgNbd.Params(0.8, 10, 0.7, 3.5);
    SummaryRow[] weeks = simulateBgNbd(truth, 42, 1);
    BgNbd.FitResult fit = BgNbd.fit(weeks);
    assertThat(fit.converged()).as("converged").isTrue();
    double gain = fit.logLikelihood() - BgNbd.logLikelihood(truth, weeks);
    assertThat(gain).as("LL(fit) - LL(truth)").isBetween(0.0, HALF_CHI2_999_4DF);
    // 10%: the standard errors at 20000 customers are a few percent (seed 42 lands within 3%).
    assertThat(fit.params().r()).as("r").isCloseTo(truth.r(), withinPercentage(10));
    assertThat(fit.params().alpha()).as("alpha").isCloseTo(truth.alpha(), withinPercentage(10));
    assertThat(fit.params().a()).as("a").isCloseTo(truth.a(), withinPercentage(10));
    assertThat(fit.params().b()).as("b").isCloseTo(truth.b(), withinPercentage(10));

    // The same customers measured in days: alpha scales by 7, r, a, b do not move, and the
    // likelihood drops by ln 7 per repeat purchase (each purchase time density is per day).
    SummaryRow[] days = simulateBgNbd(truth, 42, 7);
    BgNbd.FitResult inDays = BgNbd.fit(days);
    assertThat(inDays.converged()).as("converged in days").isTrue();
    // 1e-6 relative: both fits stop at a gradient of 1e-9, far tighter than this.
    assertThat(inDays.params().alpha()).as("alpha in days").isCloseTo(7 * fit.params().alpha(), withinPercentage(1e-4));
    assertThat(inDays.params().r()).as("r in days").isCloseTo(fit.params().r(), withinPercentage(1e-4));
    assertThat(inDays.params().a()).as("a in days").isCloseTo(fit.params().a(), withinPercentage(1e-4));
    assertThat(inDays.params().b()).as("b in days").isCloseTo(fit.params().b(), withinPercentage(1e-4));
    double repeats = 0;
    for (SummaryRow row : weeks) {
      repeats += row.weight() * row.x();
    }
    assertThat(inDays.logLikelihood()).as("LL in days")
        .isCloseTo(fit.logLikelihood() - repeats * Math.log(7), within(1e-6));
  }

  @Test
  void paretoNbdRecoversItsParameters() {
    ParetoNbd.Params truth = new ParetoNbd.Params(0.8, 10, 0.6, 12);
    RandomGenerator rng = new Well19937c(42);
    GammaDistribution lambda = new GammaDistribution(rng, truth.r(), 1 / truth.alpha());
    GammaDistribution mu = new GammaDistribution(rng, truth.s(), 1 / truth.beta());
    List<SummaryRow> rows = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      double age = (70 + rng.nextInt(490)) / 7.0;
      double rate = lambda.sample();
      double end = Math.min(exponential(rng, mu.sample()), age);
      double t = 0;
      int x = 0;
      double last = 0;
      while (true) {
        t += exponential(rng, rate);
        if (t > end) {
          break;
        }
        x++;
        last = t;
      }
      rows.add(new SummaryRow(x, x == 0 ? 0 : Math.floor(last * 7) / 7, age, 1));
    }
    SummaryRow[] data = SummaryRow.compress(rows.toArray(SummaryRow[]::new));
    ParetoNbd.FitResult fit = ParetoNbd.fit(data);
    assertThat(fit.converged()).as("converged").isTrue();
    double gain = fit.logLikelihood() - ParetoNbd.logLikelihood(truth, data);
    assertThat(gain).as("LL(fit) - LL(truth)").isBetween(0.0, HALF_CHI2_999_4DF);
    // r and alpha are well identified (a few percent); s and beta trade off along a ridge and move
    // by 10-20% between seeds at this size.
    assertThat(fit.params().r()).as("r").isCloseTo(truth.r(), withinPercentage(10));
    assertThat(fit.params().alpha()).as("alpha").isCloseTo(truth.alpha(), withinPercentage(10));
    assertThat(fit.params().s()).as("s").isCloseTo(truth.s(), withinPercentage(25));
    assertThat(fit.params().beta()).as("beta").isCloseTo(truth.beta(), withinPercentage(25));
  }

  @Test
  void gammaGammaRecoversItsParameters() {
    GammaGamma.Params truth = new GammaGamma.Params(6, 4, 15);
    RandomGenerator rng = new Well19937c(7);
    GammaDistribution nu = new GammaDistribution(rng, truth.q(), 1 / truth.gamma());
    List<SpendRow> rows = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      int x = 1 + rng.nextInt(8);
      // Transaction values ~ Gamma(p, rate nu): the sum of x of them is Gamma(p x, rate nu).
      double scale = nu.sample();
      double total = new GammaDistribution(rng, truth.p() * x, 1 / scale).sample();
      rows.add(new SpendRow(x, total / x, 1));
    }
    SpendRow[] data = rows.toArray(SpendRow[]::new);
    GammaGamma.FitResult fit = GammaGamma.fit(data);
    assertThat(fit.converged()).as("converged").isTrue();
    double gain = fit.logLikelihood() - GammaGamma.logLikelihood(truth, data);
    assertThat(gain).as("LL(fit) - LL(truth)").isBetween(0.0, HALF_CHI2_999_3DF);
    // 10% on the population mean p gamma / (q - 1) = 30, which is what CLV uses and is well
    // identified; p, q and gamma individually trade off.
    assertThat(GammaGamma.populationMeanValue(fit.params())).as("population mean")
        .isCloseTo(GammaGamma.populationMeanValue(truth), withinPercentage(10));
  }

  @Test
  void withoutRepeatPurchasesTheFitsSayTheyDidNotConverge() {
    SummaryRow[] noRepeats = {new SummaryRow(0, 0, 30, 100), new SummaryRow(0, 0, 20, 50)};
    assertThat(BgNbd.fit(noRepeats).converged()).as("BG/NBD without repeats").isFalse();
    assertThat(ParetoNbd.fit(noRepeats).converged()).as("Pareto/NBD without repeats").isFalse();
  }
}
