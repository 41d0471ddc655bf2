package io.cxlake.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts: XChart line, bar and heat-map charts in one style, each with a title and
 * axis labels with units, drawn headless (no display needed) and embedded as data URIs so the HTML
 * file needs nothing else to show them.
 */
public final class Charts {
  static final int WIDTH = 620;
  static final int HEIGHT = 340;
  private static final Color[] PALETTE = {new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C),
      new Color(0xD62728), new Color(0x9467BD), new Color(0x8C564B)};
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  private Charts() {}

  /** One named series of a line chart. */
  record Line(String name, List<? extends Number> x, List<? extends Number> y) {}

  /** A chart ready for the page: its SVG as a data URI and its size. */
  public record Rendered(String title, String dataUri, int width, int height) {}

  /** Lines over a numeric x axis; {@code diagonal} adds a dashed y = x reference (calibration, gain). */
  static Rendered lines(String title, String xTitle, String yTitle, List<Line> lines, boolean diagonal) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setMarkerSize(5);
    for (Line l : lines) {
      chart.addSeries(l.name(), l.x(), l.y());
    }
    if (diagonal) {
      double max = lines.stream().flatMap(l -> l.x().stream()).mapToDouble(Number::doubleValue).max().orElse(1);
      XYSeries reference = chart.addSeries("reference (y = x)", new double[] {0, max}, new double[] {0, max});
      reference.setMarker(SeriesMarkers.NONE);
      reference.setLineColor(Color.GRAY);
      reference.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {5f, 5f}, 0f));
    }
    return render(title, chart);
  }

  /** Lines over dates or other labels (one point per label, in order). */
  static Rendered trend(String title, String xTitle, String yTitle, List<String> labels,
      Map<String, List<? extends Number>> series) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setXAxisLabelRotation(45);
    series.forEach((name, values) -> chart.addSeries(name, labels, values));
    chart.getStyler().setLegendVisible(series.size() > 1);
    return render(title, chart);
  }

  /** Bars per category; several series side by side, or stacked. */
  static Rendered bars(String title, String xTitle, String yTitle, List<String> categories,
      Map<String, List<? extends Number>> series, boolean stacked) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setStacked(stacked);
    chart.getStyler().setOverlapped(false);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 35 : 0);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    chart.getStyler().setLegendVisible(series.size() > 1);
    return render(title, chart);
  }

  /**
   * A heat map: one cell per (x, y) with a value; {@code cells} are {x index, y index, value}.
   *
   * @param valueTitle what the colour means, with its unit
   */
  static Rendered heat(String title, String xTitle, String yTitle, List<?> x, List<?> y, List<Number[]> cells,
      String valueTitle) {
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT + 40).title(title + " (" + valueTitle
        + ")").xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setShowValue(true);
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.addSeries(valueTitle, x, y, cells);
    return render(title, chart);
  }

  private static void style(Styler s) {
    s.setChartTitleFont(TITLE);
    s.setLegendFont(TEXT);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderVisible(false);
    s.setSeriesColors(PALETTE);
    if (!(s instanceof org.knowm.xchart.style.HeatMapStyler)) {
      s.setLegendPosition(Styler.LegendPosition.InsideNW);
    }
    s.setLegendBorderColor(new Color(0xDDDDDD));
    if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
      a.setAxisTitleFont(TEXT);
      a.setAxisTickLabelsFont(TEXT);
      a.setPlotGridLinesColor(new Color(0xEEEEEE));
    }
  }

  /**
   * The chart as a PNG in a data URI, drawn at twice its size so it stays sharp on high-density
   * screens (the page shows it at its own size). SVG from XChart draws every glyph as a path and
   * weighs ten times as much.
   */
  static Rendered render(String title, Chart<?, ?> chart) {
    BufferedImage image = new BufferedImage(2 * chart.getWidth(), 2 * chart.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.scale(2, 2);
    chart.paint(g, chart.getWidth(), chart.getHeight());
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot draw chart " + title + ": " + e.getMessage(), e);
    }
    return new Rendered(title, "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()),
        chart.getWidth(), chart.getHeight());
  }
}
