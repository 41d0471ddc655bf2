package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.cxlake.jobs.clv.btyd.SpecialFunctions.Hyp2f1;
import org.junit.jupiter.api.Test;

/** 2F1 against closed forms (Abramowitz &amp; Stegun 15.1.3-15.1.6), and the log-space helpers. */
class SpecialFunctionsTest {

  /** 1e-12 relative, as a percentage: the routes lose at most a few digits of 1e-16. */
  private static final double CLOSE = 1e-10;

  private static void assertHyp2f1(double a, double b, double c, double z, double exact) {
    Hyp2f1 h = SpecialFunctions.hyp2f1(a, b, c, z);
    String what = "2F1(" + a + ", " + b + "; " + c + "; " + z + ") via " + h.method();
    assertThat(h.converged()).as(what + " converged").isTrue();
    assertThat(h.value()).as(what).isCloseTo(exact, withinPercentage(CLOSE));
    assertThat(h.logAbs()).as(what + " log").isCloseTo(Math.log(Math.abs(exact)), within(1e-12));
  }

  @Test
  void logarithmCaseAcrossTheWholeRange() {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z (A&S 15.1.3); c - a - b = 0 exercises the log limit near 1.
    for (double z : new double[] {1e-8, 0.3, 0.9, 0.95, 0.999, 1 - 1e-6, 1 - 1e-12}) {
      assertHyp2f1(1, 1, 2, z, -Math.log1p(-z) / z);
    }
    // Negative z goes through Pfaff's transformation, far out to z/(z-1) ~ 1.
    for (double z : new double[] {-0.5, -5, -1000, -1e12}) {
      assertHyp2f1(1, 1, 2, z, Math.log1p(-z) / -z);
    }
  }

  @Test
  void binomialCase() {
    // 2F1(a, b; b; z) = (1 - z)^-a (A&S 15.1.8); c - a - b = -a is not an integer.
    for (double z : new double[] {0.5, 0.95, 0.9999, -3, -1e6}) {
      assertHyp2f1(0.7, 2.3, 2.3, z, Math.pow(1 - z, -0.7));
      // (1 - z)^-301.5 overflows a double near z = 1; its logarithm does not.
      Hyp2f1 large = SpecialFunctions.hyp2f1(301.5, 2.3, 2.3, z);
      assertThat(large.converged()).as("2F1(301.5, 2.3; 2.3; %s) converged", z).isTrue();
      // 1e-12 relative on a logarithm of up to ~4000.
      assertThat(large.logAbs()).as("ln 2F1(301.5, 2.3; 2.3; %s)", z)
          .isCloseTo(-301.5 * Math.log1p(-z), within(1e-12 * Math.max(1, Math.abs(301.5 * Math.log1p(-z)))));
    }
  }

  @Test
  void inverseTrigonometricCases() {
    // 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z) / z (A&S 15.1.6), c - a - b = 1/2.
    for (double z : new double[] {0.5, 0.99, 0.999999}) {
      assertHyp2f1(0.5, 0.5, 1.5, z * z, Math.asin(z) / z);
    }
    // 2F1(1/2, 1; 3/2; -z^2) = arctan(z) / z (A&S 15.1.5).
    for (double z : new double[] {0.5, 3, 1e4}) {
      assertHyp2f1(0.5, 1, 1.5, -z * z, Math.atan(z) / z);
    }
  }

  @Test
  void integerParameterDifferencesOtherThanZero() {
    // 2F1(1, 2; 3; z) = 2 (-z - ln(1 - z)) / z^2 (c - a - b = 0), 2F1(1, 2; 2; z) = 1 / (1 - z) (-1).
    for (double z : new double[] {0.5, 0.95, 1 - 1e-6}) {
      assertHyp2f1(1, 2, 3, z, 2 * (-z - Math.log1p(-z)) / (z * z));
      assertHyp2f1(1, 2, 2, z, 1 / (1 - z));
      // 2F1(1, 1; 3; z) = 2 ((1 - z) ln(1 - z) + z) / z^2, c - a - b = 1.
      assertHyp2f1(1, 1, 3, z, 2 * ((1 - z) * Math.log1p(-z) + z) / (z * z));
    }
  }

