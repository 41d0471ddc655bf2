package io.cxlake.jobs.clv.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The optimiser on Rosenbrock's valley, a standard hard case for quasi-Newton methods. */
class BfgsTest {

  /** -(Rosenbrock), maximised at (1, 1) with value 0. */
  private static double negativeRosenbrock(double[] x, double[] g) {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    g[0] = -(-2 * a - 400 * x[0] * b);
    g[1] = -(200 * b);
    return -(a * a + 100 * b * b);
  }

  @Test
  void findsTheMaximumAndSaysSo() {
    Bfgs.Result result = Bfgs.maximise(BfgsTest::negativeRosenbrock, new double[] {-1.2, 1}, 1e-10, 500);
    assertThat(result.converged()).as("converged").isTrue();
    // 1e-8: a gradient of 1e-10 pins this well-conditioned-at-the-end valley to ~1e-9.
    assertThat(result.x()[0]).as("x").isCloseTo(1, within(1e-8));
    assertThat(result.x()[1]).as("y").isCloseTo(1, within(1e-8));
    assertThat(result.gradientNorm()).as("final gradient").isLessThanOrEqualTo(1e-10);
  }

  @Test
  void runningOutOfIterationsIsNotConvergence() {
    Bfgs.Result result = Bfgs.maximise(BfgsTest::negativeRosenbrock, new double[] {-1.2, 1}, 1e-10, 3);
    assertThat(result.converged()).as("converged after 3 iterations").isFalse();
    assertThat(result.iterations()).as("iterations").isEqualTo(3);
  }
}
