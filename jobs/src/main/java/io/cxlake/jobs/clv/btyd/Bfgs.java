package io.cxlake.jobs.clv.btyd;

import java.util.Arrays;

/**
 * Quasi-Newton maximisation (BFGS, Nocedal &amp; Wright 2006, "Numerical Optimization", 2nd ed.,
 * algorithm 6.1) with a bracketing weak-Wolfe line search (Lewis &amp; Overton 2013, "Nonsmooth
 * optimization via quasi-Newton methods", section 4.2) that also accepts Hager &amp; Zhang's
 * approximate Wolfe condition, so the gradient can be driven below the point where value
 * differences drown in rounding. The models call it on their log-parameters,
 * so every step stays in the positive orthant and no bounds are needed.
 *
 * <p>Convergence means the largest gradient component fell below the tolerance. A line search that
 * cannot make progress (the objective flat to rounding before the gradient is small) ends the run
 * unconverged rather than pretending otherwise.
 */
final class Bfgs {

  /** Armijo sufficient-decrease constant. */
  private static final double C1 = 1e-4;

  /** Curvature constant: loose, as usual for quasi-Newton steps. */
  private static final double C2 = 0.9;

  /**
   * Hager &amp; Zhang (2005, "A new conjugate gradient method with guaranteed descent and an efficient
   * line search", SIAM J. Optim. 16(1)) approximate-Wolfe constant: the directional derivative must
   * have fallen to at most (2&delta; &minus; 1) times its starting value.
   */
  private static final double DELTA = 0.1;

  /** Relative change of the value treated as rounding noise by the approximate Wolfe test. */
  private static final double ROUNDING = 1e-12;

  /**
   * The largest change of any coordinate in one step: in log-parameters a factor of e^2 ~ 7.4, so an
   * early step cannot jump to where the likelihood underflows.
   */
  private static final double MAX_STEP = 2.0;

  private static final int MAX_LINE_SEARCH = 60;

  private Bfgs() {}

  /** A smooth objective to maximise. */
  @FunctionalInterface
  interface Objective {

    /**
     * The value at x, with the gradient written into {@code gradient}.
     *
     * @param x the point, not to be modified
     * @param gradient receives the gradient (length of x)
     * @return the value; NaN or &plusmn;infinity marks a point the line search must back away from
     */
    double valueAndGradient(double[] x, double[] gradient);
  }

  /**
   * The outcome of one maximisation.
   *
   * @param x the best point found
   * @param value the objective there
   * @param converged whether the largest gradient component is below the tolerance
   * @param iterations BFGS iterations (accepted steps)
   * @param evaluations objective evaluations, including line-search trials
   * @param gradientNorm the largest gradient component at x
   */
  record Result(double[] x, double value, boolean converged, int iterations, int evaluations,
      double gradientNorm) {}

