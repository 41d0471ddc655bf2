package io.cxlake.jobs.report;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.time.AsOf;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of one {@code report} run.
 *
 * @param catalog the warehouse
 * @param asOf the date whose tables the report shows
 * @param out where the HTML goes ({@code --out}); default {@code <warehouse>/reports/cxlake-report-<as-of>.html}
 */
public record ReportConfig(TableCatalog catalog, AsOf asOf, Optional<String> out) {
  public ReportConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(out, "out");
    if (out.isPresent() && !out.get().endsWith(".html")) {
      throw new IllegalArgumentException("Cannot write the report: --out must name an .html file (" + out.get() + ")");
    }
  }

  /** The file the report is written to. */
  public String path() {
    return out.orElse(catalog.root() + "/reports/cxlake-report-" + asOf.date() + ".html");
  }
}
