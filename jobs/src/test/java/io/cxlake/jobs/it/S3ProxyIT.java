package io.cxlake.jobs.it;

import static io.cxlake.jobs.it.ItSupport.PROJECT;
import static io.cxlake.jobs.it.ItSupport.csvRows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The daily pipeline on object storage: a real S3 API server (s3proxy, fetched from Maven Central
 * by the build, filesystem backend under target/) on a free loopback port, a bucket created through
 * the S3 API, then {@code generate-sample}, {@code ingest}, {@code customer360} and {@code clv}
 * with {@code --landing s3a://...} and {@code --warehouse s3a://...}, and the outputs read back
 * from s3a. The access key and secret are generated per run and reach the jobs only through the
 * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}); no file holds them.
 */
class S3ProxyIT {
  private static final Path S3PROXY_JAR = PROJECT.resolve("jobs/target/s3proxy/s3proxy.jar");
  private static final Path WORK = PROJECT.resolve("jobs/target/it-s3proxy");
  private static final String BUCKET = "cxlake-it";
  private static final String AS_OF = "2025-06-30";
  private static final int CUSTOMERS = 200;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

  @Test
  void pipelineRunsOnS3aLandingAndWarehouse() throws Exception {
    assertThat(S3PROXY_JAR).as("s3proxy jar (copied by the build in pre-integration-test)").isRegularFile();
    ItSupport.deleteRecursively(WORK);
    // The filesystem backend keeps each bucket as a folder under its base directory, which must exist.
    Path baseDir = Files.createDirectories(WORK.resolve("s3-data"));
    SecureRandom random = new SecureRandom();
    byte[] keyId = new byte[8];
    byte[] secret = new byte[20];
    random.nextBytes(keyId);
    random.nextBytes(secret);
    String accessKey = "AKIT" + HexFormat.of().withUpperCase().formatHex(keyId);
    String secretKey = HexFormat.of().formatHex(secret);
    int port = ItSupport.freePort();
    String endpoint = "http://127.0.0.1:" + port;

    // Settings without secrets in a file; the key pair only as system properties of the server.
    Path properties = WORK.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + baseDir,
        ""));
    try (ChildProcess s3proxy = ChildProcess.start("s3proxy",
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-Ds3proxy.identity=" + accessKey, "-Ds3proxy.credential=" + secretKey,
            "-jar", S3PROXY_JAR.toString(), "--properties", properties.toString()),
        Map.of(), WORK, WORK.resolve("s3proxy.log"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      s3proxy.awaitReady("S3 endpoint answering", Duration.ofMinutes(1), () -> answers(http, endpoint));

      try (S3Client s3 = S3Client.builder()
          .endpointOverride(URI.create(endpoint))
          .forcePathStyle(true)
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
          .build()) {
        s3.createBucket(b -> b.bucket(BUCKET));

        Map<String, String> env = Map.of(
            "AWS_ACCESS_KEY_ID", accessKey,
            "AWS_SECRET_ACCESS_KEY", secretKey,
            // No instance metadata service here: the SDK must not wait for one.
            "AWS_EC2_METADATA_DISABLED", "true");
        String landing = "s3a://" + BUCKET + "/landing";
        String warehouse = "s3a://" + BUCKET + "/warehouse";
        List<String> s3a = s3aConf(endpoint);

        long started = System.nanoTime();
        // CSV and JSON-lines sources (three of six keep the test short; DemoIT covers all six locally).
        run(env, s3a, "generate-sample", "--customers", String.valueOf(CUSTOMERS), "--seed", "11", "--as-of", AS_OF,
            "--sources", "customers,transactions,web_events", "--landing", landing);
        started = lap("generate-sample", started);
        for (String job : List.of("ingest", "customer360", "clv")) {
          run(env, s3a, job, "--as-of", AS_OF, "--landing", landing, "--warehouse", warehouse);
          started = lap(job, started);
        }

        // One read-back from s3a (one more JVM and session): the run log, each row with output counts.
        String result = run(env, s3a, "sql", "--warehouse", warehouse, "--format", "csv",
            "SELECT job, as_of_date, status, rows_in, rows_out, rows_quarantined, "
                + "(SELECT count(*) FROM customer_360 WHERE as_of_date = DATE'" + AS_OF + "') AS c360, "
                + "(SELECT count(*) FROM clv_predictions WHERE as_of_date = DATE'" + AS_OF + "') AS predictions, "
                + "(SELECT count(DISTINCT source) FROM quarantine) AS quarantined_sources, "
                + "(SELECT count(*) FROM silver_web_events) AS web_events "
                + "FROM run_log WHERE status <> 'STARTED' ORDER BY started_at");
        List<String[]> rows = csvRows(result);
        assertThat(rows.stream().map(r -> r[0])).as("run_log read back from s3a\n" + result)
            .containsExactly("ingest", "customer360", "clv");
        assertThat(rows).as("every run succeeded for the as-of date\n" + result)
            .allMatch(r -> r[1].equals(AS_OF) && r[2].equals("SUCCEEDED"));
        String[] ingest = rows.get(0);
        assertThat(Long.parseLong(ingest[3])).as("ingest reconciles rows_in = rows_out + rows_quarantined")
            .isEqualTo(Long.parseLong(ingest[4]) + Long.parseLong(ingest[5]));
        assertThat(Long.parseLong(ingest[6])).as("customer_360 from s3a: every generated customer")
            .isEqualTo(CUSTOMERS)
            .isEqualTo(Long.parseLong(rows.get(1)[4]));
        assertThat(Long.parseLong(ingest[7])).as("clv_predictions from s3a: customers with a purchase, as run_log says")
            .isBetween(CUSTOMERS / 2L, (long) CUSTOMERS)
            .isEqualTo(Long.parseLong(rows.get(2)[4]));
        assertThat(Long.parseLong(ingest[8])).as("sources with quarantined rows (transactions CSV, web events JSON)")
            .isGreaterThanOrEqualTo(2L);
        assertThat(Long.parseLong(ingest[9])).as("web events (JSON lines) ingested from s3a").isPositive();

        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
            .map(S3Object::key).toList();
        assertThat(keys).as("objects in the bucket, listed through the S3 API")
            .anyMatch(k -> k.startsWith("landing/transactions/") && k.endsWith(".csv"))
            .anyMatch(k -> k.startsWith("truth/customers/"))
            .anyMatch(k -> k.startsWith("warehouse/silver/transactions/_delta_log/") && k.endsWith(".json"))
            .anyMatch(k -> k.startsWith("warehouse/gold/customer_360/_delta_log/") && k.endsWith(".json"))
            .anyMatch(k -> k.startsWith("warehouse/gold/clv_predictions/as_of_date=" + AS_OF + "/"))
            .anyMatch(k -> k.startsWith("warehouse/gold/run_log/_delta_log/"));
      }
    }
    try (var local = Files.list(WORK)) {
      assertThat(local.map(p -> p.getFileName().toString()).toList())
          .as("nothing written to local folders named after the URIs")
          .noneMatch(n -> n.startsWith("s3a") || n.equals(BUCKET) || n.equals("landing") || n.equals("warehouse"));
    }
  }

  /**
   * The s3a settings of the run, as {@code --conf} options. Credentials come from the environment:
   * Spark copies {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} into the s3a keys that
   * {@code SimpleAWSCredentialsProvider} reads.
   */
  private static List<String> s3aConf(String endpoint) {
    List<String> conf = new ArrayList<>();
    for (String kv : List.of(
        "spark.hadoop.fs.s3a.endpoint=" + endpoint,
        "spark.hadoop.fs.s3a.endpoint.region=us-east-1",
        "spark.hadoop.fs.s3a.path.style.access=true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled=false",
        "spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        // A wrong setting should fail the test in seconds, not after minutes of retries.
        "spark.hadoop.fs.s3a.attempts.maximum=3",
        "spark.hadoop.fs.s3a.retry.limit=3",
        // One writing driver per table: S3 has no atomic put-if-absent for the Delta log here.
        "spark.delta.logStore.s3a.impl=io.delta.storage.S3SingleDriverLogStore")) {
      conf.add("--conf");
      conf.add(kv);
    }
    return conf;
  }

  private static String run(Map<String, String> env, List<String> s3a, String command, String... args)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of(args));
    all.addAll(s3a);
    return ItSupport.cxlake(WORK, env, STEP_TIMEOUT, all.toArray(String[]::new));
  }

  private static long lap(String step, long started) {
    long now = System.nanoTime();
    System.out.printf("S3ProxyIT: %s on s3a in %d s%n", step, Duration.ofNanos(now - started).toSeconds());
    return now;
  }

  /** Whether the endpoint answers HTTP at all (an unsigned request gets 403 once it is up). */
  private static boolean answers(HttpClient http, String endpoint) {
    try {
      http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
