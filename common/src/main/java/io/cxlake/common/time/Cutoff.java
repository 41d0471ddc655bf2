package io.cxlake.common.time;

import org.apache.spark.sql.Column;

/**
 * The instant a feature is computed at, as a column: one literal for a single as-of ({@link AsOf}),
 * or each row's own cut-off when many cut-offs are computed in one plan ({@link Cutoffs}). Feature
 * code written against it gives the same values either way.
 */
public interface Cutoff {
  /** The cut-off timestamp: the first instant not seen. */
  Column ts();

  /** A timestamp column is visible: strictly before the cut-off. */
  default Column visible(Column ts) {
    return ts.lt(ts());
  }

  /** {@code ts} falls in the {@code days} days before the cut-off: {@code [cutoff - days, cutoff)}. */
  Column within(Column ts, int days);
}
