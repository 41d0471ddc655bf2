package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD against the CDNOW reference numbers of shared/data/README.md section 1 (Fader, Hardie &amp;
 * Lee 2005, "Counting your customers the easy way", and an independent numpy/scipy fit).
 */
class BgNbdTest {

  /** The paper's rounded estimates (FHL Table 2 / Figure 1). */
  private static final BgNbd.Params PAPER = new BgNbd.Params(0.243, 4.414, 0.793, 2.426);

  /** The reference fit on the 2-decimal summary, as printed (6 significant digits). */
  private static final BgNbd.Params REFERENCE = new BgNbd.Params(0.242593, 4.413532, 0.792886, 2.425754);

  private static SummaryRow[] compressedSummary() {
    return SummaryRow.compress(CdnowData.summaryRows());
  }

  private static void assertParams(BgNbd.Params actual, double r, double alpha, double a, double b, String what) {
    // 1e-3 relative: the reference prints 6 significant digits and its optimiser stops at its own
    // tolerance; the maximum itself is determined far more tightly than this.
    assertThat(actual.r()).as(what + " r").isCloseTo(r, withinPercentage(0.1));
    assertThat(actual.alpha()).as(what + " alpha").isCloseTo(alpha, withinPercentage(0.1));
    assertThat(actual.a()).as(what + " a").isCloseTo(a, withinPercentage(0.1));
    assertThat(actual.b()).as(what + " b").isCloseTo(b, withinPercentage(0.1));
  }

  @Test
  void fitOnTheTwoDecimalSummaryMatchesTheReferenceFit() {
    SummaryRow[] perCustomer = CdnowData.summaryRows();
    SummaryRow[] rows = compressedSummary();
    assertThat(perCustomer).as("customers").hasSize(2357);
    assertThat(rows.length).as("distinct (x, t_x, T)").isEqualTo(1016);
    assertThat(SummaryRow.totalWeight(rows)).as("weights add up to the customers").isEqualTo(2357.0);
    // Compression is exact: same likelihood, up to summation order (1e-9 relative).
    assertThat(BgNbd.logLikelihood(REFERENCE, rows)).as("LL of compressed rows")
        .isCloseTo(BgNbd.logLikelihood(REFERENCE, perCustomer), withinPercentage(1e-7));

    Fit<BgNbd.Params> fit = BgNbd.fit(rows);
    assertThat(fit.converged()).as("converged").isTrue();
    assertParams(fit.params(), 0.242593, 4.413532, 0.792886, 2.425754, "2-dp fit");
    // +-0.01: the reference prints 4 decimals; a maximum moves the LL only quadratically.
    assertThat(fit.logLikelihood()).as("LL at the maximum").isCloseTo(-9582.4256, within(0.01));

    // The weights matter: treating each distinct row as one customer gives another fit.
    SummaryRow[] unweighted = Arrays.stream(rows).map(r -> new SummaryRow(r.x(), r.tx(), r.T(), 1))
        .toArray(SummaryRow[]::new);
    Fit<BgNbd.Params> wrong = BgNbd.fit(unweighted);
    assertThat(Math.abs(wrong.params().r() / fit.params().r() - 1)).as("unweighted r differs by more than 5%")
        .isGreaterThan(0.05);
  }

  @Test
  void logLikelihoodAtThePapersRoundedParameters() {
    // +-0.001: the reference prints 4 decimals.
    assertThat(BgNbd.logLikelihood(PAPER, compressedSummary())).as("LL at (0.243, 4.414, 0.793, 2.426)")
        .isCloseTo(-9582.4268, within(0.001));
  }

  @Test
  void fitOnUnroundedSummaryMatchesTheReferenceFit() {
    SummaryRow[] rows = SummaryRow.compress(CdnowData.reference().stream()
        .map(c -> new SummaryRow(c.x(), c.tx(), c.T(), 1)).toArray(SummaryRow[]::new));
    Fit<BgNbd.Params> fit = BgNbd.fit(rows);
    assertThat(fit.converged()).as("converged").isTrue();
    assertParams(fit.params(), 0.242595, 4.413602, 0.792922, 2.425907, "unrounded fit");
    // +-0.01 as for the 2-dp fit.
    assertThat(fit.logLikelihood()).as("LL at the maximum").isCloseTo(-9582.4292, within(0.01));
  }

