package io.cxlake.jobs.churn;

/** The model families churn training fits and compares. */
public enum Candidate {
  /** Logistic regression on standardized features: explainable by coefficient x standardized value. */
  LOGISTIC_REGRESSION("logistic_regression"),
  /** Gradient-boosted trees: interactions and non-linear effects, explained by path attribution. */
  GBT("gbt");

  private final String label;

  Candidate(String label) {
    this.label = label;
  }

  /** The name stored in the tables and used as the model's folder. */
  public String label() {
    return label;
  }

  /** The candidate of a stored name. */
  public static Candidate of(String label) {
    for (Candidate c : values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("Cannot read churn model: unknown model family (" + label + ")");
  }
}
