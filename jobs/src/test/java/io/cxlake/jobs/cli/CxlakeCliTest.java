package io.cxlake.jobs.cli;

import static io.cxlake.jobs.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.testing.SparkExtension;
import io.cxlake.jobs.cli.InProcessCli.Result;
import io.cxlake.jobs.ingest.LandingFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user types it, in-process ({@link InProcessCli}). */
@ExtendWith(SparkExtension.class)
class CxlakeCliTest {
  @Test
  void helpListsEveryCommandAndEveryOption() {
    Result top = run("--help");
    assertThat(top.code()).as("exit code").isZero();
    assertThat(top.out()).as("commands").contains("generate-sample", "ingest", "customer360", "cohorts", "kpis", "sql",
        "demo");
    assertThat(run("import", "--help").out()).as("importers").contains("cdnow", "online-retail");
    Result ingest = run("ingest", "--help");
    assertThat(ingest.out()).as("ingest options")
        .contains("--as-of", "--landing", "--warehouse", "--config", "--conf", "--master");
  }

  @Test
  void unknownOptionIsAnErrorNamingIt() {
    Result r = run("ingest", "--as-of", "2026-11-22", "--bogus");
    assertThat(r.code()).as("usage error").isEqualTo(2);
    assertThat(r.err()).as("names the option").contains("Unknown option: '--bogus'");
  }

  @Test
  void unknownConfigKeyIsAnErrorNamingIt(@TempDir Path dir) {
    Result r = run("customer360", "--as-of", "2026-11-22", "--warehouse", dir.toString(),
        "--conf", "customer360.browse-windw-days=3");
    assertThat(r.code()).as("exit code").isEqualTo(1);
    assertThat(r.err()).as("names the key").contains("unknown key customer360.browse-windw-days");
  }

  @Test
  void jobsRequireAnAsOfDate() {
    Result r = run("customer360");
    assertThat(r.code()).as("exit code").isEqualTo(1);
    assertThat(r.err()).as("message").contains("Cannot run customer360: --as-of YYYY-MM-DD is required");
  }

  @Test
  void anAsOfAfterTodayIsRefusedUnlessAllowed() {
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
    Result r = run("customer360", "--as-of", tomorrow);
    assertThat(r.code()).as("exit code").isEqualTo(1);
    assertThat(r.err()).as("message").contains("Cannot run customer360: --as-of " + tomorrow + " is after today (",
        "pass --allow-future-as-of");
  }

  @Test
  void printedCommandLinesWithholdSecrets() {
    String line = CliJobLauncher.resumeCommand(List.of("--as-of", "2026-11-22", "--conf", "privacy.hash-salt=s3cr3t-v4lue",
        "--conf=spark.hadoop.fs.s3a.secret.key=AKIA", "--conf", "clv.horizon-months=6"), "clv");
    assertThat(line).as("resume hint").doesNotContain("s3cr3t-v4lue", "AKIA")
        .contains("'privacy.hash-salt=<redacted>'", "'--conf=spark.hadoop.fs.s3a.secret.key=<redacted>'",
            "clv.horizon-months=6", "--from clv");
  }

  @Test
  void ingestThenCustomer360ThenSql(SparkSession spark, @TempDir Path landing, @TempDir Path warehouse)
      throws IOException {
    String partitions = spark.conf().get("spark.sql.shuffle.partitions");
    LandingFixture.writeLanding(landing);
    String[] common = {"--as-of", "2026-11-22", "--landing", landing.toString(), "--warehouse", warehouse.toString(),
        "--conf", "ingest.now=2026-12-31T00:00:00Z", "--conf", "ingest.max-quarantine-share=1"};
    Result ingest = run(concat(new String[] {"ingest"}, common));
    assertThat(ingest.code()).as("ingest: " + ingest.err()).isZero();
    assertThat(ingest.out()).as("summary").contains("ingest --as-of 2026-11-22: rows_in=27 rows_out=10 rows_quarantined=17");

    Result c360 = run("customer360", "--as-of", "2026-11-22", "--warehouse", warehouse.toString());
    assertThat(c360.code()).as("customer360: " + c360.err()).isZero();

    Result csv = run("sql", "--warehouse", warehouse.toString(), "--format", "csv",
        "SELECT customer_id, orders, nps_class FROM customer_360 ORDER BY customer_id");
    assertThat(csv.out().lines()).as("csv with header")
        .containsExactly("customer_id,orders,nps_class", "C1,1,promoter", "C2,0,");

    Result json = run("sql", "--warehouse", warehouse.toString(), "--format", "json",
        "SELECT job, status FROM run_log WHERE status <> 'STARTED' ORDER BY started_at");
    assertThat(json.out().lines()).as("run log as JSON lines")
        .containsExactly("{\"job\":\"ingest\",\"status\":\"SUCCEEDED\"}", "{\"job\":\"customer360\",\"status\":\"SUCCEEDED\"}");

    Result tables = run("sql", "--warehouse", warehouse.toString(), "SHOW TABLES");
    assertThat(tables.out()).as("gold and silver tables by name")
        .contains("|tableName", "|customer_360", "|quarantine", "|run_log", "|silver_transactions");

    Result early = run("cohorts", "--as-of", "1990-01-01", "--warehouse", warehouse.toString());
    assertThat(early.code()).as("an as-of before any data: " + early.err()).isZero();
    assertThat(early.out()).as("an empty snapshot, said so").contains("cohorts --as-of 1990-01-01: rows_in=0 rows_out=0");
    assertThat(spark.conf().get("spark.sql.shuffle.partitions")).as("the shared session's settings, not the CLI's")
        .isEqualTo(partitions);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
