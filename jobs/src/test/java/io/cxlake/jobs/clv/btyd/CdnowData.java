package io.cxlake.jobs.clv.btyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the CDNOW reference files described in shared/data/README.md section 1 (Fader, Hardie &amp;
 * Lee 2005 data, files from the lifetimes repository plus the derived reference files).
 */
final class CdnowData {

  private CdnowData() {}

  /** One customer of cdnow_customers_summary.csv (2-decimal t_x and T). */
  record Summary(int id, int x, double tx, double T) {}

  /**
   * One customer of cdnow_reference_customers.csv. t_x and T are days / 7 (README conventions 4 and
   * 5); the file prints them to 6 decimals, so they are restored exactly as round(7 v) / 7.
   */
  record Reference(int sampleId, LocalDate firstPurchase, int x, double tx, double T, double zbar, int holdoutX,
      double pAlive, double condExp39, double ggExpectedValue) {}

  /** One week of cdnow_reference_weekly_tracking.csv. */
  record Week(int week, int actual, int cumulativeActual, double cumulativeExpected) {}

  static Path dir() {
    // Surefire sets the property; from an IDE the jobs module is the working directory.
    return Path.of(System.getProperty("cxlake.shared.data", "../../shared/data")).resolve("cdnow");
  }

  /** Data lines of a CSV: header dropped, CRLF or LF, a missing final newline tolerated. */
  static List<String[]> csv(String file) {
    try {
      String text = Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
      List<String[]> rows = new ArrayList<>();
      List<String> lines = Arrays.asList(text.split("\r?\n"));
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          rows.add(line.split(","));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Summary> summary() {
    return csv("cdnow_customers_summary.csv").stream()
        .map(f -> new Summary(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
            Double.parseDouble(f[3])))
        .toList();
  }

  /** Per-customer rows of the 2-decimal summary, each with weight 1. */
  static SummaryRow[] summaryRows() {
    return summary().stream().map(s -> new SummaryRow(s.x(), s.tx(), s.T(), 1)).toArray(SummaryRow[]::new);
  }

  static List<Reference> reference() {
    return csv("cdnow_reference_customers.csv").stream()
        .map(f -> new Reference(Integer.parseInt(f[0]), LocalDate.parse(f[2]), Integer.parseInt(f[3]),
            Math.rint(Double.parseDouble(f[4]) * 7) / 7, Math.rint(Double.parseDouble(f[5]) * 7) / 7,
            Double.parseDouble(f[6]), Integer.parseInt(f[7]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
            Double.parseDouble(f[12])))
        .toList();
  }

  static List<Week> weeks() {
    return csv("cdnow_reference_weekly_tracking.csv").stream()
        .map(f -> new Week(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
            Double.parseDouble(f[4])))
        .toList();
  }

  /** (x, zbar) of the customers with x &gt; 0 in the file with transactions (CRLF, no final newline). */
  static SpendRow[] repeatSpendRows() {
    return csv("cdnow_customers_summary_with_transactions.csv").stream()
        .filter(f -> Integer.parseInt(f[1]) > 0)
        .map(f -> new SpendRow(Integer.parseInt(f[1]), Double.parseDouble(f[4]), 1))
        .toArray(SpendRow[]::new);
  }
}
