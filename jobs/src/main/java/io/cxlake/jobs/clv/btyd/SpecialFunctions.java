package io.cxlake.jobs.clv.btyd;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The special functions the buy-till-you-die models need: log-gamma, log-beta, the Gauss
 * hypergeometric function 2F1 and log-space sums.
 *
 * <p>2F1 follows the textbook route of Abramowitz &amp; Stegun (1964), chapter 15: the power series
 * 15.1.1 where it converges fast, Euler's transformation 15.3.3 to pick the series whose terms
 * shrink, Pfaff's transformation 15.3.4 to map z &lt; 0 into [0, 1), the 1 &minus; z connection
 * formula 15.3.6 near z = 1, and its logarithmic limit 15.3.10/15.3.11 when c &minus; a &minus; b is
 * an integer. Every result says whether it converged; a result that did not is never returned as if
 * it had.
 */
public final class SpecialFunctions {

  /** The relative size of the series tail at which a sum is final. */
  private static final double TOLERANCE = 1e-15;

  /**
   * The largest error amplification a result may carry and still count as converged: rounding
   * (1.1e-16) times this is about 1e-10 relative. The amplification is tracked through every step:
   * a sum's &Sigma;|terms| / |sum|, the magnitude of the logarithms that become prefactors, the
   * rounding of c &minus; a &minus; b relative to its distance from an integer, and the cancellation
   * between the two halves of a connection formula. It is an upper bound in spirit: on 3000 random
   * hard cases checked against 50-digit mpmath the worst accepted error was 2e-11.
   */
  private static final double CONDITION_LIMIT = 1e6;

  /** The default term budget of one series: about a millisecond of work. */
  public static final int DEFAULT_MAX_TERMS = 1_000_000;

  /** Up to this z the plain (or Euler-transformed) power series converges in a few hundred terms. */
  private static final double DIRECT_SERIES_MAX_Z = 0.9;

  /**
   * Closer than this to an integer, c &minus; a &minus; b makes the connection formula's gamma
   * factors nearly cancel (they grow like 1 / distance), so the series is summed directly first.
   */
  private static final double NEAR_INTEGER = 1e-4;

  /** Closer than this to an integer, c &minus; a &minus; b is treated as that integer. */
  private static final double INTEGER = 1e-12;

  /** Rescaling step that keeps huge-but-convergent series terms inside the double range. */
  private static final double RESCALE = 1e250;
  private static final double LOG_RESCALE = Math.log(RESCALE);

  private SpecialFunctions() {}

  /**
   * The result of one 2F1 evaluation.
   *
   * @param value 2F1(a, b; c; z), or NaN when it could not be computed; may be &plusmn;infinity when
   *     only the logarithm fits a double
   * @param converged true when the value is accurate to about 1e-10 relative or better (usually
   *     1e-14); false when the series ran out of terms, rounding was amplified beyond that by
   *     cancellation, or the arguments are outside the domain (z &gt; 1, c a non-positive integer)
   * @param terms the number of series terms summed, over all series tried
   * @param logAbs ln |2F1|, finite even when {@code value} overflows
   * @param sign the sign of 2F1: -1, 0 or +1 (0 also when NaN)
   * @param method how the value was obtained (for example "series", "euler+series", "pfaff+1-z"),
   *     for diagnostics
   */
  public record Hyp2f1(double value, boolean converged, int terms, double logAbs, int sign, String method) {}

  /**
   * An intermediate result in logarithmic form.
   *
   * @param condition estimated amplification of rounding: the relative error is about this times
   *     1.1e-16
   */
  private record Part(double logAbs, int sign, boolean converged, int terms, double condition, String method) {

    static Part failed(int terms, String method) {
      return new Part(Double.NaN, 0, false, terms, Double.POSITIVE_INFINITY, method);
    }

    /** Usable: the series converged and rounding stayed within {@link #CONDITION_LIMIT}. */
    boolean good() {
      return converged && condition <= CONDITION_LIMIT && !Double.isNaN(logAbs);
    }

