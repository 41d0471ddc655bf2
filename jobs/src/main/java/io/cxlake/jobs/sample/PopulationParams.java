package io.cxlake.jobs.sample;

import java.io.Serializable;
import java.time.ZoneOffset;

/**
 * The population parameters of the generative model and the history window, shipped to every
 * executor with the simulator. The BG/NBD and Gamma-Gamma values are the ones the truth folder
 * reports, so a fitted model can be compared with what generated the data.
 *
 * @param r BG/NBD gamma shape of the purchase rate lambda
 * @param alpha BG/NBD gamma rate of lambda, per week (mean lambda = r / alpha)
 * @param a BG/NBD beta parameter a of the dropout probability
 * @param b BG/NBD beta parameter b of the dropout probability
 * @param ggP Gamma-Gamma shape p of an order value given the customer's scale nu
 * @param ggQ Gamma-Gamma shape q of nu
 * @param ggGamma Gamma-Gamma rate gamma of nu
 * @param seed the run's seed
 * @param startSec first second of the history (inclusive), UTC epoch seconds
 * @param endSec end of the history (exclusive): the start of the as-of day
 * @param badRowRate share of rows per source that get a broken copy
 */
record PopulationParams(
    double r,
    double alpha,
    double a,
    double b,
    double ggP,
    double ggQ,
    double ggGamma,
    long seed,
    long startSec,
    long endSec,
    double badRowRate) implements Serializable {

  static final double R = 0.8;
  static final double ALPHA = 10;
  static final double A = 0.7;
  static final double B = 3.5;
  static final double GG_P = 6;
  static final double GG_Q = 4;
  static final double GG_GAMMA = 15;

  /** The model's population parameters over the history window of a config. */
  static PopulationParams of(GenerateSampleConfig config) {
    long end = config.asOf().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long start = config.asOf().minusDays(config.historyDays()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    return new PopulationParams(R, ALPHA, A, B, GG_P, GG_Q, GG_GAMMA, config.seed(), start, end,
        config.badRowRate());
  }
}
