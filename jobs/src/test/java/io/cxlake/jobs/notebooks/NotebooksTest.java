package io.cxlake.jobs.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed notebooks, without running them (NotebooksIT re-executes them): they use the
 * build's kernel, are committed executed on the demo warehouse so that a code host shows their
 * tables and charts, with small outputs (images, not data dumps), no error, no path of the machine
 * that ran them and no personal data; they read the warehouse the caller names, and guard the
 * tables of jobs that may not have run.
 */
class NotebooksTest {
  private static final Path FOLDER = Path.of(System.getProperty("cxlake.project.dir", ".."), Notebooks.FOLDER);
  /** A notebook of a few charts and tables; a data dump would be far larger. */
  private static final long MAX_BYTES = 1_500_000;
  /** Text lines of one output: a table of 25 rows, the columns of customer_360; not a listing of customers. */
  private static final int MAX_OUTPUT_LINES = 100;
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");

  @Test
  void notebooksAreCommittedExecutedForTheCxlakeKernel() throws Exception {
    List<Path> notebooks = Notebooks.list(FOLDER);
    assertThat(notebooks).as("notebooks").extracting(p -> p.getFileName().toString())
        .contains("01-tour.ipynb", "02-clv.ipynb");
    for (Path path : notebooks) {
      JsonNode nb = Notebooks.read(path);
      String name = path.getFileName().toString();
      assertThat(nb.path("nbformat").asInt()).as(name + " nbformat").isEqualTo(4);
      assertThat(nb.path("metadata").path("kernelspec").path("name").asText()).as(name + " kernel")
          .isEqualTo(Notebooks.KERNEL_NAME);
      assertThat(Files.size(path)).as(name + " size (refresh: notebooks/README.md)").isLessThan(MAX_BYTES);
      for (JsonNode cell : Notebooks.codeCells(nb)) {
        assertThat(cell.path("execution_count").isInt()).as(name + ": every code cell executed, in order:\n"
            + Notebooks.source(cell)).isTrue();
        for (JsonNode output : cell.path("outputs")) {
          assertThat(output.path("output_type").asText()).as(name + ": no error output").isNotEqualTo("error");
          assertThat(Notebooks.outputText(output).lines().count()).as(name + ": a small output").isLessThan(MAX_OUTPUT_LINES);
        }
      }
      assertThat(Notebooks.pngOutputs(nb)).as(name + ": its charts are committed")
          .isGreaterThanOrEqualTo(Notebooks.chartCells(nb));
      String shown = Notebooks.text(nb);
      assertThat(shown).as(name + ": executed on the README's demo warehouse, no machine path")
          .doesNotContain("/target/", "/tmp/", "/home/", "/work/", "/root/", "file:/");
      assertThat(EMAIL.matcher(shown).find()).as(name + ": no e-mail address in an output").isFalse();
      String code = Notebooks.cells(nb).stream().map(Notebooks::source).reduce("", String::concat);
      assertThat(code).as(name + " reads the warehouse from CXLAKE_WAREHOUSE").contains("getenv().getOrDefault(\"CXLAKE_WAREHOUSE\"");
    }
  }

  @Test
  void notebooksOfJobsThatMayNotHaveRunGuardTheirTables() throws Exception {
    PipelineDefinition pipeline = PipelineDefinition.loadDefault();
    for (Path path : Notebooks.list(FOLDER)) {
      JsonNode nb = Notebooks.read(path);
      String name = path.getFileName().toString();
      for (String job : Notebooks.requiredJobs(nb)) {
        assertThat(pipeline.job(job)).as(name + " requires a job of conf/pipeline.json: " + job).isPresent();
      }
      if (!Notebooks.requiredJobs(nb).isEmpty()) {
        // Setup (imports, helpers), then the cell that opens the warehouse and checks its tables.
        String setup = Notebooks.codeCells(nb).stream().limit(2).map(Notebooks::source).reduce("", String::concat);
        assertThat(setup).as(name + ": the setup cells say when the notebook skips").contains(Notebooks.SKIPPED);
        assertThat(Notebooks.chartCells(nb)).as(name + ": chart cells").isPositive();
      }
    }
  }
}
