package io.cxlake.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The report of a warehouse whose jobs have not run says, section by section, what to run. */
@ExtendWith(SparkExtension.class)
class ReportJobTest {
  @Test
  void anEmptyWarehouseGivesAPageOfNotesNamingTheJobs(SparkSession spark, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("r.html");
    ReportJob.Written written = ReportJob.run(spark, new ReportConfig(new TableCatalog(dir.resolve("wh").toString()),
        AsOf.parse("2026-03-31"), Optional.of(out.toString())));
    String html = Files.readString(out);
    assertThat(written.path()).isEqualTo(out.toString());
    assertThat(written.headlines()).as("no numbers without tables").isEmpty();
    assertThat(html).as("each section names the job that writes its table")
        .contains("No cx_kpis for 2026-03-31: run kpis --as-of 2026-03-31.",
            "No retention_cohorts for 2026-03-31: run cohorts --as-of 2026-03-31.",
            "No clv_predictions for 2026-03-31: run clv --as-of 2026-03-31.",
            "No churn model trained on or before 2026-03-31: run churn-train.",
            "No segments for 2026-03-31: run segment --as-of 2026-03-31.",
            "No next_best_actions for 2026-03-31: run actions --as-of 2026-03-31.")
        .doesNotContain("http://", "https://");
  }

  @Test
  void chartsAreDrawnHeadlessWithTitleAndAxes() {
    Charts.Rendered chart = Charts.bars("Customers per tier", "risk tier", "customers", List.of("high", "low"),
        Map.of("customers", List.of(3, 5)), false);
    assertThat(chart.dataUri()).as("an embedded PNG").startsWith("data:image/png;base64,");
    assertThat(chart.width()).isEqualTo(Charts.WIDTH);
    assertThat(chart.title()).isEqualTo("Customers per tier");
  }
}