  @Test
  void polynomialAndGaussCases() {
    // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1)), for any z.
    double b = 1.5;
    double c = 2.5;
    for (double z : new double[] {0.3, 4.0, -7.0}) {
      assertHyp2f1(-2, b, c, z, 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1)));
    }
    // Gauss: 2F1(a, b; c; 1) = Gamma(c) Gamma(c-a-b) / (Gamma(c-a) Gamma(c-b)); 2F1(1,1;3;1) = 2.
    assertHyp2f1(1, 1, 3, 1, 2);
  }

  @Test
  void heavyBuyerParametersStayInRange() {
    // The BG/NBD 2F1 of a 300-purchase customer is ~1e83: summed after Euler's transformation.
    Hyp2f1 h = SpecialFunctions.hyp2f1(300.24, 302.4, 301.2, 0.47);
    assertThat(h.converged()).as("converged").isTrue();
    // Reference value from mpmath at 40 digits: 1.298675692311533811807731856100368565224e83.
    assertThat(h.logAbs()).as("ln 2F1").isCloseTo(Math.log(1.298675692311533811807731856100368565224e83),
        within(1e-12));
    Hyp2f1 huge = SpecialFunctions.hyp2f1(3000.24, 3002.4, 3001.2, 0.47);
    assertThat(huge.converged()).as("1e800 converges").isTrue();
    assertThat(huge.value()).as("value overflows a double").isInfinite();
    assertThat(huge.logAbs()).as("but the logarithm is finite").isFinite().isGreaterThan(1000);
  }

  @Test
  void hardCasesAgainstMpmath() {
    // {a, b, c, z, ln|2F1|, sign}, reference values from mpmath.hyp2f1 at 50 digits. The first two
    // are integer c - a - b near z = 1 with large parameters (the log case cancels), then the
    // connection formula, a negative result, a heavy-buyer BG/NBD shape near z = 1, c < a + b,
    // and Pfaff at z = -20 and -0.9.
    double[][] cases = {
        {27.433695, 1.503189, 29.936884, 0.9530468829488961, 3.3468208453834326982, 1},
        {29.30943, 31.205235, 59.514665, 0.970698410426201, 33.966918530005195287, 1},
        {0.3, 0.2, 1.7, 0.95, 0.05214483225671653313, 1},
        {2.5, -0.3, 1.1, 0.97, 2.0645835270729434667, -1},
        {40.242593, 42.425754, 42.21864, 0.999, 279.40666330079579892, 1},
        {10.5, 1.6, 12.1, 0.9999, 5.648587105277362159, 1},
        {5.55, 6.15, 7.15, 0.3, 1.694668658551013209, 1},
        {1.5, 2.5, 0.5, 0.95, 12.053678875352810576, 1},
        {3.2, 1.7, 0.4, -20.0, -6.4456481272515316039, 1},
        {0.8, 4.2, 1.3, -0.9, -1.3904324493057328297, 1},
    };
    for (double[] c : cases) {
      Hyp2f1 h = SpecialFunctions.hyp2f1(c[0], c[1], c[2], c[3]);
      String what = "2F1(" + c[0] + ", " + c[1] + "; " + c[2] + "; " + c[3] + ") via " + h.method();
      assertThat(h.converged()).as(what + " converged").isTrue();
      assertThat(h.sign()).as(what + " sign").isEqualTo((int) c[5]);
      // 1e-10 relative: the accuracy a converged result promises.
      assertThat(h.logAbs()).as(what + " ln|2F1|").isCloseTo(c[4], within(1e-10 * Math.max(1, Math.abs(c[4]))));
    }
  }

  @Test
  void digammaIsAccurate() {
    // commons-math3 3.6.1 is off by ~3e-9 here (sign of its x^-4 term); mpmath values.
    assertThat(SpecialFunctions.digamma(1)).as("psi(1) = -Euler's gamma")
        .isCloseTo(-0.57721566490153286061, within(1e-15));
    assertThat(SpecialFunctions.digamma(0.3)).as("psi(0.3)").isCloseTo(-3.5025242222001331, within(1e-14));
    assertThat(SpecialFunctions.digamma(49)).as("psi(49)").isCloseTo(3.8815815101625861, within(1e-14));
    assertThat(SpecialFunctions.digamma(-0.5)).as("psi(-1/2)").isCloseTo(0.03648997397857652, within(1e-14));
    assertThat(SpecialFunctions.digamma(-2)).as("pole").isNaN();
  }

  @Test
  void nonConvergenceIsFlaggedNotHidden() {
    Hyp2f1 shortBudget = SpecialFunctions.hyp2f1(1, 1, 2, 0.5, 5);
    assertThat(shortBudget.converged()).as("5 terms of 2F1(1,1;2;0.5)").isFalse();
    Hyp2f1 outside = SpecialFunctions.hyp2f1(1, 1, 2, 1.5);
    assertThat(outside.converged()).as("z > 1").isFalse();
    assertThat(outside.value()).as("z > 1 value").isNaN();
    Hyp2f1 pole = SpecialFunctions.hyp2f1(1, 1, -2, 0.5);
    assertThat(pole.converged()).as("c = -2").isFalse();
    Hyp2f1 divergent = SpecialFunctions.hyp2f1(1, 1, 1.5, 1);
    assertThat(divergent.converged()).as("z = 1 with c - a - b < 0").isFalse();
    // c - a - b = 1e-7: the connection formula would cancel 5+ digits and the direct series needs
    // ~1e10 terms at z = 1 - 1e-9; neither is returned as converged.
    Hyp2f1 nearInteger = SpecialFunctions.hyp2f1(1, 1, 2 + 1e-7, 1 - 1e-9);
    assertThat(nearInteger.converged()).as("near-integer c - a - b at z = 1 - 1e-9").isFalse();
    // With room to converge the same parameters are fine (mpmath: 6.914668088289952450).
    Hyp2f1 nearIntegerEasier = SpecialFunctions.hyp2f1(1, 1, 2 + 1e-7, 0.999);
    assertThat(nearIntegerEasier.converged()).as("near-integer c - a - b at z = 0.999").isTrue();
    // 1e-11 relative: ~30000 summed terms accumulate rounding.
    assertThat(nearIntegerEasier.value()).as("near-integer value").isCloseTo(6.914668088289952450,
        withinPercentage(1e-9));
  }

  @Test
  void logSpaceHelpers() {
    assertThat(SpecialFunctions.logSumExp(1000, 1000)).as("lse overflow-free").isCloseTo(1000 + Math.log(2),
        within(1e-12));
    assertThat(SpecialFunctions.logSumExp(Double.NEGATIVE_INFINITY, -3)).as("lse with a zero term").isEqualTo(-3);
    assertThat(SpecialFunctions.logSumExp(-1000, -1001, -1002)).as("lse of three")
        .isCloseTo(-1000 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), within(1e-12));
    assertThat(SpecialFunctions.logDiffExp(0, -1e-20)).as("ln(1 - e^-1e-20)").isCloseTo(Math.log(1e-20),
        within(1e-12));
    assertThat(SpecialFunctions.logDiffExp(5, 5)).as("ln 0").isEqualTo(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> SpecialFunctions.logDiffExp(1, 2)).as("b > a")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot take ln(e^a - e^b): b exceeds a (1.0 < 2.0)");
    assertThat(SpecialFunctions.logistic(-700)).as("logistic far left stays positive")
        .isCloseTo(Math.exp(-700), withinPercentage(1e-12));
    assertThat(SpecialFunctions.logistic(40)).as("logistic far right").isEqualTo(1.0);
    assertThat(SpecialFunctions.logAbsGamma(-0.5)).as("ln|Gamma(-1/2)| = ln(2 sqrt(pi))")
        .isCloseTo(Math.log(2 * Math.sqrt(Math.PI)), within(1e-13));
    assertThat(SpecialFunctions.gammaSign(-0.5)).as("Gamma(-1/2) < 0").isEqualTo(-1);
    assertThat(SpecialFunctions.gammaSign(-1.5)).as("Gamma(-3/2) > 0").isEqualTo(1);
    assertThat(SpecialFunctions.gammaSign(-2)).as("pole").isZero();
    assertThat(SpecialFunctions.logBeta(2, 3)).as("ln B(2,3) = ln(1/12)").isCloseTo(-Math.log(12), within(1e-14));
  }
}
