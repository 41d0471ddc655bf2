package io.cxlake.jobs.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Jupyter notebooks (nbformat 4 JSON) for the notebook tests: which notebooks there are, the
 * jobs a notebook needs (its {@code metadata.cxlake.requires_jobs}), and what an executed one shows.
 */
public final class Notebooks {
  /** The notebooks' folder, relative to the project root. */
  public static final String FOLDER = "notebooks";
  /** Name of the kernel spec the build writes to jobs/target/jupyter/kernels/. */
  public static final String KERNEL_NAME = "cxlake-java";
  /** Text a notebook shows when its tables are not in the warehouse and it skips its analysis. */
  public static final String SKIPPED = "Skipped:";
  /** The Debian packages Jupyter comes from (.ci/run installs them). */
  public static final List<String> JUPYTER_PACKAGES = List.of("jupyter-nbconvert", "python3-nbclient",
      "python3-ipykernel", "jupyter-client", "jupyter-core", "python3-nbformat");

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * A line that renders a chart: the notebooks' {@code plot(chart)} helper, which displays
   * {@code BitmapEncoder.getBufferedImage(chart)} (its definition line starts with {@code void}).
   */
  private static final Pattern CHART_CALL = Pattern.compile("(?m)^\\s*plot\\(");

  private Notebooks() {}

  /** The notebooks of a folder, by name. */
  public static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  /** A notebook's JSON. */
  public static JsonNode read(Path notebook) throws IOException {
    return JSON.readTree(notebook.toFile());
  }

  /** Code cells of a notebook, in order. */
  public static List<JsonNode> codeCells(JsonNode notebook) {
    return cells(notebook).stream().filter(c -> "code".equals(c.path("cell_type").asText())).toList();
  }

  /** The cells of a notebook. */
  public static List<JsonNode> cells(JsonNode notebook) {
    List<JsonNode> cells = new ArrayList<>();
    notebook.path("cells").forEach(cells::add);
    return cells;
  }

  /** A cell's source as one string (nbformat stores it as a string or a list of lines). */
  public static String source(JsonNode cell) {
    JsonNode source = cell.path("source");
    if (source.isArray()) {
      StringBuilder text = new StringBuilder();
      source.forEach(line -> text.append(line.asText()));
      return text.toString();
    }
    return source.asText();
  }

  /** The jobs whose tables the notebook reads beyond customer360 and clv ({@code metadata.cxlake.requires_jobs}). */
  public static List<String> requiredJobs(JsonNode notebook) {
    List<String> jobs = new ArrayList<>();
    notebook.path("metadata").path("cxlake").path("requires_jobs").forEach(j -> jobs.add(j.asText()));
    return jobs;
  }

  /** Code cells that render a chart (call {@code plot}). */
  public static int chartCells(JsonNode notebook) {
    return (int) cells(notebook).stream()
        .filter(c -> "code".equals(c.path("cell_type").asText()) && CHART_CALL.matcher(source(c)).find())
        .count();
  }

  /** Outputs carrying a PNG image. */
  public static int pngOutputs(JsonNode notebook) {
    int images = 0;
    for (JsonNode cell : cells(notebook)) {
      for (JsonNode output : cell.path("outputs")) {
        if (output.path("data").has("image/png")) {
          images++;
        }
      }
    }
    return images;
  }

  /** All text the outputs show (streams, plain text and markdown), for searching. */
  public static String text(JsonNode notebook) {
    StringBuilder text = new StringBuilder();
    for (JsonNode cell : cells(notebook)) {
      for (JsonNode output : cell.path("outputs")) {
        text.append(outputText(output));
      }
    }
    return text.toString();
  }

  /** The text one output shows (stream, plain text, markdown). */
  public static String outputText(JsonNode output) {
    StringBuilder text = new StringBuilder();
    append(text, output.path("text"));
    append(text, output.path("data").path("text/plain"));
    append(text, output.path("data").path("text/markdown"));
    return text.toString();
  }

  private static void append(StringBuilder text, JsonNode value) {
    if (value.isArray()) {
      value.forEach(line -> text.append(line.asText()));
    } else if (!value.isMissingNode()) {
      text.append(value.asText());
    }
    text.append('\n');
  }
}
