package io.cxlake.jobs.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.schema.RetentionCohorts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** Keyed numeric rows of two engines, compared key set first, then value by value. */
public final class Matrices {
  private Matrices() {}

  /** Spark retention_cohorts rows keyed dim|value|cohort|period, in the column order of the oracle SQL. */
  public static Map<String, double[]> spark(List<Row> rows) {
    Map<String, double[]> out = new TreeMap<>();
    for (Row r : rows) {
      String key = r.getAs(RetentionCohorts.COHORT_DIMENSION) + "|" + r.getAs(RetentionCohorts.COHORT_VALUE) + "|"
          + r.getAs(RetentionCohorts.COHORT_START) + "|" + r.getAs(RetentionCohorts.PERIOD);
      Double retention = r.getAs(RetentionCohorts.REVENUE_RETENTION);
      out.put(key, new double[] {
          r.<Long>getAs(RetentionCohorts.COHORT_SIZE), r.<Long>getAs(RetentionCohorts.ACTIVE_CUSTOMERS),
          r.<Double>getAs(RetentionCohorts.RETENTION_RATE), r.<Long>getAs(RetentionCohorts.ORDERS),
          r.<Double>getAs(RetentionCohorts.REVENUE), r.<Double>getAs(RetentionCohorts.CUMULATIVE_REVENUE_PER_CUSTOMER),
          retention == null ? Double.NaN : retention});
    }
    return out;
  }

  /** Oracle rows (dim, val, cohort, period, then numbers) keyed the same way. */
  public static Map<String, double[]> oracle(List<Object[]> rows, int keyColumns) {
    Map<String, double[]> out = new TreeMap<>();
    for (Object[] r : rows) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < keyColumns; i++) {
        key.append(i == 0 ? "" : "|").append(r[i]);
      }
      double[] values = new double[r.length - keyColumns];
      for (int i = keyColumns; i < r.length; i++) {
        values[i - keyColumns] = r[i] == null ? Double.NaN : ((Number) r[i]).doubleValue();
      }
      out.put(key.toString(), values);
    }
    return out;
  }

  /** Tolerance of non-count values: relative to max(1, |oracle value|). */
  public static final double TOLERANCE = 1e-9;

  /**
   * Same keys; the count columns exactly equal, the others within {@link #TOLERANCE} x max(1,
   * |oracle|) (rates absolutely, sums relatively). NaN stands for null and must match.
   */
  public static void assertEqual(String what, Map<String, double[]> expected, Map<String, double[]> actual,
      java.util.Set<Integer> countColumns) {
    assertThat(actual.keySet()).as(what + ": keys").containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      double[] a = actual.get(e.getKey());
      double[] x = e.getValue();
      assertThat(a).as(what + ": columns of " + e.getKey()).hasSameSizeAs(x);
      for (int i = 0; i < x.length; i++) {
        String label = what + " " + e.getKey() + " column " + i;
        if (Double.isNaN(x[i])) {
          assertThat(a[i]).as(label + " (null)").isNaN();
        } else if (countColumns.contains(i)) {
          assertThat(a[i]).as(label).isEqualTo(x[i]);
        } else {
          assertThat(Math.abs(a[i] - x[i])).as(label + ": " + a[i] + " vs " + x[i])
              .isLessThanOrEqualTo(TOLERANCE * Math.max(1.0, Math.abs(x[i])));
        }
      }
    }
  }

  /** Count columns of the retention matrix: size, active, orders. */
  public static final java.util.Set<Integer> MATRIX_COUNTS = java.util.Set.of(0, 1, 3);
}
