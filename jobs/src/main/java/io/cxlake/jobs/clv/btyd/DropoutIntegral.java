package io.cxlake.jobs.clv.btyd;

/**
 * The integral at the heart of the Pareto/NBD likelihood, in a form scaled so that its logarithm
 * needs no cancellation when the exponents are large:
 * <pre>
 * K(p, q) = &int;<sub>p</sub><sup>q</sup> (1+&tau;/&alpha;)^-a (1+&tau;/&beta;)^-b d&tau;,   a, b, &alpha;, &beta; &gt; 0, 0 &le; p &lt; q,
 * </pre>
 * and the means of ln(1+&tau;/&alpha;), &tau;/(&alpha;+&tau;), ln(1+&tau;/&beta;) and &tau;/(&beta;+&tau;) under
 * the density proportional to its integrand, which give the integral's parameter derivatives. The
 * Pareto/NBD model uses a = r+x and b = s+1: the integrand is, up to constants, the chance of no
 * purchase after t<sub>x</sub> times the density of dropping out at &tau;.
 *
 * <p>Method: with c the smaller and d the larger of &alpha; and &beta; (e<sub>c</sub>, e<sub>d</sub> their
 * exponents), the variable u = ln(c+&tau;) turns the factor with the nearer singularity into the
 * exponential e^((1&minus;e<sub>c</sub>) u) (the Jacobian included) and moves the other one's
 * singularity to Im u = &plusmn;&pi;, so the integrand is analytic in a strip of half-width &pi;
 * around the real axis. Its logarithm &phi; is concave, with slope &phi;' = (1&minus;e<sub>c</sub>)
 * &minus; e<sub>d</sub>(c+&tau;)/(d+&tau;) falling monotonically, so the steepest slope over a span is at
 * one of its ends. The range is cut into spans whose variation (|&phi;'| + 1)&middot;length is small
 * enough for an n-point Gauss&ndash;Legendre rule to be exact to rounding (the smallest of 3 to 24
 * points that suffices; the + 1 covers the factors that change at rate 1 in u even where &phi; is
 * flat), each span at most 2 long so that the strip stays far from it. Once the
 * decay is so steep that the concave bound on the rest (e^&phi;/|&phi;'| at the current point) is
 * below 1e-17 of the sum, the rest is dropped. Everything is taken relative to the start of the
 * range (the length is log1p((q&minus;p)/(c+p)), ln(d+&tau;) is ln(d+p) + log1p(...)), so narrow
 * ranges far from 0 lose no digits, and the result is a logarithm, so it cannot underflow.
 * Against 40-digit quadrature the logarithm is right to a few units of its last place and the
 * means to about 1e-15 relative, from x = 0 to x = 200 and s from 0.03 to 1e9 (DropoutIntegralTest).
 */
final class DropoutIntegral {

  /** Index of the mean of ln(1+&tau;/&alpha;) in the means array. */
  static final int LOG_ALPHA = 0;

  /** Index of the mean of &tau;/(&alpha;+&tau;). */
  static final int SHARE_ALPHA = 1;

  /** Index of the mean of ln(1+&tau;/&beta;). */
  static final int LOG_BETA = 2;

  /** Index of the mean of &tau;/(&beta;+&tau;). */
  static final int SHARE_BETA = 3;

  /** Gauss&ndash;Legendre orders, smallest first. */
  private static final int[] ORDERS = {3, 4, 5, 6, 8, 10, 12, 16, 20, 24};

  /**
   * The largest variation D = (|&phi;'| + 1)&middot;length over a span for each order: about half the D
   * up to which the order integrates a pure exponential e^(D t / 2) over [&minus;1, 1] to 1e-16
   * relative (the error falls like D^(2n)), because &phi; also curves. For example 8 points reach
   * 1e-16 at D = 3, 16 points at D = 16.
   */
  private static final double[] MAX_VARIATION = {0.02, 0.07, 0.2, 0.45, 1.3, 2.8, 4.5, 8, 12, 16};

  /**
   * The longest span in u: the integrand's singularities lie at Im u = &plusmn;&pi;, and a span of
   * length 2 keeps the Bernstein ellipse of convergence rate ~6 for the largest order.
   */
  private static final double MAX_SPAN = 2;

  /** The rest of the range is dropped once a bound on it is below this fraction of the sum. */
  private static final double TAIL = 1e-17;

  private static final double[][] NODES = new double[ORDERS.length][];
  private static final double[][] WEIGHTS = new double[ORDERS.length][];

  static {
    for (int i = 0; i < ORDERS.length; i++) {
      legendre(ORDERS[i], i);
    }
  }

  private DropoutIntegral() {}

