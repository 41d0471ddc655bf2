package io.cxlake.jobs.bi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One single-node Trino over a warehouse: its configuration written into a runtime folder, the
 * server started as a child process on Java 24+, and its readiness awaited. The warehouse is served
 * as catalog {@code lake}, read-only ({@code delta.security=read_only}: BI tools query, only the
 * jobs write), its tables found in the file metastore that {@code catalog sync} writes.
 *
 * @param distribution the extracted server ({@link TrinoDistribution})
 * @param javaHome a Java 24+ installation
 * @param host the address to listen on
 * @param port the HTTP port
 * @param heap the server's Java heap, e.g. {@code 2G}
 * @param metastoreDir the file metastore (a local path or an {@code s3a://} URI)
 * @param s3 the warehouse's S3 settings when it is on object storage ({@link #s3Settings})
 * @param extraCatalogs a folder of further catalog files to serve, if any
 * @param runtime the folder for the configuration, logs and data of this server
 */
public record TrinoServer(Path distribution, Path javaHome, String host, int port, String heap, String metastoreDir,
    Map<String, String> s3, Optional<Path> extraCatalogs, Path runtime) {
  /** How long a start may take: one JVM loading the Delta Lake plugin, slower on a busy 2-core machine. */
  static final Duration STARTUP = Duration.ofMinutes(4);
  /** How long Trino's split scheduler keeps its list of nodes (UniformNodeSelectorFactory: 5 s), and a margin. */
  static final Duration NODE_LIST_REFRESH = Duration.ofSeconds(6);

  public TrinoServer {
    s3 = Map.copyOf(s3);
  }

  /** The JDBC URL of the gold schema. */
  public String jdbcUrl() {
    return "jdbc:trino://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + "/" + FileMetastore.CATALOG
        + "/gold";
  }

  /** The server's own log file. */
  public Path log() {
    return runtime.resolve("data/server.log");
  }

  /**
   * The S3 settings of Trino's native S3 file system from the jobs' own s3a settings
   * ({@code spark.hadoop.fs.s3a.*}); credentials stay in the environment
   * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) and are read by Trino from there.
   */
  public static Map<String, String> s3Settings(Map<String, String> sparkConf, Map<String, String> env) {
    Map<String, String> s3 = new LinkedHashMap<>();
    s3.put("fs.native-s3.enabled", "true");
    String endpoint = sparkConf.get("spark.hadoop.fs.s3a.endpoint");
    if (endpoint != null) {
      s3.put("s3.endpoint", endpoint);
    }
    s3.put("s3.region", sparkConf.getOrDefault("spark.hadoop.fs.s3a.endpoint.region",
        env.getOrDefault("AWS_REGION", "us-east-1")));
    s3.put("s3.path-style-access", sparkConf.getOrDefault("spark.hadoop.fs.s3a.path.style.access", "false"));
    if (env.containsKey("AWS_ACCESS_KEY_ID") && env.containsKey("AWS_SECRET_ACCESS_KEY")) {
      // Trino substitutes these when it reads the file, so no secret is written to disk.
      s3.put("s3.aws-access-key", "${ENV:AWS_ACCESS_KEY_ID}");
      s3.put("s3.aws-secret-key", "${ENV:AWS_SECRET_ACCESS_KEY}");
    }
    return s3;
  }

  /** Writes the configuration and starts the server; the caller awaits {@link #awaitReady}. */
  public Process start() {
    try {
      Path etc = runtime.resolve("etc");
      Path catalogs = etc.resolve("catalog");
      Path data = runtime.resolve("data");
      TrinoDistribution.deleteRecursively(catalogs);
      Files.createDirectories(catalogs);
      Files.createDirectories(data);
      write(etc.resolve("config.properties"), Map.of(
          "coordinator", "true",
          "node-scheduler.include-coordinator", "true",
          "http-server.http.port", String.valueOf(port),
          "discovery.uri", "http://127.0.0.1:" + port,
          "query.max-memory", queryMemoryMb() + "MB",
          "query.max-memory-per-node", queryMemoryMb() + "MB"));
      write(etc.resolve("log.properties"), Map.of("io.trino", "INFO"));
      write(catalogs.resolve(FileMetastore.CATALOG + ".properties"), lakeCatalog());
      if (extraCatalogs.isPresent()) {
        try (Stream<Path> files = Files.list(extraCatalogs.get())) {
          for (Path f : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
            Files.copy(f, catalogs.resolve(f.getFileName()));
          }
        }
      }
      List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
          "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true",
          "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
          "-cp", distribution.resolve("lib") + "/*",
          "-Dnode.environment=cxlake",
          "-Dnode.id=cxlake-" + port,
          "-Dnode.data-dir=" + data,
          "-Dnode.bind-ip=" + host,
          "-Dnode.internal-address=127.0.0.1",
          "-Dconfig=" + etc.resolve("config.properties"),
          "-Dlog.levels-file=" + etc.resolve("log.properties"),
          "-Dcatalog.config-dir=" + catalogs,
          "-Dplugin.dir=" + distribution.resolve("plugin"),
          "io.trino.server.TrinoServer"));
      // Trino writes its request log relative to the working directory.
      return new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
          .redirectOutput(log().toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the SQL endpoint: " + e.getMessage() + " (" + runtime + ")", e);
    }
  }

  /** Memory a query may use: half the heap, which leaves Trino its heap headroom (30%). */
  int queryMemoryMb() {
    String h = heap.strip().toUpperCase(java.util.Locale.ROOT);
    long mb;
    try {
      long n = Long.parseLong(h.substring(0, h.length() - 1));
      mb = switch (h.charAt(h.length() - 1)) {
        case 'G' -> n * 1024;
        case 'M' -> n;
        default -> throw new NumberFormatException(h);
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("Cannot configure serve.heap: expected a size such as 2G or 1536M (" + heap
          + ")", e);
    }
    if (mb < 512) {
      throw new IllegalArgumentException("Cannot configure serve.heap: Trino needs at least 512M (" + heap + ")");
    }
    return (int) (mb / 2);
  }

  /** The warehouse's catalog: Delta Lake, read-only, tables from the file metastore. */
  Map<String, String> lakeCatalog() {
    Map<String, String> lake = new LinkedHashMap<>();
    lake.put("connector.name", "delta_lake");
    lake.put("hive.metastore", "file");
    lake.put("delta.security", "read_only");
    if (s3.isEmpty()) {
      // Trino lists schemas only through its local:// file system, whatever scheme the tables use.
      lake.put("hive.metastore.catalog.dir", "local://" + Path.of(metastoreDir).toAbsolutePath());
      lake.put("fs.native-local.enabled", "true");
      lake.put("local.location", "/");
    } else {
      lake.put("hive.metastore.catalog.dir", FileMetastore.trinoLocation(metastoreDir));
      lake.putAll(s3);
    }
    return lake;
  }

  /**
   * Waits until the server answers queries; fails with the end of its log when it exits or takes too long.
   * Started ({@code /v1/info} no longer {@code starting}) is not enough: until the node manager
   * lists the server itself as an active worker, and then until the split scheduler's copy of the
   * node list expires (Trino keeps it {@link #NODE_LIST_REFRESH}), a query that scans a table fails
   * with "No nodes available to run query" (seen in TrinoIT). So it waits for an active node in
   * {@code system.runtime.nodes}, then for one refresh of that copy.
   */
  public void awaitReady(Process process) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Cannot start the SQL endpoint: Trino exited with code " + process.exitValue()
            + "; its log ends with:\n" + tail() + "\n(" + log() + ")");
      }
      try {
        HttpResponse<String> r = http.send(info, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"starting\":false") && hasActiveNode()) {
          Thread.sleep(NODE_LIST_REFRESH.toMillis());
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start the SQL endpoint: interrupted", e);
      }
      sleep();
    }
    throw new IllegalStateException("Cannot start the SQL endpoint: Trino did not answer within " + STARTUP.toSeconds()
        + " s; its log ends with:\n" + tail() + "\n(" + log() + ")");
  }

  /** Whether the node manager lists an active node (a failed query, e.g. no node yet, is a no). */
  private boolean hasActiveNode() {
    Properties user = new Properties();
    user.setProperty("user", "cxlake");
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
      return r.next() && r.getLong(1) > 0;
    } catch (SQLException notYet) {
      return false;
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream().collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot start the SQL endpoint: interrupted", e);
    }
  }

  private static void write(Path file, Map<String, String> properties) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, new java.util.TreeMap<>(properties).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
  }
}