  @Test
  void conditionalExpectationOfThePapersExampleCustomer() {
    // +-0.0005: FHL print 1.226.
    assertThat(BgNbd.conditionalExpectedTransactions(PAPER, 39, 2, 30.43, 38.86))
        .as("E[Y(39) | x=2, t_x=30.43, T=38.86]").isCloseTo(1.226, within(0.0005));
  }

  @Test
  void perCustomerValuesMatchTheReferenceFile() {
    List<CdnowData.Reference> customers = CdnowData.reference();
    // The file was computed from the reference MLE at full precision; the printed 6-digit values
    // shift heavy buyers' expectations by up to 1.4e-6, so the MLE itself is used here.
    BgNbd.Params mle = BgNbd.fit(compressedSummary()).params();
    double worstAlive = 0;
    double worstExpectation = 0;
    double worstAliveRounded = 0;
    double worstExpectationRounded = 0;
    double total = 0;
    for (CdnowData.Reference c : customers) {
      worstAlive = Math.max(worstAlive, Math.abs(BgNbd.probabilityAlive(mle, c.x(), c.tx(), c.T()) - c.pAlive()));
      worstExpectation = Math.max(worstExpectation,
          Math.abs(BgNbd.conditionalExpectedTransactions(mle, 39, c.x(), c.tx(), c.T()) - c.condExp39()));
      worstAliveRounded = Math.max(worstAliveRounded,
          Math.abs(BgNbd.probabilityAlive(REFERENCE, c.x(), c.tx(), c.T()) - c.pAlive()));
      double expectation = BgNbd.conditionalExpectedTransactions(REFERENCE, 39, c.x(), c.tx(), c.T());
      worstExpectationRounded = Math.max(worstExpectationRounded, Math.abs(expectation - c.condExp39()));
      total += expectation;
    }
    // 1e-6: the file prints 6 decimals (rounding alone is 5e-7).
    assertThat(worstAlive).as("max |p_alive - file| with the MLE, %d customers", customers.size()).isLessThan(1e-6);
    assertThat(worstExpectation).as("max |E[Y(39)] - file| with the MLE").isLessThan(1e-6);
    assertThat(worstAliveRounded).as("max |p_alive - file| with the printed parameters").isLessThan(1e-6);
    // 2e-6: the printed parameters differ from the MLE by up to 4e-7 relative (see above).
    assertThat(worstExpectationRounded).as("max |E[Y(39)] - file| with the printed parameters").isLessThan(2e-6);
    // +-0.05: the README prints one decimal.
    assertThat(total).as("sum of E[Y(39)] over customers").isCloseTo(1653.4, within(0.05));
  }

  @Test
  void holdoutTableByCalibrationFrequency() {
    double[] expected = {0.225, 0.523, 1.044, 1.520, 2.164, 2.654, 3.504, 6.157};
    double[] actual = {0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359};
    int[] customers = {1411, 439, 214, 100, 62, 38, 29, 64};
    double[] sumExpected = new double[8];
    double[] sumActual = new double[8];
    int[] count = new int[8];
    for (CdnowData.Reference c : CdnowData.reference()) {
      int bucket = Math.min(c.x(), 7);
      sumExpected[bucket] += BgNbd.conditionalExpectedTransactions(PAPER, 39, c.x(), c.tx(), c.T());
      sumActual[bucket] += c.holdoutX();
      count[bucket]++;
    }
    for (int k = 0; k < 8; k++) {
      String bucket = k == 7 ? "7+" : Integer.toString(k);
      assertThat(count[k]).as("customers with x = " + bucket).isEqualTo(customers[k]);
      // +-0.0005: the README prints 3 decimals.
      assertThat(sumExpected[k] / count[k]).as("mean E[Y(39)] for x = " + bucket)
          .isCloseTo(expected[k], within(0.0005));
      assertThat(sumActual[k] / count[k]).as("mean actual holdout for x = " + bucket)
          .isCloseTo(actual[k], within(0.0005));
    }
  }

