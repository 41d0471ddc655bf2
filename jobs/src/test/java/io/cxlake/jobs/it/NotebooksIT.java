package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlake.jobs.notebooks.Notebooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every notebook of {@code notebooks/} headless, as a user's
 * {@code jupyter nbconvert --to notebook --execute} does, with the kernel spec the build writes to
 * {@code jobs/target/jupyter}, against the warehouse of DemoIT's {@code bin/cxlake demo} (every
 * job of conf/pipeline.json has run on it). A failing cell fails the notebook's test; every chart
 * cell must render a PNG, and no notebook may skip for a missing table.
 * The executed notebooks, with their outputs, are kept in {@code jobs/target/notebooks/}.
 */
class NotebooksIT {
  private static final Path PROJECT = Path.of(System.getProperty("cxlake.project.dir", "..")).toAbsolutePath().normalize();
  private static final Path JUPYTER_PATH = PROJECT.resolve("jobs/target/jupyter");
  private static final Path EXECUTED = PROJECT.resolve("jobs/target/notebooks");
  /** Per cell; the first cell starts Spark, the CLV notebook refits the model. */
  private static final int CELL_TIMEOUT_SECONDS = 900;
  /** The kernel JVM loads Spark's classpath; on a busy two-core machine that can take a while. */
  private static final int KERNEL_STARTUP_SECONDS = 300;
  /**
   * How long a started kernel may take to answer its first request before {@link #run} starts it
   * again: it answers within seconds when healthy (one JVM start, no Spark yet).
   */
  private static final int KERNEL_ANSWER_SECONDS = 90;
  /** What the kernel logs for every request its shell channel takes, answered or not. */
  private static final List<String> KERNEL_ANSWERED = List.of("[ShellChannel]: Handling message", "[ShellChannel]: Unhandled message");
  private static final int KERNEL_START_ATTEMPTS = 3;

  static Path warehouse;

  @BeforeAll
  static void jupyterAndWarehouse() throws Exception {
    requireJupyter();
    Path kernel = JUPYTER_PATH.resolve("kernels/" + Notebooks.KERNEL_NAME + "/kernel.json");
    assertThat(kernel).as("kernel spec written by the package phase (mvn package)").exists();
    warehouse = DemoIT.demo().warehouse();
    Files.createDirectories(EXECUTED);
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsAndRendersItsCharts() throws IOException {
    List<Path> notebooks = Notebooks.list(PROJECT.resolve(Notebooks.FOLDER));
    assertThat(notebooks).as("notebooks in notebooks/").isNotEmpty();
    return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
  }

  private static void execute(Path notebook) throws Exception {
    String name = notebook.getFileName().toString();
    Path executed = EXECUTED.resolve(name);
    Files.deleteIfExists(executed);
    long started = System.nanoTime();
    run(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_SECONDS,
            "--ExecutePreprocessor.startup_timeout=" + KERNEL_STARTUP_SECONDS,
            "--output-dir", EXECUTED.toString(), notebook.toString()),
        Map.of("JUPYTER_PATH", JUPYTER_PATH.toString(),
            "JUPYTER_RUNTIME_DIR", JUPYTER_PATH.resolve("runtime").toString(),
            "CXLAKE_WAREHOUSE", warehouse.toString()),
        EXECUTED.resolve(name + ".log"), 30);
    System.out.printf("NotebooksIT: %s executed in %.0f s%n", name, (System.nanoTime() - started) / 1e9);

    JsonNode result = Notebooks.read(executed);
    assertThat(Notebooks.text(result)).as(name + ": found its tables in the demo warehouse").doesNotContain(Notebooks.SKIPPED);
    assertThat(Notebooks.pngOutputs(result)).as(name + ": PNG outputs, one per chart cell at least")
        .isGreaterThanOrEqualTo(Math.max(1, Notebooks.chartCells(result)));
  }

