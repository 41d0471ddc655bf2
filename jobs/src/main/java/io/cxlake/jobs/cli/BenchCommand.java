package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cxlake bench clv}: times the CLV job on generated purchases (customers and transactions
 * only) and prints one markdown table row per run, the format of docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Benchmark a job on generated data. 'bench clv --customers N' generates N customers' purchases,",
        "ingests them, runs clv and prints the summary, fit and prediction times and the compression."})
final class BenchCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "JOB", description = "The job to benchmark: clv.")
  String job;

  @Option(names = "--customers", description = "Customers to generate (default ${DEFAULT-VALUE}).")
  long customers = 100_000;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--dir", paramLabel = "DIR", description = "Work folder (default ${DEFAULT-VALUE}); data of an "
      + "earlier run is regenerated unless --reuse.")
  String dir = "cxlake-bench";

  @Option(names = "--reuse", description = "Keep the ingested warehouse of an earlier run with the same --customers "
      + "and --seed and time clv only (generate and ingest show as -).")
  boolean reuse;

  @Override
  public Integer call() {
    if (!ClvJob.NAME.equals(job)) {
      throw new IllegalArgumentException("Cannot benchmark: only clv can be benchmarked so far (" + job + ")");
    }
    String root = dir + "/" + customers;
    // Generated customers only, as in the demo.
    common.conf.putIfAbsent(PrivacySecret.DEMO_KEY, "true");
    common.landing = root + "/landing";
    GenerateSampleConfig sample = GenerateSampleCommand.config(common, customers, seed, root + "/truth",
        Set.of(Customers.CONTRACT.name(), Transactions.CONTRACT.name()));
    AsOf asOf = new AsOf(sample.asOf());
    CxConfig config = common.config();
    TableCatalog catalog = new TableCatalog(root + "/warehouse");
    SparkSession spark = common.spark("bench clv");

    String transactions = catalog.path(Transactions.TABLE);
    if (reuse && !DeltaIO.exists(spark, transactions)) {
      throw new IllegalArgumentException("Cannot reuse the benchmark data: no ingested transactions (" + transactions
          + ")");
    }
    long t0 = System.nanoTime();
    if (!reuse) {
      GenerateSampleJob.run(spark, sample);
    }
    long t1 = System.nanoTime();
    if (!reuse) {
      IngestJob.run(spark, IngestConfig.from(config, sample.landing(), catalog, asOf), "bench");
    }
    long t2 = System.nanoTime();
    RunStats clv = ClvJob.run(spark, ClvConfig.from(config, catalog, asOf, Optional.empty()));
    long t3 = System.nanoTime();

    PrintWriter out = spec.commandLine().getOut();
    out.println("| customers | order lines | fit grid days | distinct (x, t_x, T) | distinct spend rows | generate s "
        + "| ingest s | clv summary s | clv fit s | clv predict+write s | clv total s |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    out.printf(java.util.Locale.ROOT, "| %,d | %,d | %s | %,d | %,d | %s | %s | %s | %s | %s | %.0f |%n",
        customers, spark.read().format("delta").load(transactions).count(),
        clv.details().get(ClvJob.DETAIL_FIT_RESOLUTION_DAYS),
        Long.parseLong(clv.details().get(ClvJob.DETAIL_SUMMARY_ROWS)),
        Long.parseLong(clv.details().get(ClvJob.DETAIL_SPEND_ROWS)),
        reuse ? "-" : String.format(java.util.Locale.ROOT, "%.0f", (t1 - t0) / 1e9),
        reuse ? "-" : String.format(java.util.Locale.ROOT, "%.0f", (t2 - t1) / 1e9),
        clv.details().get(ClvJob.DETAIL_SUMMARY_SECONDS), clv.details().get(ClvJob.DETAIL_FIT_SECONDS),
        clv.details().get(ClvJob.DETAIL_PREDICT_SECONDS), (t3 - t2) / 1e9);
    out.flush();
    return 0;
  }
}