  @Test
  void unconditionalCumulativeTrackingMatchesTheWeeklyFile() {
    LocalDate start = LocalDate.parse("1997-01-01");
    int[] firstDay = CdnowData.reference().stream()
        .mapToInt(c -> (int) (c.firstPurchase().toEpochDay() - start.toEpochDay())).toArray();
    BgNbd.Params mle = BgNbd.fit(compressedSummary()).params();
    double worst = 0;
    double week39 = 0;
    double week78 = 0;
    for (CdnowData.Week week : CdnowData.weeks()) {
      double expected = 0;
      double expectedPrinted = 0;
      for (int d : firstDay) {
        // README: t_i = (7k - 1 - d_i) / 7, so week 39 ends at each customer's T.
        double t = (7.0 * week.week() - 1 - d) / 7;
        if (t > 0) {
          expected += BgNbd.expectedTransactions(mle, t);
          expectedPrinted += BgNbd.expectedTransactions(REFERENCE, t);
        }
      }
      worst = Math.max(worst, Math.abs(expected - week.cumulativeExpected()));
      if (week.week() == 39) {
        week39 = expectedPrinted;
      } else if (week.week() == 78) {
        week78 = expectedPrinted;
      }
    }
    // 1e-3: the file prints 3 decimals (5e-4) and sums 2357 expectations computed from the MLE.
    assertThat(worst).as("max |cumulative expected - file| over 78 weeks").isLessThan(1e-3);
    // +-0.1: the README prints one decimal.
    assertThat(week39).as("expected cumulative repeat transactions by week 39").isCloseTo(2494.0, within(0.1));
    assertThat(week78).as("expected cumulative repeat transactions by week 78").isCloseTo(4160.6, within(0.1));
  }

  @Test
  void probabilityAliveOfExtremeBuyersIsFinite() {
    double heavy = BgNbd.probabilityAlive(REFERENCE, 300, 50, 50);
    // a/(b+x-1) = 0.79/301.4: the odds of having dropped out after the last of 300 purchases.
    assertThat(heavy).as("P(alive) x=300, t_x=T=50").isBetween(0.99, 1.0);
    double silent = BgNbd.probabilityAlive(REFERENCE, 50, 1, 100);
    assertThat(silent).as("P(alive) x=50, t_x=1, T=100").isNotNaN().isBetween(0.0, 1e-50);
    assertThat(silent).as("P(alive) x=50, t_x=1, T=100 stays positive").isPositive();
    double expectation = BgNbd.conditionalExpectedTransactions(REFERENCE, 39, 300, 50, 50);
    // A buyer at ~6 per week who is almost surely alive expects roughly 6 x 39 x (retention) more.
    assertThat(expectation).as("E[Y(39)] x=300, t_x=T=50").isBetween(100.0, 234.0);
    assertThat(BgNbd.conditionalExpectedTransactions(REFERENCE, 39, 50, 1, 100)).as("E[Y(39)] silent heavy buyer")
        .isNotNaN().isBetween(0.0, 1e-50);
    assertThat(BgNbd.logLikelihood(REFERENCE, 5000, 99.9, 100)).as("LL of x=5000").isFinite();
  }

