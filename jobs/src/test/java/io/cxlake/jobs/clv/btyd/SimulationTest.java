package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
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
    Fit<BgNbd.Params> fit = BgNbd.fit(weeks);
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
    Fit<BgNbd.Params> inDays = BgNbd.fit(days);
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

  /**
   * Pareto/NBD customers with ages of 10 to 80 weeks in whole days, purchase times rounded down to
   * whole days.
   */
  private static SummaryRow[] simulateParetoNbd(ParetoNbd.Params truth, long seed) {
    RandomGenerator rng = new Well19937c(seed);
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
    return SummaryRow.compress(rows.toArray(SummaryRow[]::new));
  }

  @Test
  void paretoNbdRecoversItsParameters() {
    ParetoNbd.Params truth = new ParetoNbd.Params(0.8, 10, 0.6, 12);
    SummaryRow[] data = simulateParetoNbd(truth, 42);
    Fit<ParetoNbd.Params> fit = ParetoNbd.fit(data);
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

  /**
   * The regime where the hypergeometric form was slow: drop-out rates concentrated (s = 8, &beta; =
   * 400: mean 0.02 a week, coefficient of variation 0.35) and heavy buyers (&alpha; = 2, so x reaches
   * the hundreds). Each estimate must lie within 4 standard errors of the truth, the errors from
   * the observed information (the Hessian of the log-likelihood in log-parameters, by differences of
   * the analytic gradient): a consistent, efficient estimator lands there with probability 1 &minus;
   * 6e-5 per parameter, while a biased likelihood would not. s and &beta; are weakly identified when
   * the rates hardly vary (their standard error is about 30% on this sample), r and &alpha; well
   * (about 1.5%).
   */
  @Test
  void paretoNbdRecoversConcentratedDropOutAndHeavyBuyers() {
    ParetoNbd.Params truth = new ParetoNbd.Params(0.7, 2, 8, 400);
    SummaryRow[] data = simulateParetoNbd(truth, 42);
    assertThat(java.util.Arrays.stream(data).mapToLong(SummaryRow::x).max().orElse(0)).as("largest x")
        .isGreaterThan(100);
    Fit<ParetoNbd.Params> fit = ParetoNbd.fit(data);
    assertThat(fit.converged()).as("converged").isTrue();
    double gain = fit.logLikelihood() - ParetoNbd.logLikelihood(truth, data);
    assertThat(gain).as("LL(fit) - LL(truth)").isBetween(0.0, HALF_CHI2_999_4DF);
    ParetoNbd.Params p = fit.params();
    double[] estimate = {Math.log(p.r()), Math.log(p.alpha()), Math.log(p.s()), Math.log(p.beta())};
    double[] truthLog = {Math.log(truth.r()), Math.log(truth.alpha()), Math.log(truth.s()), Math.log(truth.beta())};
    double[] standardErrors = standardErrors(data, estimate);
    String[] names = {"ln r", "ln alpha", "ln s", "ln beta"};
    for (int k = 0; k < 4; k++) {
      assertThat(estimate[k]).as("%s (standard error %.3f)", names[k], standardErrors[k])
          .isCloseTo(truthLog[k], within(4 * standardErrors[k]));
    }
  }

  /** Standard errors of the log-parameters from the inverse of the observed information. */
  private static double[] standardErrors(SummaryRow[] data, double[] theta) {
    double h = 1e-4;
    double[][] hessian = new double[4][4];
    for (int j = 0; j < 4; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double[] gradientUp = logGradient(data, up);
      double[] gradientDown = logGradient(data, down);
      for (int i = 0; i < 4; i++) {
        hessian[i][j] = (gradientUp[i] - gradientDown[i]) / (2 * h);
      }
    }
    RealMatrix information = MatrixUtils.createRealMatrix(hessian);
    information = information.add(information.transpose()).scalarMultiply(-0.5);
    RealMatrix covariance = MatrixUtils.inverse(information);
    double[] errors = new double[4];
    for (int k = 0; k < 4; k++) {
      errors[k] = Math.sqrt(covariance.getEntry(k, k));
    }
    return errors;
  }

  /** &part; LL / &part; ln(r, &alpha;, s, &beta;). */
  private static double[] logGradient(SummaryRow[] data, double[] theta) {
    double[] gradient = new double[4];
    ParetoNbd.logLikelihood(new ParetoNbd.Params(Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]),
        Math.exp(theta[3])), data, gradient);
    for (int k = 0; k < 4; k++) {
      gradient[k] *= Math.exp(theta[k]);
    }
    return gradient;
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
    Fit<GammaGamma.Params> fit = GammaGamma.fit(data);
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