    /** Multiplied by the positive factor e^logFactor, whose logarithm carries ~|logFactor| ulps. */
    Part times(double logFactor, String prefix) {
      return new Part(logAbs + logFactor, sign, converged, terms, condition + Math.abs(logFactor), prefix + method);
    }

    Part withTerms(int total) {
      return new Part(logAbs, sign, converged, total, condition, method);
    }

    Hyp2f1 result() {
      boolean zero = sign == 0 && !Double.isNaN(logAbs);
      double value = zero ? 0.0 : sign == 0 ? Double.NaN : sign * Math.exp(logAbs);
      return new Hyp2f1(value, good(), terms, zero ? Double.NEGATIVE_INFINITY : logAbs, sign, method);
    }
  }

  /**
   * ln &Gamma;(x) for x &gt; 0 (commons-math3's Lanczos implementation); NaN otherwise.
   *
   * @param x the argument, positive
   * @return ln &Gamma;(x)
   */
  public static double logGamma(double x) {
    return Gamma.logGamma(x);
  }

  /**
   * ln |&Gamma;(x)| for any real x, by the reflection formula &Gamma;(x)&Gamma;(1 &minus; x) = &pi; /
   * sin(&pi;x) for x &lt; 0.5 (A&amp;S 6.1.17); +infinity at the poles x = 0, &minus;1, &minus;2, ...
   *
   * @param x the argument
   * @return ln |&Gamma;(x)|
   */
  public static double logAbsGamma(double x) {
    if (x > 0.5) {
      return Gamma.logGamma(x);
    }
    if (x == Math.rint(x)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.log(Math.PI) - Math.log(Math.abs(sinPi(x))) - Gamma.logGamma(1 - x);
  }

  /**
   * The sign of &Gamma;(x): +1 for x &gt; 0, alternating between the negative poles, 0 at a pole
   * (where 1/&Gamma; vanishes).
   *
   * @param x the argument
   * @return -1, 0 or +1
   */
  public static int gammaSign(double x) {
    if (x > 0) {
      return 1;
    }
    if (x == Math.rint(x)) {
      return 0;
    }
    // Gamma(x) = pi / (sin(pi x) Gamma(1 - x)) and Gamma(1 - x) > 0 here.
    return sinPi(x) > 0 ? 1 : -1;
  }

  /** sin(&pi;x) with the argument reduced exactly first, so large |x| keeps full precision. */
  private static double sinPi(double x) {
    double reduced = x - 2 * Math.rint(x / 2);
    return Math.sin(Math.PI * reduced);
  }

  /**
   * The digamma function &psi;(x) = d ln &Gamma;(x) / dx for any real x except the poles 0, &minus;1,
   * &minus;2, ... (NaN there). Reflection &psi;(x) = &psi;(1 &minus; x) &minus; &pi; cot(&pi;x) for x &lt;
   * 0, upward recurrence &psi;(x) = &psi;(x + 1) &minus; 1/x to x &ge; 10, then the asymptotic series
   * (A&amp;S 6.3.18) through x<sup>&minus;14</sup>, whose remainder at x = 10 is below 1e-16.
   *
   * <p>Written here because commons-math3 3.6.1's {@code Gamma.digamma} has the sign of its
   * x<sup>&minus;4</sup> term reversed, an absolute error of about 3e-9 everywhere, which is visible in
   * the 2F1 log-case and in gradients.
   *
   * @param x the argument
   * @return &psi;(x)
   */
  public static double digamma(double x) {
    if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
      return Double.NaN;
    }
    if (x <= 0) {
      if (x == Math.rint(x)) {
        return Double.NaN;
      }
      double reduced = x - Math.rint(x);
      return digamma(1 - x) - Math.PI / Math.tan(Math.PI * reduced);
    }
    double shift = 0;
    while (x < 10) {
      shift -= 1 / x;
      x += 1;
    }
    double inv2 = 1 / (x * x);
    double tail = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
        - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))));
    return shift + Math.log(x) - 0.5 / x - tail;
  }

  /**
   * ln B(a, b) = ln &Gamma;(a) + ln &Gamma;(b) &minus; ln &Gamma;(a + b) for a, b &gt; 0
   * (commons-math3, which avoids the cancellation of the three-term sum for large arguments).
   *
   * @param a first argument, positive
   * @param b second argument, positive
   * @return ln B(a, b)
   */
  public static double logBeta(double a, double b) {
    return Beta.logBeta(a, b);
  }

  /**
   * ln(e^a + e^b) without overflow or underflow; &minus;infinity stands for a zero term.
   *
   * @param a first log term
   * @param b second log term
   * @return ln(e^a + e^b)
   */
  public static double logSumExp(double a, double b) {
    double max = Math.max(a, b);
    if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
      return max;
    }
    return max + Math.log1p(Math.exp(Math.min(a, b) - max));
  }

  /**
   * ln &Sigma; e^v_i without overflow or underflow; &minus;infinity for an empty array.
   *
   * @param values log terms
   * @return ln &Sigma; e^v_i
   */
  public static double logSumExp(double... values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY || Double.isNaN(max)) {
      return max;
    }
    double sum = 0;
    for (double v : values) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /**
   * The logistic function 1 / (1 + e^&minus;x), evaluated on the side where the exponential cannot
   * overflow: never NaN, and positive down to the smallest double (x &gt; &minus;745).
   *
   * @param x the log-odds
   * @return 1 / (1 + e^&minus;x)
   */
  public static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /**
   * ln(e^a &minus; e^b) for a &ge; b, accurate when the two are close (Maechler 2012, "Accurately
   * computing log(1 &minus; exp(&minus;|a|))"); &minus;infinity when a = b.
   *
   * @param a log of the larger term
   * @param b log of the smaller term
   * @return ln(e^a &minus; e^b)
   * @throws IllegalArgumentException if b &gt; a
   */
  public static double logDiffExp(double a, double b) {
    if (b > a) {
      throw new IllegalArgumentException("Cannot take ln(e^a - e^b): b exceeds a (" + a + " < " + b + ")");
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double d = b - a;
    if (d == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return a + (d > -Math.log(2) ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
  }

  /**
   * The Gauss hypergeometric function 2F1(a, b; c; z) with the default term budget.
   *
   * @param a first numerator parameter
   * @param b second numerator parameter
   * @param c denominator parameter
   * @param z argument, at most 1 (any z when a or b is a non-positive integer)
   * @return the value with its convergence flag; see {@link #hyp2f1(double, double, double, double, int)}
   */
  public static Hyp2f1 hyp2f1(double a, double b, double c, double z) {
    return hyp2f1(a, b, c, z, DEFAULT_MAX_TERMS);
  }

  /**
   * The Gauss hypergeometric function 2F1(a, b; c; z) = &Sigma;<sub>n</sub> (a)<sub>n</sub>
   * (b)<sub>n</sub> / ((c)<sub>n</sub> n!) z<sup>n</sup> (A&amp;S 15.1.1) and its analytic
   * continuation to z &lt; 0.
   *
   * <ul>
   *   <li>a or b a non-positive integer: the terminating polynomial, for any z;
   *   <li>z &lt; 0: Pfaff's transformation 2F1(a, b; c; z) = (1 &minus; z)<sup>&minus;a</sup> 2F1(a,
   *       c &minus; b; c; z / (z &minus; 1)) (A&amp;S 15.3.4), whose argument lies in (0, 1), or its
   *       mirror image with a and b swapped when the first cancels too much;
   *   <li>0 &le; z &le; 0.9: the power series, after Euler's transformation 2F1(a, b; c; z) = (1
   *       &minus; z)<sup>c&minus;a&minus;b</sup> 2F1(c &minus; a, c &minus; b; c; z) (A&amp;S 15.3.3)
   *       when c &minus; a &minus; b &lt; 0 (the transformed series has terms that shrink from the
   *       start and stays small where the original grows to e<sup>hundreds</sup>);
   *   <li>0.9 &lt; z &lt; 1: the 1 &minus; z connection formula (A&amp;S 15.3.6), or its limit
   *       (A&amp;S 15.3.10/15.3.11) when c &minus; a &minus; b is an integer; within 1e-4 of an integer
   *       the gamma factors of 15.3.6 would cancel, so the direct series is tried first;
   *   <li>z = 1: Gauss's theorem (A&amp;S 15.1.20) when c &minus; a &minus; b &gt; 0.
   * </ul>
   *
   * <p>Each route estimates how much it amplifies rounding (cancelling terms, large logarithms
   * turned into prefactors, the two halves of a connection formula cancelling). If the preferred
   * route does not converge within about 1e-10 the others are tried. Not converged ({@code
   * converged} false, value NaN or the best attempt): z &gt; 1 (the real function has a branch cut
   * there), c a non-positive integer that the series reaches, z = 1 with c &minus; a &minus; b &le; 0,
   * a series that needs more than {@code maxTerms} terms, or every route losing more than about six
   * of the sixteen significant digits.
   *
   * @param a first numerator parameter
   * @param b second numerator parameter
   * @param c denominator parameter
   * @param z argument
   * @param maxTerms most terms any single series may sum
   * @return the value with its convergence flag, term count, logarithm and sign
   */
  public static Hyp2f1 hyp2f1(double a, double b, double c, double z, int maxTerms) {
    if (maxTerms < 1) {
      throw new IllegalArgumentException("Cannot evaluate 2F1: maxTerms must be positive (" + maxTerms + ")");
    }
    if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c) || Double.isNaN(z)
        || Double.isInfinite(a) || Double.isInfinite(b) || Double.isInfinite(c)) {
      return Part.failed(0, "invalid").result();
    }
    if (z == 0) {
      return new Part(0, 1, true, 1, 1, "z=0").result();
    }
    double polynomialDegree = terminatingDegree(a, b);
    if (isNonPositiveInteger(c) && !(polynomialDegree >= 0 && polynomialDegree <= -c)) {
      // (c)_n reaches zero before (a)_n or (b)_n does: the series has a pole.
      return Part.failed(0, "c-pole").result();
    }
    if (polynomialDegree >= 0 && Double.isFinite(z)) {
      return series(a, b, c, z, (int) polynomialDegree + 2, "polynomial").result();
    }
    if (Double.isInfinite(z) || z > 1) {
      return Part.failed(0, "z>1").result();
    }
    if (z < 0) {
      // 1 - w = 1 / (1 - z) is computed directly so that w near 1 keeps its distance to 1.
      double oneMinusZ = 1 - z;
      double w = -z / oneMinusZ;
      double logOneMinusZ = Math.log(oneMinusZ);
      Part pfaff = unitInterval(a, c - b, c, w, 1 / oneMinusZ, maxTerms).times(-a * logOneMinusZ, "pfaff+");
      if (pfaff.good()) {
        return pfaff.result();
      }
      // The symmetric form (a and b swapped) cancels differently; keep whichever is usable.
      Part other = unitInterval(b, c - a, c, w, 1 / oneMinusZ, maxTerms).times(-b * logOneMinusZ, "pfaff+");
      int terms = pfaff.terms() + other.terms();
      return (other.good() || other.condition() < pfaff.condition() ? other : pfaff).withTerms(terms).result();
    }
    return unitInterval(a, b, c, z, 1 - z, maxTerms).result();
  }

  /** 2F1 for 0 &lt; z &le; 1, given 1 &minus; z separately (it may be more accurate than 1 - z). */
  private static Part unitInterval(double a, double b, double c, double z, double oneMinusZ, int maxTerms) {
    double polynomialDegree = terminatingDegree(a, b);
    if (polynomialDegree >= 0) {
      return series(a, b, c, z, (int) polynomialDegree + 2, "polynomial");
    }
    if (oneMinusZ <= 0) {
      return gaussAtOne(a, b, c);
    }
    double delta = c - a - b;
    double distance = Math.abs(delta - Math.rint(delta));
    boolean integer = distance <= INTEGER * Math.max(1, Math.abs(delta));
    boolean nearOneFirst = z > DIRECT_SERIES_MAX_Z && (integer || distance >= NEAR_INTEGER);
    Part first = nearOneFirst ? nearOne(a, b, c, oneMinusZ, delta, maxTerms)
        : directSeries(a, b, c, z, oneMinusZ, maxTerms);
    if (first.good()) {
      return first;
    }
    Part second = nearOneFirst ? directSeries(a, b, c, z, oneMinusZ, maxTerms)
        : nearOne(a, b, c, oneMinusZ, delta, maxTerms);
    int terms = first.terms() + second.terms();
    if (second.good()) {
      return second.withTerms(terms);
    }
    // Neither is usable: report the one that came closer, flagged.
    return (second.condition() < first.condition() ? second : first).withTerms(terms);
  }

  /**
   * The power series, after Euler's transformation when c &minus; a &minus; b &lt; 0 (then the
   * transformed terms decay like n^(a+b-c-1) z^n instead of growing like n^(a+b-c-1)); if the
   * preferred form is not usable the other is tried.
   */
  private static Part directSeries(double a, double b, double c, double z, double oneMinusZ, int maxTerms) {
    boolean plainFirst = c - a - b >= 0;
    Part preferred = plainFirst ? series(a, b, c, z, maxTerms, "series")
        : eulerTransformed(a, b, c, z, oneMinusZ, maxTerms);
    if (preferred.good()) {
      return preferred;
    }
    Part other = plainFirst ? eulerTransformed(a, b, c, z, oneMinusZ, maxTerms)
        : series(a, b, c, z, maxTerms, "series");
    int terms = preferred.terms() + other.terms();
    return (other.good() || other.condition() < preferred.condition() ? other : preferred).withTerms(terms);
  }

  private static Part eulerTransformed(double a, double b, double c, double z, double oneMinusZ, int maxTerms) {
    return series(c - a, c - b, c, z, maxTerms, "series").times((c - a - b) * Math.log(oneMinusZ), "euler+");
  }

  /** The 1 - z connection formula, or its logarithmic limit for integer c - a - b. */
  private static Part nearOne(double a, double b, double c, double oneMinusZ, double delta, int maxTerms) {
    double distance = Math.abs(delta - Math.rint(delta));
    if (distance <= INTEGER * Math.max(1, Math.abs(delta))) {
      int m = (int) Math.rint(delta);
      return m >= 0
          ? integerCase(a, b, m, oneMinusZ, maxTerms)
          // Euler's transformation turns c - a - b = m < 0 into -m > 0 for (c - a, c - b; c).
          : integerCase(c - a, c - b, -m, oneMinusZ, maxTerms).times(delta * Math.log(oneMinusZ), "euler+");
    }
    return connection(a, b, c, oneMinusZ, delta, maxTerms);
  }

  /**
   * A&amp;S 15.3.6: 2F1(a,b;c;z) = &Gamma;(c)&Gamma;(c&minus;a&minus;b)/(&Gamma;(c&minus;a)&Gamma;(c&minus;b))
   * 2F1(a,b;a+b&minus;c+1;1&minus;z) + (1&minus;z)<sup>c&minus;a&minus;b</sup>
   * &Gamma;(c)&Gamma;(a+b&minus;c)/(&Gamma;(a)&Gamma;(b)) 2F1(c&minus;a,c&minus;b;c&minus;a&minus;b+1;1&minus;z).
   */
  private static Part connection(double a, double b, double c, double oneMinusZ, double delta, int maxTerms) {
    Part first = series(a, b, 1 - delta, oneMinusZ, maxTerms, "");
    Part second = series(c - a, c - b, 1 + delta, oneMinusZ, maxTerms, "");
    // delta = c - a - b carries a rounding error of ~(|a| + |b| + |c|) ulps, and both halves vary
    // like 1 / (distance of delta to the nearest integer): that relative error enters each half.
    double deltaSensitivity = (Math.abs(a) + Math.abs(b) + Math.abs(c)) / Math.abs(delta - Math.rint(delta));
    Part term1 = gammaRatio(first, new double[] {c, delta}, new double[] {c - a, c - b}, 0);
    Part term2 = gammaRatio(second, new double[] {c, -delta}, new double[] {a, b}, delta * Math.log(oneMinusZ));
    return add(withCondition(term1, term1.condition() + deltaSensitivity),
        withCondition(term2, term2.condition() + deltaSensitivity), first.terms() + second.terms(), "1-z");
  }

  private static Part withCondition(Part p, double condition) {
    return new Part(p.logAbs(), p.sign(), p.converged(), p.terms(), condition, p.method());
  }

  /**
   * part &middot; e^logFactor &middot; &Pi; &Gamma;(numerators) / &Pi; &Gamma;(denominators); a pole in a
   * denominator makes the whole term zero.
   */
  private static Part gammaRatio(Part part, double[] numerators, double[] denominators, double logFactor) {
    int sign = part.sign();
    double log = part.logAbs() + logFactor;
    double magnitude = part.condition() + Math.abs(logFactor);
    for (double x : numerators) {
      double g = logAbsGamma(x);
      sign *= gammaSign(x);
      log += g;
      magnitude += Math.abs(g);
    }
    for (double x : denominators) {
      int s = gammaSign(x);
      if (s == 0) {
        return new Part(Double.NEGATIVE_INFINITY, 0, part.converged(), part.terms(), 0, part.method());
      }
      double g = logAbsGamma(x);
      sign *= s;
      log -= g;
      magnitude += Math.abs(g);
    }
    return new Part(log, sign, part.converged(), part.terms(), magnitude, part.method());
  }

  /** p + q, with the amplification (|p| cond_p + |q| cond_q) / |p + q| of their cancellation. */
  private static Part add(Part p, Part q, int terms, String method) {
    double lp = p.sign() == 0 ? Double.NEGATIVE_INFINITY : p.logAbs();
    double lq = q.sign() == 0 ? Double.NEGATIVE_INFINITY : q.logAbs();
    double[] sum = addSigned(lp, p.sign(), lq, q.sign());
    boolean converged = p.converged() && q.converged() && !Double.isNaN(sum[0]);
    if (sum[1] == 0) {
      return new Part(Double.NEGATIVE_INFINITY, 0, converged, terms, Double.POSITIVE_INFINITY, method);
    }
    double weighted = logSumExp(lp + Math.log(Math.max(1, p.condition())), lq + Math.log(Math.max(1, q.condition())));
    return new Part(sum[0], (int) sum[1], converged, terms, 1 + Math.exp(weighted - sum[0]), method);
  }

  /**
   * A&amp;S 15.3.10 (m = 0) and 15.3.11 (m = 1, 2, ...) for c = a + b + m, in powers of 1 &minus; z:
   * <pre>
   * 2F1(a,b;a+b+m;z) = &Gamma;(m)&Gamma;(a+b+m)/(&Gamma;(a+m)&Gamma;(b+m)) &Sigma;_{n&lt;m} (a)_n(b)_n/(n!(1&minus;m)_n) (1&minus;z)^n
   *   &minus; (z&minus;1)^m &Gamma;(a+b+m)/(&Gamma;(a)&Gamma;(b)) &Sigma;_n (a+m)_n(b+m)_n/(n!(n+m)!) (1&minus;z)^n
   *       [ln(1&minus;z) &minus; &psi;(n+1) &minus; &psi;(n+m+1) + &psi;(a+n+m) + &psi;(b+n+m)]
   * </pre>
   */
  private static Part integerCase(double a, double b, int m, double oneMinusZ, int maxTerms) {
    double c = a + b + m;
    double logW = Math.log(oneMinusZ);
    // Finite part (empty for m = 0).
    double finite = 0;
    double finiteAbs = 0;
    double term = 1;
    for (int n = 0; n < m; n++) {
      finite += term;
      finiteAbs += Math.abs(term);
      if (n + 1 < m) {
        term *= (a + n) * (b + n) / ((n + 1) * (1 - m + n)) * oneMinusZ;
      }
    }
    Part finitePart = m == 0 ? new Part(Double.NEGATIVE_INFINITY, 0, true, 0, 0, "")
        : gammaRatio(new Part(Math.log(Math.abs(finite)), (int) Math.signum(finite), true, m,
            finite == 0 ? Double.POSITIVE_INFINITY : finiteAbs / Math.abs(finite), ""),
            new double[] {m, c}, new double[] {a + m, b + m}, 0);

    // Logarithmic series, with the digammas advanced by psi(x + 1) = psi(x) + 1/x.
    double psiN1 = digamma(1);
    double psiNm1 = digamma(m + 1);
    double psiA = digamma(a + m);
    double psiB = digamma(b + m);
    double coefficient = Math.exp(-Gamma.logGamma(m + 1)); // 1 / m!
    double sum = 0;
    double absSum = 0;
    double logScale = 0;
    double previousRatio = Double.POSITIVE_INFINITY;
    boolean converged = false;
    int n = 0;
    for (; n < maxTerms; n++) {
      // The bracket's rounding is relative to its parts, not to the (possibly cancelled) bracket.
      double bracketParts = Math.abs(logW) + Math.abs(psiN1) + Math.abs(psiNm1) + Math.abs(psiA) + Math.abs(psiB);
      sum += coefficient * (logW - psiN1 - psiNm1 + psiA + psiB);
      absSum += Math.abs(coefficient) * bracketParts;
      double ratio = (a + m + n) * (b + m + n) / ((n + 1.0) * (n + m + 1.0)) * oneMinusZ;
      if (Math.abs(coefficient) > RESCALE) {
        coefficient /= RESCALE;
        sum /= RESCALE;
        absSum /= RESCALE;
        logScale += LOG_RESCALE;
      }
      double bound = Math.max(Math.abs(ratio), oneMinusZ);
      // The bracket can pass through zero, so it cannot measure the tail; its later values are
      // bounded by |ln(1-z)| plus the two digamma differences, which shrink as n grows.
      double bracketBound = Math.abs(logW) + Math.abs(psiA - psiN1) + Math.abs(psiB - psiNm1);
      if (Math.abs(ratio) < 1 && bound < 1 && Math.abs(ratio) <= previousRatio
          && Math.abs(coefficient) * bracketBound * bound / (1 - bound) <= TOLERANCE * Math.abs(sum)) {
        converged = true;
        n++;
        break;
      }
      previousRatio = Math.abs(ratio);
      coefficient *= ratio;
      psiN1 += 1.0 / (n + 1);
      psiNm1 += 1.0 / (n + m + 1);
      psiA += 1.0 / (a + m + n);
      psiB += 1.0 / (b + m + n);
      if (coefficient == 0) {
        converged = true;
        n++;
        break;
      }
    }
    Part logSeries = new Part(Math.log(Math.abs(sum)) + logScale, (int) Math.signum(sum), converged, n,
        sum == 0 ? Double.POSITIVE_INFINITY : absSum / Math.abs(sum), "");
    // - (z - 1)^m = -(-1)^m (1 - z)^m: negative for even m.
    Part seriesPart = gammaRatio(logSeries, new double[] {c}, new double[] {a, b}, m * logW);
    if (m % 2 == 0) {
      seriesPart = new Part(seriesPart.logAbs(), -seriesPart.sign(), seriesPart.converged(), seriesPart.terms(),
          seriesPart.condition(), seriesPart.method());
    }
    return add(finitePart, seriesPart, n + m, "1-z(log)");
  }

  /**
   * Gauss's theorem (A&amp;S 15.1.20): 2F1(a,b;c;1) =
   * &Gamma;(c)&Gamma;(c&minus;a&minus;b)/(&Gamma;(c&minus;a)&Gamma;(c&minus;b)) for c&minus;a&minus;b &gt; 0.
   */
  private static Part gaussAtOne(double a, double b, double c) {
    double delta = c - a - b;
    if (!(delta > 0)) {
      return Part.failed(0, "z=1 diverges");
    }
    return gammaRatio(new Part(0, 1, true, 0, 1, "gauss"), new double[] {c, delta}, new double[] {c - a, c - b}, 0);
  }

  /** ln|x + y| and its sign, for x = sx e^lx and y = sy e^ly; sign 0 means zero. */
  private static double[] addSigned(double lx, int sx, double ly, int sy) {
    if (sx == 0 || lx == Double.NEGATIVE_INFINITY) {
      return new double[] {sy == 0 ? Double.NEGATIVE_INFINITY : ly, sy};
    }
    if (sy == 0 || ly == Double.NEGATIVE_INFINITY) {
      return new double[] {lx, sx};
    }
    if (sx == sy) {
      return new double[] {logSumExp(lx, ly), sx};
    }
    if (lx == ly) {
      return new double[] {Double.NEGATIVE_INFINITY, 0};
    }
    return lx > ly ? new double[] {logDiffExp(lx, ly), sx} : new double[] {logDiffExp(ly, lx), sy};
  }

  /**
   * Sums &Sigma;<sub>n</sub> (a)<sub>n</sub>(b)<sub>n</sub>/((c)<sub>n</sub> n!) z<sup>n</sup>, rescaling
   * so huge terms do not overflow. Converged once the tail, bounded geometrically by the current
   * term ratio or |z| (the ratios' limit), is below 1e-15 of the sum. The condition is &Sigma;|terms|
   * / |sum|.
   */
  private static Part series(double a, double b, double c, double z, int maxTerms, String method) {
    double term = 1;
    double sum = 1;
    double absSum = 1;
    double logScale = 0;
    double previousRatio = Double.POSITIVE_INFINITY;
    double absZ = Math.abs(z);
    boolean converged = false;
    int n = 0;
    for (; n < maxTerms; n++) {
      double numerator = (a + n) * (b + n);
      if (numerator == 0) {
        converged = true; // a terminating series; checked first since (c)_n may vanish right after
        break;
      }
      double ratio = numerator / ((c + n) * (n + 1.0)) * z;
      term *= ratio;
      if (term == 0) {
        converged = true; // the tail underflowed
        break;
      }
      sum += term;
      absSum += Math.abs(term);
      if (Math.abs(term) > RESCALE) {
        term /= RESCALE;
        sum /= RESCALE;
        absSum /= RESCALE;
        logScale += LOG_RESCALE;
      }
      double absRatio = Math.abs(ratio);
      double bound = Math.max(absRatio, absZ);
      // Above |z| the ratios must already be falling towards |z| for the bound to hold.
      boolean boundHolds = absRatio <= absZ || absRatio <= previousRatio;
      if (bound < 1 && boundHolds && Math.abs(term) * bound / (1 - bound) <= TOLERANCE * Math.abs(sum)) {
        converged = true;
        break;
      }
      previousRatio = absRatio;
    }
    if (!Double.isFinite(sum)) {
      return Part.failed(n + 1, method);
    }
    double condition = sum == 0 ? Double.POSITIVE_INFINITY : absSum / Math.abs(sum);
    return new Part(Math.log(Math.abs(sum)) + logScale, (int) Math.signum(sum), converged, n + 1, condition, method);
  }

  /** The degree n when a or b is the non-positive integer &minus;n (the smaller one), else -1. */
  private static double terminatingDegree(double a, double b) {
    double degree = -1;
    if (isNonPositiveInteger(a)) {
      degree = -a;
    }
    if (isNonPositiveInteger(b) && (degree < 0 || -b < degree)) {
      degree = -b;
    }
    return degree;
  }

  private static boolean isNonPositiveInteger(double x) {
    return x <= 0 && x == Math.rint(x);
  }
}
