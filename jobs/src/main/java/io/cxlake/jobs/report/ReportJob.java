package io.cxlake.jobs.report;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code report} job: one self-contained HTML page of the gold tables of an as-of date (KPIs
 * and trends, retention, CLV, churn, segments, actions, data quality), charts inline as SVG, written
 * with a FreeMarker template; nothing to install or fetch to open it.
 */
public final class ReportJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "report";
  private static final String TEMPLATE = "report.ftlh";

  private ReportJob() {}

  /** What a report run wrote and found. */
  public record Written(String path, List<ReportData.Headline> headlines, RunStats stats) {}

  /** Reads the tables, renders the page and writes it; returns its path and headline numbers. */
  public static Written run(SparkSession spark, ReportConfig config) {
    // Charts are drawn with Java2D: no display is needed, nor wanted on a server.
    System.setProperty("java.awt.headless", "true");
    ReportData data = new ReportData(spark, config.catalog(), config.asOf());
    List<ReportData.Headline> headlines = data.headlines();
    String html = render(data.model(headlines));
    Path out = new Path(config.path());
    try {
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp");
      try (OutputStream os = fs.create(tmp, true)) {
        os.write(html.getBytes(StandardCharsets.UTF_8));
      }
      // Written aside and renamed, so a reader (or a browser refreshing) never sees half a page.
      fs.delete(out, false);
      if (!fs.rename(tmp, out)) {
        throw new IOException("rename of " + tmp + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report: " + e.getMessage() + " (" + out + ")", e);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("report", config.path());
    details.put("bytes", String.valueOf(html.length()));
    headlines.forEach(h -> details.put("headline." + h.label(), h.value()));
    return new Written(config.path(), headlines, new RunStats(0, 1, 0, details).withFinding("report: " + config.path()
        + (headlines.isEmpty() ? "" : "; " + String.join(", ", headlines.stream().map(h -> h.label() + " " + h.value())
            .toList()))));
  }

  /** The headline numbers of a date, as the report shows them at its top. */
  public static List<ReportData.Headline> headlines(SparkSession spark, TableCatalog catalog, AsOf asOf) {
    return new ReportData(spark, catalog, asOf).headlines();
  }

  /** The page of a model. */
  static String render(Map<String, Object> model) {
    Configuration fm = new Configuration(Configuration.VERSION_2_3_34);
    fm.setClassForTemplateLoading(ReportJob.class, "");
    fm.setDefaultEncoding(StandardCharsets.UTF_8.name());
    fm.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    fm.setLogTemplateExceptions(false);
    try {
      Template template = fm.getTemplate(TEMPLATE);
      Writer html = new StringWriter();
      template.process(model, html);
      return html.toString();
    } catch (IOException | TemplateException e) {
      throw new IllegalStateException("Cannot render the report: " + e.getMessage(), e);
    }
  }
}