  /** Fails with how to install Jupyter when {@code jupyter nbconvert} cannot run (CI installs it; no skip). */
  private static void requireJupyter() throws InterruptedException {
    String problem;
    try {
      Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      problem = p.waitFor() == 0 ? null : "jupyter nbconvert --version exited with " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      fail("Cannot run the notebooks: Jupyter is not installed (" + problem + "). Install it from Debian packages: "
          + "apt-get install -y " + String.join(" ", Notebooks.JUPYTER_PACKAGES) + " (.ci/run does)");
    }
  }


  /**
   * Runs a command with extra environment variables, its output to a log; fails with the output.
   * Starts it again (at most {@link #KERNEL_START_ATTEMPTS} times) when the kernel has not taken a
   * single request {@link #KERNEL_ANSWER_SECONDS} after nbconvert started: no cell has run then, and
   * nbconvert would only give up after {@link #KERNEL_STARTUP_SECONDS}. The two races of
   * rapaio-jupyter-kernel 3.0.1 that caused this (a polling thread that ends at its start, a request
   * before the handlers exist) are worked around by the kernel's main class, KernelLauncher; this
   * stays as a net for a cause not known yet. A thread dump of a stuck
   * kernel goes to {@code <notebook>.log.kernel-threads-<attempt>.txt} beside the log, for the next
   * person to find out why.
   */
  private static void run(List<String> command, Map<String, String> env, Path log, int timeoutMinutes)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      long started = System.nanoTime();
      long deadline = started + TimeUnit.MINUTES.toNanos(timeoutMinutes);
      boolean answered = false;
      boolean stuck = false;
      while (!p.waitFor(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
        if (!answered) {
          String out = Files.readString(log, StandardCharsets.UTF_8);
          answered = KERNEL_ANSWERED.stream().anyMatch(out::contains);
          if (!answered && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(KERNEL_ANSWER_SECONDS)) {
            stuck = true;
            dumpKernelThreads(p, log.resolveSibling(log.getFileName() + ".kernel-threads-" + attempt + ".txt"));
            break;
          }
        }
      }
      boolean finished = !p.isAlive();
      if (!finished) {
        // The kernel JVM is nbconvert's child: stop it too, or it outlives the test.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (stuck && attempt < KERNEL_START_ATTEMPTS) {
        System.out.printf("NotebooksIT: the kernel took no request in %d s (attempt %d), starting again%n",
            KERNEL_ANSWER_SECONDS, attempt);
        continue;
      }
      assertThat(stuck).as("the kernel took a request within " + KERNEL_ANSWER_SECONDS + " s in one of "
          + KERNEL_START_ATTEMPTS + " starts; output of the last:\n" + tail(out)).isFalse();
      assertThat(finished).as(command + " finished within " + timeoutMinutes + " minutes; output:\n" + tail(out)).isTrue();
      assertThat(p.exitValue()).as("exit code of " + command + "; output:\n" + tail(out)).isZero();
      return;
    }
  }

  /**
   * Writes {@code jstack} of the kernel JVM below {@code nbconvert} to a file and says where. The
   * kernel is nbconvert's only java descendant (its command line is too long for ProcessHandle).
   */
  private static void dumpKernelThreads(Process nbconvert, Path file) throws IOException, InterruptedException {
    var kernel = nbconvert.descendants()
        .filter(h -> h.info().command().orElse("").endsWith("/java"))
        .findFirst();
    if (kernel.isEmpty()) {
      System.out.println("NotebooksIT: no kernel JVM below nbconvert to take a thread dump of");
      return;
    }
    Process jstack = new ProcessBuilder("jstack", String.valueOf(kernel.get().pid()))
        .redirectErrorStream(true).redirectOutput(file.toFile()).start();
    if (!jstack.waitFor(60, TimeUnit.SECONDS)) {
      jstack.destroyForcibly();
    }
    System.out.println("NotebooksIT: thread dump of the stuck kernel in " + file);
  }

  /** The end of a long output, where nbconvert reports the failing cell. */
  private static String tail(String out) {
    return out.length() <= 12_000 ? out : "...\n" + out.substring(out.length() - 12_000);
  }
}