  /**
   * Maximises f from x0.
   *
   * @param f the objective
   * @param x0 the starting point, where f must be finite
   * @param gradientTolerance convergence when every |&part;f/&part;x_i| is at most this
   * @param maxIterations the iteration budget
   * @return the best point, its value and how the run ended
   * @throws IllegalArgumentException if f is not finite at x0
   */
  static Result maximise(Objective f, double[] x0, double gradientTolerance, int maxIterations) {
    int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    // Minimise h = -f; g holds the gradient of h.
    double h = -f.valueAndGradient(x, g);
    int evaluations = 1;
    if (!Double.isFinite(h) || !allFinite(g)) {
      throw new IllegalArgumentException(
          "Cannot maximise: objective or gradient is not finite at the start (" + Arrays.toString(x0) + ")");
    }
    negate(g);
    double[][] inverse = identity(n);
    double[] direction = new double[n];
    double[] trial = new double[n];
    double[] trialGradient = new double[n];
    boolean firstUpdate = true;
    int iterations = 0;
    boolean converged = false;
    while (true) {
      if (maxAbs(g) <= gradientTolerance) {
        converged = true;
        break;
      }
      if (iterations >= maxIterations) {
        break;
      }
      multiply(inverse, g, direction);
      negate(direction);
      double slope = dot(g, direction);
      if (!(slope < 0)) {
        // The approximation lost positive definiteness to rounding: restart from steepest descent.
        inverse = identity(n);
        firstUpdate = true;
        for (int i = 0; i < n; i++) {
          direction[i] = -g[i];
        }
        slope = dot(g, direction);
      }
      double longest = maxAbs(direction);
      if (longest > MAX_STEP) {
        for (int i = 0; i < n; i++) {
          direction[i] *= MAX_STEP / longest;
        }
        slope = dot(g, direction);
      }

      double t = 1;
      double lo = 0;
      double hi = Double.POSITIVE_INFINITY;
      boolean accepted = false;
      double trialValue = Double.NaN;
      for (int k = 0; k < MAX_LINE_SEARCH; k++) {
        for (int i = 0; i < n; i++) {
          trial[i] = x[i] + t * direction[i];
        }
        trialValue = -f.valueAndGradient(trial, trialGradient);
        evaluations++;
        negate(trialGradient);
        double trialSlope = dot(trialGradient, direction);
        boolean decreased = trialValue <= h + C1 * t * slope
            // Hager & Zhang's approximate Wolfe condition: once the decrease is below the rounding
            // of the value, a falling directional derivative is the trustworthy signal.
            || (trialValue <= h + ROUNDING * Math.abs(h) && trialSlope <= (2 * DELTA - 1) * slope);
        if (!Double.isFinite(trialValue) || !allFinite(trialGradient) || !decreased) {
          hi = t;
        } else if (trialSlope < C2 * slope) {
          lo = t;
        } else {
          accepted = true;
          break;
        }
        t = hi == Double.POSITIVE_INFINITY ? 2 * t : (lo + hi) / 2;
      }
      if (!accepted) {
        // Flat to rounding along the search direction: no further progress is possible.
        break;
      }

      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = trial[i] - x[i];
        y[i] = trialGradient[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-300) {
        if (firstUpdate) {
          // Scale the identity to the curvature just seen (Nocedal & Wright eq. 6.20).
          double scale = sy / dot(y, y);
          inverse = identity(n);
          for (int i = 0; i < n; i++) {
            inverse[i][i] = scale;
          }
          firstUpdate = false;
        }
        update(inverse, s, y, sy);
      }
      System.arraycopy(trial, 0, x, 0, n);
      System.arraycopy(trialGradient, 0, g, 0, n);
      h = trialValue;
      iterations++;
    }
    return new Result(x, -h, converged, iterations, evaluations, maxAbs(g));
  }

  /** H &larr; (I &minus; &rho; s y&#x1D40;) H (I &minus; &rho; y s&#x1D40;) + &rho; s s&#x1D40;, &rho; = 1 / s&#x1D40;y. */
  private static void update(double[][] inverse, double[] s, double[] y, double sy) {
    int n = s.length;
    double rho = 1 / sy;
    double[] hy = new double[n];
    multiply(inverse, y, hy);
    double yhy = dot(y, hy);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        inverse[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
      }
    }
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  private static void multiply(double[][] m, double[] v, double[] out) {
    for (int i = 0; i < v.length; i++) {
      double sum = 0;
      for (int j = 0; j < v.length; j++) {
        sum += m[i][j] * v[j];
      }
      out[i] = sum;
    }
  }

  private static double dot(double[] u, double[] v) {
    double sum = 0;
    for (int i = 0; i < u.length; i++) {
      sum += u[i] * v[i];
    }
    return sum;
  }

  private static double maxAbs(double[] v) {
    double max = 0;
    for (double d : v) {
      max = Math.max(max, Math.abs(d));
    }
    return max;
  }

  private static void negate(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = -v[i];
    }
  }

  private static boolean allFinite(double[] v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }
}
