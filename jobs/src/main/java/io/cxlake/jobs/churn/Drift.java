package io.cxlake.jobs.churn;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.ChurnDrift;
import io.cxlake.common.schema.TableSpec.RowBuilder;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Population stability of a churn model's inputs and score. At training, the reference: decile
 * edges of every numeric input and of the served model's probability over its training window,
 * and the categories of every categorical input, each with the window's share of rows per bin; it
 * is saved with the model version. At scoring, the day's shares in the same bins and the
 * population stability index against the reference. Shares are one aggregation each time.
 */
final class Drift {
  /** How a model version stores its reference (one row per feature). */
  static final StructType REFERENCE_SCHEMA = new StructType()
      .add(ChurnDrift.FEATURE, DataTypes.StringType)
      .add(ChurnDrift.KIND, DataTypes.StringType)
      .add("edges", DataTypes.createArrayType(DataTypes.DoubleType))
      .add("categories", DataTypes.createArrayType(DataTypes.StringType))
      .add("shares", DataTypes.createArrayType(DataTypes.DoubleType))
      .add(ChurnDrift.ROWS, DataTypes.LongType);

  private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  private static final double QUANTILE_ERROR = 1e-3;
  /** Most frequent categories kept as their own bin; the rest share "other". */
  private static final int MAX_CATEGORIES = 30;
  /** Shares are floored here so that an empty bin gives a large but finite PSI term. */
  private static final double FLOOR = 1e-4;
  private static final String OTHER = "other";
  private static final String CELL = "_cell";
  private static final String CELL_FEATURE = "f";
  private static final String CELL_BIN = "b";

  private Drift() {}

  /**
   * One feature's bins and the reference window's shares.
   *
   * @param edges numeric: the distinct decile edges, bins are (-inf, e1], (e1, e2], ..., (ek, inf)
   * @param categories categorical: the categories, plus a last "other" bin
   */
  record Reference(String feature, String kind, double[] edges, List<String> categories, double[] shares,
      long rows) {
    Reference {
      categories = categories == null ? null : List.copyOf(categories);
    }

    int bins() {
      return edges != null ? edges.length + 1 : categories.size() + 1;
    }

    /** The bin index of a value, as a column. */
    Column bin(Column value) {
      Column index = lit(0);
      if (edges != null) {
        for (double e : edges) {
          index = index.plus(when(value.gt(e), 1).otherwise(0));
        }
        return index;
      }
      Column c = lit(categories.size());
      for (int i = categories.size() - 1; i >= 0; i--) {
        c = when(value.equalTo(categories.get(i)), i).otherwise(c);
      }
      return c;
    }

    String label(int bin) {
      if (edges == null) {
        return bin < categories.size() ? categories.get(bin) : OTHER;
      }
      String lower = bin == 0 ? "-inf" : format(edges[bin - 1]);
      String upper = bin == edges.length ? "inf" : format(edges[bin]);
      return "(" + lower + ", " + upper + "]";
    }

    Row toRow() {
      return RowFactory.create(feature, kind, edges == null ? null : box(edges), categories, box(shares), rows);
    }

    static Reference fromRow(Row r) {
      return new Reference(r.getString(0), r.getString(1),
          r.isNullAt(2) ? null : r.<Double>getList(2).stream().mapToDouble(Double::doubleValue).toArray(),
          r.isNullAt(3) ? null : r.getList(3), r.<Double>getList(4).stream().mapToDouble(Double::doubleValue).toArray(),
          r.getLong(5));
    }
  }

