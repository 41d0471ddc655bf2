package io.cxlake.jobs.bi;

import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.time.AsOf;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code serve} command's work: register the warehouse's tables in the file metastore, start a
 * read-only Trino over them, print the JDBC URL, and run until the JVM is stopped (Ctrl-C), which
 * stops Trino too.
 */
public final class SqlEndpoint {
  private SqlEndpoint() {}

  /**
   * What to serve and how.
   *
   * @param catalog the warehouse and its file metastore
   * @param host the address to listen on ({@code serve.host})
   * @param port the HTTP port ({@code serve.port})
   * @param heap Trino's Java heap ({@code serve.heap})
   * @param extraCatalogs further catalog files to serve ({@code serve.extra-catalogs-dir})
   * @param sparkConf the jobs' Spark settings, whose s3a settings Trino's S3 file system mirrors
   * @param env the environment: Java, cache and distribution locations, S3 credentials
   */
  public record Settings(CatalogConfig catalog, String host, int port, String heap, Optional<Path> extraCatalogs,
      Map<String, String> sparkConf, Map<String, String> env) {}

  /**
   * Syncs, starts and waits; returns only by failing (Trino exited) or with the JVM.
   *
   * @param spark a session used for the sync and stopped before Trino starts
   */
  public static void serve(SparkSession spark, Settings s, PrintWriter out) throws Exception {
    Path javaHome = TrinoDistribution.javaHome(s.env()).orElseThrow(() -> new IllegalStateException(
        "Cannot start the SQL endpoint: Trino " + TrinoDistribution.VERSION + " needs Java 24 or newer and none was "
            + "found; install a JDK 24+ (e.g. Eclipse Temurin 25) and set CXLAKE_TRINO_JAVA_HOME to its folder"));
    Path distribution = TrinoDistribution.locate(s.env(), out);

    CatalogConfig fileMetastore = new CatalogConfig(s.catalog().catalog(), s.catalog().metastoreDir(),
        Optional.empty(), s.catalog().trinoUser());
    RunTracker.RunStats synced = RunTracker.track(spark, fileMetastore.catalog(), CatalogSyncJob.NAME,
        new AsOf(LocalDate.now(ZoneOffset.UTC)), runId -> CatalogSyncJob.run(spark, fileMetastore));
    boolean onS3 = fileMetastore.catalog().root().startsWith("s3");
    spark.stop();

    TrinoServer server = new TrinoServer(distribution, javaHome, s.host(), s.port(), s.heap(),
        fileMetastore.metastoreDir(), onS3 ? TrinoServer.s3Settings(s.sparkConf(), s.env()) : Map.of(),
        s.extraCatalogs(), TrinoDistribution.cache(s.env()).resolve("serve-" + s.port()));
    out.printf("serve: %s tables and %s views registered in %s; starting Trino on port %d (log: %s)%n",
        synced.details().get("tables"), synced.details().get("views"), fileMetastore.metastoreDir(), s.port(),
        server.log());
    out.flush();
    Process trino = server.start();
    Thread stopper = new Thread(() -> stop(trino));
    Runtime.getRuntime().addShutdownHook(stopper);
    server.awaitReady(trino);
    out.printf("serve: SQL endpoint ready (Trino pid %d). Point a BI tool or JDBC client at%n  %s%n"
            + "  (any user name, no password; catalog lake, schemas gold and silver). Ctrl-C stops it.%n",
        trino.pid(), server.jdbcUrl());
    out.flush();
    int code = trino.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C: the hook stopped Trino, and the JVM is on its way out.
      return;
    }
    throw new IllegalStateException("Cannot keep the SQL endpoint running: Trino exited with code " + code + " ("
        + server.log() + ")");
  }

  /** SIGTERM first (Trino shuts down cleanly in seconds), then SIGKILL. */
  private static void stop(Process trino) {
    trino.destroy();
    try {
      if (!trino.waitFor(20, TimeUnit.SECONDS)) {
        trino.destroyForcibly();
      }
    } catch (InterruptedException e) {
      trino.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
