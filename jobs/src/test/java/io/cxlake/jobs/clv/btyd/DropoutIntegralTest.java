package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The Pareto/NBD drop-out integral against 40-digit references, in the regimes where the old
 * hypergeometric evaluation was slow or failed.
 */
class DropoutIntegralTest {

  /**
   * {a, b, alpha, beta, p, q, ln K, mean ln(1+t/alpha), mean t/(alpha+t), mean ln(1+t/beta), mean
   * t/(beta+t)}: mpmath 1.3 at 40 digits, tanh-sinh on 60 pieces graded cubically towards p (the
   * integrand falls monotonically from p), checked against 120 pieces (agreement to 1e-25 or better,
   * except the a = 200 row: 6e-13 in ln K = -887, a few ulps of a double that size).
   */
  private static final double[][] REFERENCE = {
      // CDNOW-like parameters, x = 2.
      {2.553, 1.606, 10.578, 11.669, 10, 38.86, -0.86647338344265348, 0.92599552309366388, 0.59528354903227344,
          0.86869983386118991, 0.57205839450371958},
      // x = 0 with r < 1 (the exponential factor grows), tiny scales, over two years.
      {0.3, 1.05, 0.01, 0.02, 0, 104, -3.0711191961009834, 2.8407532215369763, 0.78737723693284803,
          2.3208679219637615, 0.71072048890532861},
      // Concentrated drop-out (s = 20, beta = 200), alpha << beta, x = 60.
      {60.5, 21, 1, 200, 1, 104, -45.436536614218797, 0.70989309510948284, 0.50823506189580446,
          0.0051569759711865611, 0.005143686832867092},
      // alpha >> beta.
      {10.5, 21, 200, 2, 0.5, 104, -6.7985331094212001, 0.0031477126665737517, 0.0031425301024949698,
          0.27278428432444126, 0.23783508352413761},
      // alpha >> beta, both large, x = 100.
      {100.5, 21, 2000, 200, 3, 104, 1.4324929954453876, 0.0048871563702948378, 0.0048693174845922006,
          0.047358589058356617, 0.045771855947237322},
      // alpha = beta exactly.
      {5.5, 2.5, 7, 7, 3, 50, -2.4967297229419385, 0.49952318364323397, 0.38749741650677388, 0.49952318364323397,
          0.38749741650677388},
      // Where the fit drifts on data without drop-out heterogeneity: s = 1.4e9, beta = 1.1e11.
      {11.485, 1.4e9 + 1, 22.15, 1.1e11, 20, 100, -6.3073656311410081, 0.73322531933354532, 0.51782886611609859,
          2.1961150772460475e-10, 2.1961150769963426e-10},
      // A range of 1e-6 far from 0.
      {30.8, 1.6, 10, 12, 100, 100.000001, -91.244432664233013, 2.3978952773438248, 0.90909090950413221,
          2.2335922259713797, 0.89285714333545916},
      // x = 200 with tiny scales: the integrand falls by e^-880 over the range; most of it is cut.
      {200.3, 40, 0.27, 0.268, 10.4, 35.5, -886.92789720289500, 3.6809481104281715, 0.97480070859730320,
          3.6881964100741794, 0.97498270016956374},
      // s = 1e6 with beta = s / 0.02.
      {0.5, 1e6 + 1, 0.05, 5e7, 0, 104, 0.95137196363411109, 5.0777617771449258, 0.96348469030544286,
          4.0825831656411722e-7, 4.0825812452872432e-7},
      // x = 100 from 0 with tiny scales: a range of 7 in ln(c+t).
      {100.5, 1.05, 0.1, 0.2, 0, 104, -6.9080314815861075, 0.0099969761395936736, 0.0098980283553795256,
          0.0050234710495633917, 0.0049982383660549296},
      // A short range at 0.
      {3.5, 2, 1, 3, 0, 1e-3, -6.909837269508842, 0.0004994865228553947, 0.00049932019600187898,
          0.00016653248145448518, 0.00016651398837750531},
      // Tiny r and s, beta << alpha.
      {0.05, 1.02, 1000, 0.01, 0, 104, -2.4721631017558416, 0.010157396079020502, 0.0099120863372270979,
          4.4804153957674093, 0.88385239103408144},
  };

  @Test
  void matchesFortyDigitQuadratureInEveryRegime() {
    double[] means = new double[4];
    for (double[] c : REFERENCE) {
      double logK = DropoutIntegral.logIntegral(c[0], c[2], c[1], c[3], c[4], c[5], Math.log1p(c[4] / c[2]),
          Math.log1p(c[4] / c[3]), means);
      String at = String.format("a=%s b=%s alpha=%s beta=%s p=%s q=%s", c[0], c[1], c[2], c[3], c[4], c[5]);
      // 2e-15 (1 + |ln K|): ln K is a sum of terms as large as itself, each rounded (2e-15 |ln K|),
      // plus about 1e-15 from the quadrature's own rounding; it is the relative error of K.
      assertThat(logK).as("ln K " + at).isCloseTo(c[6], within(2e-15 * (1 + Math.abs(c[6]))));
      for (int k = 0; k < 4; k++) {
        // 1e-13 relative: each mean is a ratio of two sums of positive terms.
        assertThat(means[k]).as("mean %d %s", k, at).isCloseTo(c[7 + k], within(1e-13 * Math.abs(c[7 + k])));
      }
    }
  }

  @Test
  void valueWithoutMeansIsTheSame() {
    double[] means = new double[4];
    for (double[] c : REFERENCE) {
      double with = DropoutIntegral.logIntegral(c[0], c[2], c[1], c[3], c[4], c[5], Math.log1p(c[4] / c[2]),
          Math.log1p(c[4] / c[3]), means);
      double without = DropoutIntegral.logIntegral(c[0], c[2], c[1], c[3], c[4], c[5], Math.log1p(c[4] / c[2]),
          Math.log1p(c[4] / c[3]), null);
      assertThat(without).as("ln K without means, a=%s", c[0]).isEqualTo(with);
    }
  }

  @Test
  void piecesAddUp() {
    // K(p, q) = K(p, m) + K(m, q): the shared-grid likelihood relies on it.
    double a = 40.7;
    double b = 21;
    double alpha = 1.3;
    double beta = 200;
    double whole = DropoutIntegral.logIntegral(a, alpha, b, beta, 2, 90, Math.log1p(2 / alpha), Math.log1p(2 / beta),
        null);
    double sum = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < 88; k++) {
      double p = 2 + k;
      sum = SpecialFunctions.logSumExp(sum, DropoutIntegral.logIntegral(a, alpha, b, beta, p, p + 1,
          Math.log1p(p / alpha), Math.log1p(p / beta), null));
    }
    // 1e-13: 88 rounded pieces summed.
    assertThat(sum).as("ln of the pieces' sum").isCloseTo(whole, within(1e-13 * Math.abs(whole)));
  }
}
