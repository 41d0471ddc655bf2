package io.cxlake.jobs.it;

import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.bench.PeerBench;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's peers on the demo's warehouse (DemoIT's, read only): DuckDB recomputes ingest,
 * customer_360, clv, cohorts and kpis from the same files and every compared count and sum agrees
 * with cxlake's tables. {@code bench pipeline} makes the same comparison at 20k customers and more;
 * here it runs on every build, so a change to a job or to its peer SQL that breaks their agreement
 * fails CI rather than a benchmark run.
 */
@ExtendWith(SparkExtension.class)
class PeerBenchIT {
  @TempDir
  Path work;

  @Test
  void duckDbAgreesWithEveryComparedTable(SparkSession spark) throws Exception {
    DemoIT.Demo demo = DemoIT.demo();
    TableCatalog catalog = new TableCatalog(demo.warehouse().toString());
    AsOf asOf = new AsOf(DeltaIO.read(spark, catalog.path(Customer360.TABLE)).agg(max(Customer360.AS_OF_DATE))
        .first().getDate(0).toLocalDate());
    try (PeerBench peers = PeerBench.open(spark, catalog, CxConfig.defaults(), asOf, work.toFile())) {
      List<PeerBench.Result> results = List.of(
          peers.ingest(1, demo.dir().resolve("demo/landing").toString()),
          peers.customer360(1), peers.clv(1), peers.cohorts(1), peers.kpis(1));
      assertThat(results).allSatisfy(r -> {
        assertThat(r.mismatches()).as(r.job() + ": " + r.compared()).isEmpty();
        assertThat(r.peerSeconds()).as(r.job() + " DuckDB time").isPositive();
        assertThat(r.floorSeconds()).as(r.job() + " scan floor").isPositive();
      });
      assertThat(results.get(3).compared()).as("cohorts compared something").doesNotContain(" 0 = 0");
    }
  }
}
