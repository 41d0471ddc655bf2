package io.cxlake.jobs.clv;

import io.cxlake.jobs.clv.btyd.BgNbd;
import io.cxlake.jobs.clv.btyd.Fit;
import io.cxlake.jobs.clv.btyd.GammaGamma;
import io.cxlake.jobs.clv.btyd.ParetoNbd;
import io.cxlake.jobs.clv.btyd.SpendRow;
import io.cxlake.jobs.clv.btyd.SummaryRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Fits the models on the driver from the compressed, weighted summaries: one set for the whole
 * base ({@link ClvSummary#ALL}) and, with a segment column, one per segment large enough. The
 * input is bounded by the number of distinct summary rows, not by customers.
 */
final class ClvFitter {
  private ClvFitter() {}

  /** The fitted models of one segment. */
  record SegmentFit(
      String segment,
      long customers,
      int distinctRows,
      Fit<BgNbd.Params> bgnbd,
      Optional<Fit<ParetoNbd.Params>> pareto,
      Optional<Fit<GammaGamma.Params>> gammaGamma,
      long spendCustomers,
      int spendRows) {}

  /**
   * Fits every segment.
   *
   * @param summary rows of (segment, x, t_x_days, t_days, weight)
   * @param spend rows of (segment, x, mean_spend, weight)
   */
  static List<SegmentFit> fit(List<Row> summary, List<Row> spend, ClvConfig config) {
    double unit = config.timeUnit().days();
    Map<String, List<SummaryRow>> bySegment = new TreeMap<>();
    Map<String, List<SpendRow>> spendBySegment = new TreeMap<>();
    List<SummaryRow> all = new ArrayList<>();
    List<SpendRow> allSpend = new ArrayList<>();
    for (Row r : summary) {
      SummaryRow row = new SummaryRow(r.getLong(1), r.getInt(2) / unit, r.getInt(3) / unit, r.getLong(4));
      bySegment.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(row);
      all.add(row);
    }
    for (Row r : spend) {
      SpendRow row = new SpendRow(r.getLong(1), r.getDouble(2), r.getLong(3));
      spendBySegment.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(row);
      allSpend.add(row);
    }
    if (all.isEmpty()) {
      throw new IllegalStateException("Cannot fit CLV models: no customer has a completed purchase before "
          + config.asOf().cutoff());
    }
    Map<String, List<SummaryRow>> groups = new LinkedHashMap<>();
    Map<String, List<SpendRow>> spendGroups = new LinkedHashMap<>();
    groups.put(ClvSummary.ALL, all);
    spendGroups.put(ClvSummary.ALL, allSpend);
    if (config.segmentColumn().isPresent()) {
      bySegment.forEach((segment, rows) -> {
        if (customers(rows) >= config.minSegmentCustomers()) {
          groups.put(segment, rows);
          spendGroups.put(segment, spendBySegment.getOrDefault(segment, List.of()));
        }
      });
    }
    List<SegmentFit> fits = new ArrayList<>();
    groups.forEach((segment, rows) -> {
      SummaryRow[] data = rows.toArray(SummaryRow[]::new);
      SpendRow[] spendData = spendGroups.get(segment).toArray(SpendRow[]::new);
      Optional<Fit<GammaGamma.Params>> gg = spendData.length == 0 ? Optional.empty()
          : Optional.of(GammaGamma.fit(spendData));
      fits.add(new SegmentFit(segment, customers(rows), data.length, BgNbd.fit(data),
          config.fitParetoNbd() ? Optional.of(ParetoNbd.fit(data)) : Optional.empty(), gg,
          (long) java.util.Arrays.stream(spendData).mapToDouble(SpendRow::weight).sum(), spendData.length));
    });
    return fits;
  }

  private static long customers(List<SummaryRow> rows) {
    return (long) rows.stream().mapToDouble(SummaryRow::weight).sum();
  }
}