  /**
   * ln K(p, q), with the four means written into {@code means} when it is not null.
   *
   * @param a exponent of 1+&tau;/&alpha;, positive
   * @param alpha scale &alpha;, positive
   * @param b exponent of 1+&tau;/&beta;, positive
   * @param beta scale &beta;, positive
   * @param p lower limit, non-negative
   * @param q upper limit, above p
   * @param logAlphaP ln(1+p/&alpha;), which callers usually have already
   * @param logBetaP ln(1+p/&beta;)
   * @param means null, or an array of at least 4 that receives the means at {@link #LOG_ALPHA},
   *     {@link #SHARE_ALPHA}, {@link #LOG_BETA} and {@link #SHARE_BETA}
   * @return ln K(p, q)
   */
  static double logIntegral(double a, double alpha, double b, double beta, double p, double q, double logAlphaP,
      double logBetaP, double[] means) {
    boolean alphaNear = alpha <= beta;
    double c = alphaNear ? alpha : beta;
    double d = alphaNear ? beta : alpha;
    double ec = alphaNear ? a : b;
    double ed = alphaNear ? b : a;
    double logCp = alphaNear ? logAlphaP : logBetaP;
    double logDp = alphaNear ? logBetaP : logAlphaP;
    double cp = c + p;
    double dp = d + p;
    // With v = ln((c+tau)/(c+p)) and grow = e^v - 1: (c+tau) = (c+p)(1+grow),
    // (d+tau) = (d+p)(1+ratio grow), sigma = (c+tau)/(d+tau) = ratio (1+grow)/(1+ratio grow).
    double ratio = cp / dp;
    double length = Math.log1p((q - p) / cp);
    if (!(length > 0)) {
      // q - p below the resolution of c + p (about 1e-308 of it): no width left to integrate over.
      if (means != null) {
        means[LOG_ALPHA] = logAlphaP;
        means[SHARE_ALPHA] = p / (alpha + p);
        means[LOG_BETA] = logBetaP;
        means[SHARE_BETA] = p / (beta + p);
      }
      return Double.NEGATIVE_INFINITY;
    }
    double linear = 1 - ec;
    double slopeEnd = linear - ed * ((c + q) / (d + q));
    double slope = linear - ed * ratio;
    double v = 0;
    double sum = 0;
    double sumV = 0;
    double sumShareC = 0;
    double sumShift = 0;
    double sumShareD = 0;
    while (true) {
      // Besides e^phi, the integrand and the means' weights hold factors that change at rate up to 1
      // in u (e^-u in tau/(c+tau), the transition of ln(d+tau) from flat to slope 1), so the rate a
      // rule must resolve is |phi'| + 1 even where phi itself is flat.
      double steepest = Math.max(Math.abs(slope), Math.abs(slopeEnd)) + 1;
      double remaining = length - v;
      double span = remaining;
      int rule = ORDERS.length - 1;
      double longest = Math.min(MAX_VARIATION[rule] / steepest, MAX_SPAN);
      if (remaining <= longest) {
        double variation = steepest * remaining;
        rule = 0;
        while (variation > MAX_VARIATION[rule]) {
          rule++;
        }
      } else {
        span = longest;
      }
      double half = span / 2;
      double mid = v + half;
      double[] nodes = NODES[rule];
      double[] weights = WEIGHTS[rule];
      for (int i = 0; i < nodes.length; i++) {
        double node = mid + half * nodes[i];
        double grow = Math.expm1(node);
        double shift = Math.log1p(ratio * grow);
        double w = half * weights[i] * Math.exp(linear * node - ed * shift);
        sum += w;
        if (means != null) {
          sumV += w * node;
          sumShareC += w * ((p / cp + grow) / (1 + grow));
          sumShift += w * shift;
          sumShareD += w * ((p / dp + ratio * grow) / (1 + ratio * grow));
        }
      }
      if (span == remaining) {
        break;
      }
      v += span;
      double grow = Math.expm1(v);
      double shift = Math.log1p(ratio * grow);
      slope = linear - ed * (ratio * (1 + grow) / (1 + ratio * grow));
      // phi is concave, so it lies below its tangent: the rest is at most e^phi(v) / |phi'(v)|.
      if (slope < 0 && Math.exp(linear * v - ed * shift) <= TAIL * -slope * sum) {
        break;
      }
    }
    if (means != null) {
      // ln(1+tau/c) = ln(1+p/c) + v and ln(1+tau/d) = ln(1+p/d) + shift.
      double meanLogC = logCp + sumV / sum;
      double meanShareC = sumShareC / sum;
      double meanLogD = logDp + sumShift / sum;
      double meanShareD = sumShareD / sum;
      means[LOG_ALPHA] = alphaNear ? meanLogC : meanLogD;
      means[SHARE_ALPHA] = alphaNear ? meanShareC : meanShareD;
      means[LOG_BETA] = alphaNear ? meanLogD : meanLogC;
      means[SHARE_BETA] = alphaNear ? meanShareD : meanShareC;
    }
    // d tau = (c+tau) dv and (1+tau/c)^-ec (1+tau/d)^-ed = (1+p/c)^-ec (1+p/d)^-ed e^(-ec v - ed shift).
    return Math.log(cp) - ec * logCp - ed * logDp + Math.log(sum);
  }

  /** Gauss-Legendre nodes on [-1, 1] by Newton's method on P_n from the usual first guess. */
  private static void legendre(int n, int slot) {
    double[] x = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; iteration++) {
        double p0 = 1;
        double p1 = z;
        for (int k = 2; k <= n; k++) {
          double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        derivative = n * (z * p1 - p0) / (z * z - 1);
        double step = p1 / derivative;
        z -= step;
        if (Math.abs(step) <= 1e-16) {
          break;
        }
      }
      double p0 = 1;
      double p1 = z;
      for (int k = 2; k <= n; k++) {
        double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = n * (z * p1 - p0) / (z * z - 1);
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * derivative * derivative);
    }
    NODES[slot] = x;
    WEIGHTS[slot] = w;
  }
}
