package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.TableSpec;
import io.cxlake.common.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The BI way in, as a user takes it: {@code bin/cxlake serve} on DemoIT's warehouse starts Trino 476
 * (extracted from the tarball the build fetched into jobs/target/trino), and a JDBC client sees every
 * table with its comments, the {@code _latest} views, and no way to write. One server for the class;
 * every process it started is stopped by pid.
 */
@ExtendWith(SparkExtension.class)
class TrinoIT {
  private static final Path TARBALL = ItSupport.PROJECT.resolve("jobs/target/trino/trino-server.tar.gz");
  private static final Path WORK = ItSupport.PROJECT.resolve("jobs/target/it-trino");
  private static final Pattern URL = Pattern.compile("(jdbc:trino://127\\.0\\.0\\.1:\\d+/lake/gold)");
  private static final Pattern TRINO_PID = Pattern.compile("Trino pid (\\d+)");

  private static ChildProcess serve;
  private static String url;
  private static long trinoPid;
  private static Path warehouse;

  @BeforeAll
  static void serve() throws Exception {
    assertThat(TARBALL).as("Trino tarball (copied by the build in pre-integration-test)").isRegularFile();
    warehouse = DemoIT.demo().warehouse();
    ItSupport.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    // A writable catalog beside the read-only one, on its own file metastore, for catalog sync through Trino.
    Path extra = Files.createDirectories(WORK.resolve("catalogs"));
    Files.writeString(extra.resolve("admin.properties"), String.join("\n",
        "connector.name=delta_lake", "hive.metastore=file",
        "hive.metastore.catalog.dir=local://" + Files.createDirectories(WORK.resolve("admin-metastore")),
        "fs.native-local.enabled=true", "local.location=/", "delta.register-table-procedure.enabled=true", ""));
    int port = ItSupport.freePort();
    List<String> command = new ArrayList<>(List.of(ItSupport.PROJECT.resolve("bin/cxlake").toString(), "serve",
        "--warehouse", warehouse.toString(), "--port", String.valueOf(port),
        "--conf", "serve.extra-catalogs-dir=" + extra, "--conf", "serve.heap=1G"));
    serve = ChildProcess.start("cxlake serve", command, Map.of("CXLAKE_NO_REBUILD", "1",
        "CXLAKE_CACHE", ItSupport.PROJECT.resolve("jobs/target/trino-cache").toString(),
        "CXLAKE_TRINO_TARBALL", TARBALL.toString(), "CXLAKE_DRIVER_MEMORY", "1g"), WORK, WORK.resolve("serve.log"));
    serve.awaitReady("the JDBC URL printed", Duration.ofMinutes(8), () -> URL.matcher(serve.log()).find());
    Matcher m = URL.matcher(serve.log());
    assertThat(m.find()).isTrue();
    url = m.group(1);
    Matcher pid = TRINO_PID.matcher(serve.log());
    assertThat(pid.find()).as("serve prints Trino's pid").isTrue();
    trinoPid = Long.parseLong(pid.group(1));
  }

  @AfterAll
  static void stop() {
    if (serve != null) {
      serve.close();
      assertThat(ProcessHandle.of(trinoPid).map(ProcessHandle::isAlive).orElse(false))
          .as("Trino (pid " + trinoPid + ") stopped with serve").isFalse();
    }
  }

  private static Connection connect(String jdbcUrl) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "analyst");
    return DriverManager.getConnection(jdbcUrl, p);
  }

  private static long count(Statement s, String query) throws SQLException {
    try (ResultSet r = s.executeQuery(query)) {
      assertThat(r.next()).as(query).isTrue();
      return r.getLong(1);
    }
  }

  @Test
  void everyTableIsThereWithItsRowsAndComments(SparkSession spark) throws Exception {
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    try (Connection c = connect(url); Statement s = c.createStatement()) {
      int tables = 0;
      for (TableSpec t : TableCatalog.all()) {
        String path = catalog.path(t);
        if (!DeltaIO.exists(spark, path)) {
          continue;
        }
        tables++;
        String name = t.layer().folder() + "." + t.name();
        assertThat(count(s, "SELECT count(*) FROM " + name)).as(name + " rows through Trino")
            .isEqualTo(DeltaIO.read(spark, path).count());
        if (t.isSnapshot()) {
          assertThat(count(s, "SELECT count(DISTINCT as_of_date) FROM " + name + "_latest"))
              .as(name + "_latest holds one as-of date").isEqualTo(1);
        }
      }
      assertThat(tables).as("gold and silver tables of the demo").isGreaterThanOrEqualTo(20);
      try (ResultSet r = s.executeQuery("SELECT comment FROM information_schema.columns WHERE table_schema = 'gold'"
          + " AND table_name = 'customer_360' AND column_name = 'recency_days'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).as("a column comment from the Delta log")
            .isEqualTo(Customer360.TABLE.schema().apply(Customer360.RECENCY_DAYS).getComment().get());
      }
      try (ResultSet r = s.executeQuery("SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'lake'"
          + " AND schema_name = 'gold' AND table_name = 'customer_360'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).as("the table comment").isEqualTo(Customer360.TABLE.comment());
      }
      assertThat(count(s, "SELECT count(*) FROM customer_360_latest"))
          .as("the latest view has the newest as-of date's rows")
          .isEqualTo(count(s, "SELECT count(*) FROM customer_360 WHERE as_of_date = (SELECT max(as_of_date) FROM "
              + "customer_360)"));
    }
  }

  @Test
  void writesAreRefused() throws Exception {
    try (Connection c = connect(url); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("DELETE FROM customer_360 WHERE customer_id IS NOT NULL"))
          .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
      assertThatThrownBy(() -> s.execute("INSERT INTO run_log (run_id) VALUES ('x')"))
          .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
      assertThatThrownBy(() -> s.execute("DROP TABLE segments"))
          .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
    }
  }

  @Test
  void catalogSyncRegistersThroughARunningTrino() throws Exception {
    String admin = url.replace("/lake/gold", "/admin");
    String out = ItSupport.cxlake(WORK, Map.of("CXLAKE_DRIVER_MEMORY", "1g"), Duration.ofMinutes(5),
        "catalog", "sync", "--warehouse", warehouse.toString(), "--conf", "catalog.trino-url=" + admin);
    assertThat(out).as("catalog sync ran").contains("catalog-sync");
    try (Connection c = connect(admin); Statement s = c.createStatement()) {
      assertThat(count(s, "SELECT count(*) FROM gold.customer_360")).as("registered through SQL")
          .isEqualTo(count(s, "SELECT count(*) FROM lake.gold.customer_360"));
      assertThat(count(s, "SELECT count(DISTINCT as_of_date) FROM gold.cx_kpis_latest")).isEqualTo(1);
    }
    String again = ItSupport.cxlake(WORK, Map.of("CXLAKE_DRIVER_MEMORY", "1g"), Duration.ofMinutes(5),
        "catalog", "sync", "--warehouse", warehouse.toString(), "--conf", "catalog.trino-url=" + admin);
    assertThat(again).as("a rerun registers no table again").contains("catalog-sync");
  }
}
