package io.cxlake.jobs.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random variates the generative model draws from, as small static methods over a
 * caller-owned {@link SplittableRandom}. {@link StrictMath} keeps every draw bit-identical on every
 * JVM and CPU, so a seed reproduces the same sample anywhere.
 */
final class Samplers {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Samplers() {}

  /** The SplitMix64 finaliser: spreads neighbouring inputs (customer indexes) over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A seed for one independent random stream of one customer: streams with different salts never
   * share draws, so adding a draw to one part of the model leaves every other part unchanged.
   */
  static long streamSeed(long seed, long index, long salt) {
    return mix(mix(mix(seed) + index * GOLDEN) + salt * GOLDEN);
  }

  /** A 16-hex-digit identifier that looks random but is a pure function of its inputs. */
  static String hexId(long seed, long index, long salt) {
    String hex = Long.toHexString(streamSeed(seed, index, salt));
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** Uniform in [lo, hi). */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** Standard normal by the polar method (the second variate is discarded to stay stateless). */
  static double normal(SplittableRandom rng) {
    double u;
    double v;
    double s;
    do {
      u = 2 * rng.nextDouble() - 1;
      v = 2 * rng.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
  }

  /** Exponential with the given rate (mean 1 / rate). */
  static double exponential(SplittableRandom rng, double rate) {
    return -StrictMath.log(1 - rng.nextDouble()) / rate;
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use the boost
   * Gamma(k) = Gamma(k + 1) * U^(1/k). Divide by a rate to get Gamma(shape, rate).
   */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return gamma(rng, shape + 1) * StrictMath.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / StrictMath.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = normal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) {
        return d * v;
      }
      if (u > 0 && StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
        return d * v;
      }
    }
  }

  /** Beta(a, b) as X / (X + Y) of two gammas. */
  static double beta(SplittableRandom rng, double a, double b) {
    double x = gamma(rng, a);
    double y = gamma(rng, b);
    return x + y == 0 ? 0.5 : x / (x + y);
  }

  /**
   * Poisson(mean): Knuth's product method for the small means the model uses; above 30 the
   * rounded normal approximation, whose error is negligible there.
   */
  static int poisson(SplittableRandom rng, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + StrictMath.sqrt(mean) * normal(rng)));
    }
    double limit = StrictMath.exp(-mean);
    double product = rng.nextDouble();
    int k = 0;
    while (product > limit) {
      product *= rng.nextDouble();
      k++;
    }
    return k;
  }

  /** Lognormal given its median (exp(mu)) and the sigma of its log. */
  static double lognormal(SplittableRandom rng, double median, double sigma) {
    return median * StrictMath.exp(sigma * normal(rng));
  }

  /** Dirichlet with a symmetric concentration over k components. */
  static double[] dirichlet(SplittableRandom rng, double alpha, int k) {
    double[] alphas = new double[k];
    Arrays.fill(alphas, alpha);
    return dirichlet(rng, alphas);
  }

  /** Dirichlet with per-component concentrations. */
  static double[] dirichlet(SplittableRandom rng, double[] alphas) {
    double[] w = new double[alphas.length];
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      w[i] = gamma(rng, alphas[i]);
      sum += w[i];
    }
    for (int i = 0; i < w.length; i++) {
      // Tiny concentrations can underflow every gamma to 0; fall back to uniform weights.
      w[i] = sum > 0 ? w[i] / sum : 1.0 / w.length;
    }
    return w;
  }

  /** An index drawn with probability proportional to its (not necessarily normalised) weight. */
  static int categorical(SplittableRandom rng, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** True with the given probability. */
  static boolean bernoulli(SplittableRandom rng, double p) {
    return rng.nextDouble() < p;
  }

  /** Uniform integer in [lo, hi]. */
  static int intBetween(SplittableRandom rng, int lo, int hi) {
    return lo + rng.nextInt(hi - lo + 1);
  }
}
