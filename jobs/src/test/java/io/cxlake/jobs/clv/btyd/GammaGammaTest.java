package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/**
 * Gamma-Gamma against the CDNOW reference numbers of shared/data/README.md section 1 (Fader,
 * Hardie &amp; Lee 2005, "RFM and CLV: using iso-value curves").
 */
class GammaGammaTest {

  private static final GammaGamma.Params REFERENCE = new GammaGamma.Params(6.248803, 3.744588, 15.447746);

  @Test
  void fitOnRepeatCustomersMatchesTheReference() {
    SpendRow[] perCustomer = CdnowData.repeatSpendRows();
    assertThat(perCustomer).as("customers with x > 0").hasSize(946);
    SpendRow[] rows = SpendRow.compress(perCustomer);
    Fit<GammaGamma.Params> fit = GammaGamma.fit(rows);
    assertThat(fit.converged()).as("converged").isTrue();
    // 1e-3 relative: the reference prints 7 significant digits from its own optimiser's stopping point.
    assertThat(fit.params().p()).as("p").isCloseTo(6.248803, withinPercentage(0.1));
    assertThat(fit.params().q()).as("q").isCloseTo(3.744588, withinPercentage(0.1));
    assertThat(fit.params().gamma()).as("gamma").isCloseTo(15.447746, withinPercentage(0.1));
    // +-0.01: the reference prints 4 decimals.
    assertThat(fit.logLikelihood()).as("LL of the mean-spend density").isCloseTo(-4055.9232, within(0.01));
    assertThat(GammaGamma.totalSpendLogLikelihood(fit.params(), rows)).as("LL of the total-spend density")
        .isCloseTo(-4659.2958, within(0.01));
    assertThat(fit.logLikelihood() - GammaGamma.totalSpendLogLikelihood(fit.params(), rows)).as("sum of ln x")
        .isCloseTo(603.37, within(0.01));
    // +-0.005: the README prints 2 decimals; the paper's "a mere nine cents" above the mean 35.08.
    assertThat(GammaGamma.populationMeanValue(fit.params())).as("population mean p gamma / (q - 1)")
        .isCloseTo(35.17, within(0.005));
    assertThat(GammaGamma.logLikelihood(REFERENCE, perCustomer)).as("compressed LL equals per-customer LL")
        .isCloseTo(GammaGamma.logLikelihood(REFERENCE, rows), withinPercentage(1e-7));
  }

  @Test
  void expectedAverageValuesMatchTheReferenceFile() {
    double worst = 0;
    for (CdnowData.Reference c : CdnowData.reference()) {
      double value = GammaGamma.conditionalExpectedAverageValue(REFERENCE, c.x(), c.zbar());
      // The file prints 6 decimals (5e-7) from the reference MLE at full precision; the 7 printed
      // digits of each parameter are off by up to 8e-8 relative, which is ~1.5e-5 on a $180 value.
      worst = Math.max(worst, Math.abs(value - c.ggExpectedValue()) / (5e-7 + 1e-7 * c.ggExpectedValue()));
    }
    assertThat(worst).as("max |E[M | x, zbar] - file| in units of (5e-7 + 1e-7 |value|)").isLessThan(1.0);
    assertThat(GammaGamma.conditionalExpectedAverageValue(REFERENCE, 0, 0)).as("x = 0 gets the population mean")
        .isEqualTo(GammaGamma.populationMeanValue(REFERENCE));
  }

  @Test
  void refusesNonPositiveSpend() {
    SpendRow[] rows = {new SpendRow(2, 10.0, 1), new SpendRow(3, 0.0, 1)};
    assertThatThrownBy(() -> GammaGamma.fit(rows)).as("zero mean spend")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot fit Gamma-Gamma: spend must be positive (0.0)");
    SpendRow[] negative = {new SpendRow(2, -4.5, 1)};
    assertThatThrownBy(() -> GammaGamma.fit(negative)).as("negative mean spend")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot fit Gamma-Gamma: spend must be positive (-4.5)");
    SpendRow[] noRepeat = {new SpendRow(0, 12.0, 1)};
    assertThatThrownBy(() -> GammaGamma.fit(noRepeat)).as("x = 0 row")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot fit Gamma-Gamma: x must be at least 1 repeat transaction (0)");
    assertThatThrownBy(() -> GammaGamma.populationMeanValue(new GammaGamma.Params(1, 0.5, 1))).as("q <= 1")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute Gamma-Gamma population mean value: q must exceed 1 (0.5)");
  }

  @Test
  void fitIterationsDependOnDistinctRowsNotOnWeights() {
    SpendRow[] all = SpendRow.compress(CdnowData.repeatSpendRows());
    SpendRow[] hundred = new SpendRow[100];
    SpendRow[] scaled = new SpendRow[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = all[i * 7];
      scaled[i] = new SpendRow(hundred[i].x(), hundred[i].meanSpend(), hundred[i].weight() * 1000);
    }
    Fit<GammaGamma.Params> one = GammaGamma.fit(hundred);
    Fit<GammaGamma.Params> thousand = GammaGamma.fit(scaled);
    assertThat(one.converged()).as("weights x1 converged").isTrue();
    assertThat(thousand.iterations()).as("iterations, weights x1000 vs x1").isEqualTo(one.iterations());
    assertThat(thousand.params()).as("estimates, weights x1000 vs x1").isEqualTo(one.params());
  }
}