  @Test
  void oneTimeBuyersAreAliveUnderBgNbd() {
    assertThat(BgNbd.probabilityAlive(REFERENCE, 0, 0, 38.86)).as("P(alive) for x = 0").isEqualTo(1.0);
    // For x = 0 the likelihood is (alpha / (alpha + T))^r.
    double expected = REFERENCE.r() * Math.log(REFERENCE.alpha() / (REFERENCE.alpha() + 38.86));
    assertThat(BgNbd.logLikelihood(REFERENCE, 0, 0, 38.86)).as("LL for x = 0")
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void expectationsAreContinuousThroughANearOne() {
    // a = 1 is a removable singularity of the closed forms; the two branches meet smoothly.
    for (double t : new double[] {1, 39, 500}) {
      double below = BgNbd.expectedTransactions(new BgNbd.Params(0.243, 4.414, 1 - 2e-4, 2.426), t);
      double at = BgNbd.expectedTransactions(new BgNbd.Params(0.243, 4.414, 1, 2.426), t);
      double above = BgNbd.expectedTransactions(new BgNbd.Params(0.243, 4.414, 1 + 2e-4, 2.426), t);
      // The function is smooth in a: the midpoint of +-2e-4 matches a = 1 to O(4e-8) (curvature).
      assertThat((below + above) / 2).as("E[X(%s)] midpoint vs a = 1", t).isCloseTo(at, withinPercentage(1e-4));
      double conditional = BgNbd.conditionalExpectedTransactions(new BgNbd.Params(0.243, 4.414, 1, 2.426), t, 3,
          20, 38);
      double conditionalAbove = BgNbd.conditionalExpectedTransactions(
          new BgNbd.Params(0.243, 4.414, 1 + 2e-4, 2.426), t, 3, 20, 38);
      double conditionalBelow = BgNbd.conditionalExpectedTransactions(
          new BgNbd.Params(0.243, 4.414, 1 - 2e-4, 2.426), t, 3, 20, 38);
      assertThat((conditionalBelow + conditionalAbove) / 2).as("E[Y(%s)] midpoint vs a = 1", t)
          .isCloseTo(conditional, withinPercentage(1e-4));
    }
    assertThat(BgNbd.expectedTransactions(REFERENCE, 0)).as("E[X(0)]").isEqualTo(0.0);
  }

  @Test
  void fitIterationsDependOnDistinctRowsNotOnWeights() {
    SummaryRow[] all = compressedSummary();
    SummaryRow[] hundred = new SummaryRow[100];
    SummaryRow[] scaled = new SummaryRow[100];
    for (int i = 0; i < 100; i++) {
      SummaryRow row = all[i * 10];
      hundred[i] = row;
      scaled[i] = new SummaryRow(row.x(), row.tx(), row.T(), row.weight() * 1000);
    }
    Fit<BgNbd.Params> one = BgNbd.fit(hundred);
    Fit<BgNbd.Params> thousand = BgNbd.fit(scaled);
    assertThat(one.converged()).as("weights x1 converged").isTrue();
    assertThat(thousand.iterations()).as("iterations, weights x1000 vs x1").isEqualTo(one.iterations());
    assertThat(thousand.params()).as("estimates, weights x1000 vs x1").isEqualTo(one.params());
    // The total log-likelihood scales with the customers; 1e-9 relative covers summation order.
    assertThat(thousand.logLikelihood()).as("LL x1000")
        .isCloseTo(1000 * one.logLikelihood(), withinPercentage(1e-7));
  }

  @Test
  void invalidInputsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new BgNbd.Params(-0.1, 1, 1, 1)).as("negative r")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create BG/NBD parameters: r must be positive and finite (-0.1)");
    assertThatThrownBy(() -> BgNbd.probabilityAlive(REFERENCE, 2, 40, 38)).as("t_x beyond T")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute BG/NBD P(alive): t_x must lie in [0, T] (t_x=40.0, T=38.0)");
    assertThatThrownBy(() -> BgNbd.expectedTransactions(REFERENCE, -1)).as("negative horizon")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute BG/NBD expected transactions: t must be non-negative and finite (-1.0)");
    assertThatThrownBy(() -> BgNbd.fit(new SummaryRow[0])).as("no rows")
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot fit BG/NBD: no rows (0)");
    assertThatThrownBy(() -> new SummaryRow(0, 3, 10, 1)).as("x = 0 with recency")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build summary row: t_x must be 0 when x = 0 (3.0)");
  }
}