  /**
   * The reference of a training window.
   *
   * @param window the window's model inputs with {@link ChurnProbability#OUTPUT} of the served model
   */
  static List<Reference> reference(Dataset<Row> window, List<String> numeric, List<String> categorical) {
    // The quantiles, each categorical's top list and the shares all read the scored window.
    Dataset<Row> scored = window.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> numericAndScore = new ArrayList<>(numeric);
      numericAndScore.add(ChurnProbability.OUTPUT);
      double[][] quantiles = scored.stat().approxQuantile(numericAndScore.toArray(String[]::new), DECILES,
          QUANTILE_ERROR);
      List<Reference> bins = new ArrayList<>();
      for (int i = 0; i < numericAndScore.size(); i++) {
        String f = numericAndScore.get(i);
        bins.add(new Reference(f, f.equals(ChurnProbability.OUTPUT) ? ChurnDrift.KIND_SCORE
            : ChurnDrift.KIND_NUMERIC, Arrays.stream(quantiles[i]).distinct().sorted().toArray(), null, null, 0));
      }
      for (String c : categorical) {
        List<String> top = scored.groupBy(c).agg(count(lit(1)).as("_n")).orderBy(desc("_n"), col(c))
            .limit(MAX_CATEGORIES).select(col(c).cast("string")).as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
        bins.add(new Reference(c, ChurnDrift.KIND_CATEGORICAL, null, top, null, 0));
      }
      return withShares(scored, bins);
    } finally {
      scored.unpersist();
    }
  }

  /** The same bins with the shares of {@code rows} (one aggregation). */
  static List<Reference> withShares(Dataset<Row> rows, List<Reference> bins) {
    // Every row is in exactly one bin of each feature: one (feature, bin) cell per row and feature,
    // counted by a small group-by. One aggregate column per bin (hundreds of them) made a plan too
    // wide for code generation, which took seconds on tens of thousands of rows.
    Column[] cells = new Column[bins.size()];
    for (int i = 0; i < cells.length; i++) {
      Reference r = bins.get(i);
      cells[i] = struct(lit(i).as(CELL_FEATURE), r.bin(col(r.feature())).as(CELL_BIN));
    }
    long[][] counts = new long[bins.size()][];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new long[bins.get(i).bins()];
    }
    // At most features x bins rows.
    for (Row cell : rows.select(explode(array(cells)).as(CELL))
        .groupBy(col(CELL + "." + CELL_FEATURE), col(CELL + "." + CELL_BIN)).count().collectAsList()) {
      counts[cell.getInt(0)][cell.getInt(1)] = cell.getLong(2);
    }
    long n = bins.isEmpty() ? 0 : Arrays.stream(counts[0]).sum();
    List<Reference> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      Reference r = bins.get(i);
      double[] shares = new double[r.bins()];
      for (int b = 0; b < shares.length; b++) {
        shares[b] = n == 0 ? 0 : (double) counts[i][b] / n;
      }
      out.add(new Reference(r.feature(), r.kind(), r.edges(), r.categories(), shares, n));
    }
    return out;
  }

  /** Population stability index of two share vectors over the same bins. */
  static double psi(double[] expected, double[] actual) {
    double sum = 0;
    for (int b = 0; b < expected.length; b++) {
      double e = Math.max(expected[b], FLOOR);
      double a = Math.max(actual[b], FLOOR);
      sum += (a - e) * Math.log(a / e);
    }
    return sum;
  }

  /**
   * The churn_drift rows of one scoring date.
   *
   * @param scored the day's scored model inputs with {@link ChurnProbability#OUTPUT}
   */
  static List<Row> rows(Dataset<Row> scored, List<Reference> reference, LocalDate asOf, String version) {
    List<Reference> today = withShares(scored, reference);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < reference.size(); i++) {
      Reference ref = reference.get(i);
      Reference day = today.get(i);
      double psi = psi(ref.shares(), day.shares());
      List<Row> bins = new ArrayList<>();
      for (int b = 0; b < ref.bins(); b++) {
        bins.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
            new Object[] {b, ref.label(b), ref.shares()[b], day.shares()[b]}, ChurnDrift.BIN_TYPE));
      }
      RowBuilder row = ChurnDrift.TABLE.row()
          .set(ChurnDrift.AS_OF_DATE, Date.valueOf(asOf))
          .set(ChurnDrift.MODEL_VERSION, version)
          .set(ChurnDrift.FEATURE, ref.feature())
          .set(ChurnDrift.KIND, ref.kind())
          .set(ChurnDrift.PSI, psi)
          .set(ChurnDrift.DRIFTED, psi > ChurnDrift.DRIFT_THRESHOLD)
          .set(ChurnDrift.REFERENCE_ROWS, ref.rows())
          .set(ChurnDrift.ROWS, day.rows())
          .set(ChurnDrift.BINS, bins);
      out.add(row.build());
    }
    return out;
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static List<Double> box(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
