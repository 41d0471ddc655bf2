package io.cxlake.jobs.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed notebooks, without running them (NotebooksIT does): they use the build's kernel,
 * carry no outputs, read the warehouse the caller names, and guard the tables of jobs that may not
 * have run.
 */
class NotebooksTest {
  private static final Path FOLDER = Path.of(System.getProperty("cxlake.project.dir", ".."), Notebooks.FOLDER);

  @Test
  void notebooksAreCommittedCleanForTheCxlakeKernel() throws Exception {
    List<Path> notebooks = Notebooks.list(FOLDER);
    assertThat(notebooks).as("notebooks").extracting(p -> p.getFileName().toString())
        .contains("01-tour.ipynb", "02-clv.ipynb");
    for (Path path : notebooks) {
      JsonNode nb = Notebooks.read(path);
      String name = path.getFileName().toString();
      assertThat(nb.path("nbformat").asInt()).as(name + " nbformat").isEqualTo(4);
      assertThat(nb.path("metadata").path("kernelspec").path("name").asText()).as(name + " kernel")
          .isEqualTo(Notebooks.KERNEL_NAME);
      for (JsonNode cell : Notebooks.cells(nb)) {
        // Outputs are for the executed copies in jobs/target/notebooks; committed ones stay reviewable.
        assertThat(cell.path("outputs").size()).as(name + " outputs of a committed cell").isZero();
        assertThat(cell.path("execution_count").isNull() || cell.path("execution_count").isMissingNode())
            .as(name + " execution count of a committed cell").isTrue();
      }
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
