package io.cxlake.jobs.it;

import static io.cxlake.jobs.it.ItSupport.PROJECT;
import static io.cxlake.jobs.it.ItSupport.csvRows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daily pipeline on a real Spark standalone cluster: a master and a worker (1 core, 1 GB)
 * started on 127.0.0.1 from a SPARK_HOME that the build assembles from Maven jars (Spark and
 * Hadoop only, no Delta), and every job submitted with {@code SparkSubmit} as its own application
 * running the shaded {@code cxlake.jar}. The executors run in the worker's own JVMs, so Delta and
 * the job classes reach them only through the application jar, as on a production cluster.
 */
class StandaloneClusterIT {
  private static final Path SPARK_HOME = PROJECT.resolve("jobs/target/spark-home");
  private static final Path APP_JAR = PROJECT.resolve("jobs/target/cxlake.jar");
  private static final Path WORK = PROJECT.resolve("jobs/target/it-standalone-cluster");
  private static final String MAIN_CLASS = "io.cxlake.jobs.cli.CxlakeCli";
  private static final String AS_OF = "2025-06-30";
  private static final int CUSTOMERS = 300;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void dailyPipelineRunsOnAStandaloneCluster() throws Exception {
    assertThat(APP_JAR).as("application jar (mvn package)").isRegularFile();
    List<String> sparkJars;
    try (Stream<Path> jars = Files.list(SPARK_HOME.resolve("jars"))) {
      sparkJars = jars.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(sparkJars).as("SPARK_HOME/jars (copied by the build in pre-integration-test)")
        .anyMatch(j -> j.startsWith("spark-core_2.13-"))
        .anyMatch(j -> j.startsWith("hadoop-client-runtime-"))
        .noneMatch(j -> j.startsWith("delta-") || j.startsWith("picocli-") || j.startsWith("hadoop-aws-"));

    ItSupport.deleteRecursively(WORK);
    Path workerDir = Files.createDirectories(WORK.resolve("worker"));
    Path landing = WORK.resolve("data/landing");
    Path warehouse = WORK.resolve("data/warehouse");
    Map<String, String> env = Map.of(
        "SPARK_HOME", SPARK_HOME.toString(),
        // Without a Spark build tree the launcher cannot guess the Scala version of the jars.
        "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
    String classpath = SPARK_HOME.resolve("jars") + "/*";
    int masterPort = ItSupport.freePort();
    int masterUi = ItSupport.freePort();
    String masterUrl = "spark://127.0.0.1:" + masterPort;

    try (ChildProcess master = ChildProcess.start("spark master",
            ItSupport.javaCommand("512m", "-cp", classpath, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUi)),
            env, WORK, WORK.resolve("master.log"))) {
      master.awaitReady("master ALIVE", START_TIMEOUT,
          () -> masterState(masterUi).map(s -> s.path("status").asText().equals("ALIVE")).orElse(false));

      try (ChildProcess worker = ChildProcess.start("spark worker",
              ItSupport.javaCommand("512m", "-cp", classpath, "org.apache.spark.deploy.worker.Worker",
                  "--host", "127.0.0.1", "--port", String.valueOf(ItSupport.freePort()),
                  "--webui-port", String.valueOf(ItSupport.freePort()),
                  "--cores", "1", "--memory", "1g", "--work-dir", workerDir.toString(), masterUrl),
              env, WORK, WORK.resolve("worker.log"))) {
        worker.awaitReady("worker registered with the master", START_TIMEOUT,
            () -> masterState(masterUi).map(s -> s.path("aliveworkers").asInt() == 1).orElse(false));

        // The generator writes input files; it runs locally (in this JVM), as a data scientist would.
        // The two required sources keep the test short; S3ProxyIT and DemoIT cover the others.
        ItSupport.cxlakeInProcess("generate-sample", "--customers", String.valueOf(CUSTOMERS), "--seed", "7",
            "--as-of", AS_OF, "--sources", "customers,transactions", "--landing", landing.toString());

        for (String job : List.of("ingest", "customer360", "clv")) {
          long started = System.nanoTime();
          ChildProcess.run("spark-submit " + job, submit(masterUrl, job, landing, warehouse), env, WORK, JOB_TIMEOUT);
          JsonNode app = awaitCompletedApp(master, masterUi, "cxlake " + job);
          assertThat(app.path("state").asText()).as(job + " application state in the master").isEqualTo("FINISHED");
          Path executorLog = workerDir.resolve(app.path("id").asText()).resolve("0").resolve("stderr");
          assertThat(executorLog).as(job + ": executor 0 ran in the worker's work dir").isRegularFile();
          assertThat(Files.readString(executorLog)).as(job + ": tasks ran on the worker's executor")
              .contains("Finished task");
          System.out.printf("StandaloneClusterIT: %s on %s in %d s%n", job, masterUrl,
              Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
      }
    }

    // One read-back, in this JVM: the run log, each row with the output counts.
    String result = ItSupport.cxlakeInProcess("sql", "--warehouse", warehouse.toString(), "--format", "csv",
        "SELECT job, as_of_date, status, rows_in, rows_out, rows_quarantined, "
            + "(SELECT count(*) FROM customer_360 WHERE as_of_date = DATE'" + AS_OF + "') AS c360, "
            + "(SELECT count(*) FROM clv_predictions WHERE as_of_date = DATE'" + AS_OF + "') AS predictions, "
            + "(SELECT count(*) FROM clv_predictions WHERE clv > 0) AS valued, "
            + "(SELECT count(*) FROM clv_model) AS models "
            + "FROM run_log WHERE status <> 'STARTED' ORDER BY started_at");
    List<String[]> rows = csvRows(result);
    assertThat(rows.stream().map(r -> r[0])).as("run_log: one row per submitted job\n" + result)
        .containsExactly("ingest", "customer360", "clv");
    assertThat(rows).as("every run succeeded for the as-of date\n" + result)
        .allMatch(r -> r[1].equals(AS_OF) && r[2].equals("SUCCEEDED"));
    String[] ingest = rows.get(0);
    assertThat(Long.parseLong(ingest[3])).as("ingest reconciles rows_in = rows_out + rows_quarantined")
        .isEqualTo(Long.parseLong(ingest[4]) + Long.parseLong(ingest[5]));
    assertThat(Long.parseLong(ingest[5])).as("planted broken rows quarantined").isPositive();
    long c360 = Long.parseLong(ingest[6]);
    long predictions = Long.parseLong(ingest[7]);
    assertThat(c360).as("customer_360: every generated customer (broken copies are quarantined)")
        .isEqualTo(CUSTOMERS)
        .isEqualTo(Long.parseLong(rows.get(1)[4]));
    assertThat(predictions).as("clv_predictions: customers with a purchase (most of them), as run_log says")
        .isBetween(CUSTOMERS / 2L, (long) CUSTOMERS)
        .isEqualTo(Long.parseLong(rows.get(2)[4]));
    assertThat(Long.parseLong(ingest[8])).as("customers with a positive CLV").isPositive();
    assertThat(Long.parseLong(ingest[9])).as("clv_model rows").isPositive();
  }

  /** The spark-submit of one job: client mode, the driver in this command's JVM. */
  private static List<String> submit(String masterUrl, String job, Path landing, Path warehouse) {
    List<String> command = new ArrayList<>(ItSupport.javaCommand("1g",
        "-Dlog4j2.configurationFile=" + PROJECT.resolve("conf/log4j2.properties"),
        "-cp", SPARK_HOME.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(List.of(
        "--master", masterUrl,
        "--class", MAIN_CLASS,
        "--executor-memory", "768m",
        "--total-executor-cores", "1",
        // Tiny data: a few shuffle partitions, and the Delta log replayed in one partition.
        "--conf", "spark.sql.shuffle.partitions=2",
        "--conf", "spark.databricks.delta.snapshotPartitions=1",
        "--conf", "spark.ui.enabled=false",
        APP_JAR.toString(),
        job, "--as-of", AS_OF, "--landing", landing.toString(), "--warehouse", warehouse.toString()));
    return command;
  }

  /** The master's state (its web UI's JSON), empty while it does not answer. */
  private static Optional<JsonNode> masterState(int uiPort) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The completed application of that name, once the master has recorded its end. */
  private static JsonNode awaitCompletedApp(ChildProcess master, int uiPort, String name) throws InterruptedException {
    JsonNode[] found = new JsonNode[1];
    master.awaitReady("application '" + name + "' completed", Duration.ofSeconds(60), () -> {
      Optional<JsonNode> state = masterState(uiPort);
      if (state.isEmpty()) {
        return false;
      }
      for (JsonNode app : state.get().path("completedapps")) {
        if (app.path("name").asText().equals(name)) {
          found[0] = app;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }
}
