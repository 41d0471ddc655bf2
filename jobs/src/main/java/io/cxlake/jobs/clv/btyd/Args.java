package io.cxlake.jobs.clv.btyd;

/** Argument checks shared by the models, with messages of the form "Cannot X: reason (value)". */
final class Args {

  private Args() {}

  /** Checks one calibration summary (x, t_x, T). */
  static void summary(String action, long x, double tx, double T) {
    if (x < 0) {
      throw new IllegalArgumentException("Cannot " + action + ": x must be non-negative (" + x + ")");
    }
    if (!(T >= 0) || Double.isInfinite(T)) {
      throw new IllegalArgumentException("Cannot " + action + ": T must be non-negative and finite (" + T + ")");
    }
    if (!(tx >= 0 && tx <= T)) {
      throw new IllegalArgumentException("Cannot " + action + ": t_x must lie in [0, T] (t_x=" + tx + ", T=" + T + ")");
    }
    if (x == 0 && tx != 0) {
      // Both likelihoods read t_x = 0 for customers without repeat purchases.
      throw new IllegalArgumentException("Cannot " + action + ": t_x must be 0 when x = 0 (" + tx + ")");
    }
  }

  /** Checks a forecast horizon. */
  static void horizon(String action, double t) {
    if (!(t >= 0) || Double.isInfinite(t)) {
      throw new IllegalArgumentException("Cannot " + action + ": t must be non-negative and finite (" + t + ")");
    }
  }

  /** Checks a model parameter. */
  static void positive(String model, String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Cannot create " + model + " parameters: " + name + " must be positive and finite (" + value + ")");
    }
  }

  /** Checks that there is something to fit. */
  static void nonEmpty(String action, Object[] rows) {
    if (rows == null || rows.length == 0) {
      throw new IllegalArgumentException("Cannot " + action + ": no rows (" + (rows == null ? "null" : "0") + ")");
    }
  }
}
