package io.cxlake.jobs.cli;

import static io.cxlake.jobs.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.testing.SparkExtension;
import io.cxlake.jobs.cli.InProcessCli.Result;
import io.cxlake.jobs.ingest.LandingFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxlake run} as a user types it: real jobs in-process ({@link InProcessCli}). */
@ExtendWith(SparkExtension.class)
class RunCommandTest {
  private static String[] args(List<String> common, String... more) {
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(common);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void stopsAtTheFailedJobAndResumesFromIt(SparkSession spark, @TempDir Path landing, @TempDir Path warehouse)
      throws IOException {
    // The two required sources only: every Delta commit costs seconds, and this test is about the run.
    LandingFixture.write(landing, "customers", "customers.csv",
        "customer_id,signup_ts,country,acquisition_channel,email,phone,marketing_opt_in",
        "C1,2026-01-01 10:00:00,DE,referral,c1@example.com,+49 1,true");
    LandingFixture.write(landing, "transactions", "tx.csv",
        "transaction_id,order_id,customer_id,order_ts,product_id,category,quantity,unit_price,discount,currency,channel,status",
        "T1,O1,C1,2026-03-01 10:00:00,P1,books,2,10.5,1,EUR,web,completed");
    List<String> common = List.of("--as-of", "2026-11-22", "--landing", landing.toString(),
        "--warehouse", warehouse.toString());

    // A setting only customer360 reads is broken: ingest succeeds, customer360 fails.
    Result failed = run(args(common, "--only", "ingest,customer360",
        "--conf", "customer360.browse-window-days=soon"));
    assertThat(failed.code()).as("exit code; out:\n" + failed.out()).isEqualTo(1);
    assertThat(failed.out()).as("ingest ran and printed its summary")
        .contains("pipeline: ingest -> customer360", "ingest --as-of 2026-11-22: rows_in=2 rows_out=2 rows_quarantined=0",
            "[2/2] customer360 FAILED");
    assertThat(failed.err()).as("names the job, what succeeded and how to resume")
        .contains("run: Cannot run pipeline: job customer360 failed (", "browse-window-days",
            "succeeded before it: ingest; fix the cause and resume with: bin/cxlake run --as-of 2026-11-22 --landing "
                + landing + " --warehouse " + warehouse
                + " --conf customer360.browse-window-days=soon --only ingest,customer360 --from customer360");

    Result resumed = run(args(common, "--only", "ingest,customer360", "--from", "customer360"));
    assertThat(resumed.code()).as("resumed: " + resumed.err()).isZero();
    assertThat(resumed.out()).as("only customer360 ran")
        .contains("pipeline: customer360\n", "customer360 --as-of 2026-11-22: rows_in=", "pipeline: 1 job succeeded")
        .doesNotContain("ingest --as-of");

    Result log = run("sql", "--warehouse", warehouse.toString(), "--format", "csv",
        "SELECT job, status, (SELECT count(*) FROM run_log WHERE status = 'STARTED') AS started FROM run_log "
            + "WHERE status <> 'STARTED' ORDER BY started_at");
    assertThat(log.out().lines()).as("run_log: the failed attempt and the resumed one, ingest once; each opened "
            + "by a STARTED row")
        .containsExactly("job,status,started", "ingest,SUCCEEDED,3", "customer360,FAILED,3", "customer360,SUCCEEDED,3");
  }

  @Test
  void selectionErrorsStopBeforeAnyJob(@TempDir Path warehouse) {
    Result unknown = run("run", "--as-of", "2026-11-22", "--warehouse", warehouse.toString(), "--only", "customer361");
    assertThat(unknown.code()).as("exit code").isEqualTo(1);
    assertThat(unknown.err()).as("message").contains("run: Cannot run pipeline: --only names an unknown job (customer361)");
    Result noDate = run("run", "--only", "ingest");
    assertThat(noDate.err()).as("as-of required").contains("Cannot run the pipeline: --as-of YYYY-MM-DD is required");
    Result badSchedule = run("run", "--as-of", "2026-11-22", "--schedule", "monthly");
    assertThat(badSchedule.code()).as("usage error").isEqualTo(2);
    assertThat(badSchedule.err()).as("names the value").contains("monthly");
    assertThat(warehouse.toFile().list()).as("nothing written").isEmpty();
  }
}
