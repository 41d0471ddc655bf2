package io.cxlake.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.privacy.PrivacySecret;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.RunLog;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.bench.MeasuredLauncher;
import io.cxlake.jobs.bench.PeerBench;
import io.cxlake.jobs.bench.SparkWork;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import io.cxlake.jobs.cohorts.CohortsJob;
import io.cxlake.jobs.customer360.Customer360Job;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import io.cxlake.jobs.kpis.KpisJob;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineRunner;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cxlake bench clv|pipeline}: times the CLV job on generated purchases (customers and
 * transactions only), or the whole pipeline on generated data of every source, and prints markdown
 * table rows, the format of docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Benchmark on generated data. 'bench clv --customers N' generates N customers' purchases, ingests them,",
        "runs clv and prints the summary, fit and prediction times and the compression. 'bench pipeline",
        "--customers N [--sources ...]' generates every source (or those given), runs the whole pipeline (daily",
        "and weekly) as 'run' does, then prints per job: wall time, rows in, rows/s, shuffle, spill, records",
        "read, task time, heap peak; then times DuckDB and the Spark scan floor on the same files for ingest,",
        "customer360, clv, cohorts and kpis, compares their outputs with cxlake's tables and exits 1 when one",
        "differs."})
final class BenchCommand implements Callable<Integer> {
  private static final String PIPELINE = "pipeline";

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "JOB", description = "What to benchmark: clv or pipeline.")
  String job;

  @Option(names = "--customers", description = "Customers to generate (default ${DEFAULT-VALUE}).")
  long customers = 100_000;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--dir", paramLabel = "DIR", description = "Work folder (default ${DEFAULT-VALUE}); data of an "
      + "earlier run is regenerated unless --reuse.")
  String dir = "cxlake-bench";

  @Option(names = "--reuse", description = "clv: keep the ingested warehouse of an earlier run with the same "
      + "--customers and --seed and time clv only (generate and ingest show as -). pipeline: keep the landing zone "
      + "of an earlier run and start from an empty warehouse.")
  boolean reuse;

  @Option(names = "--sources", split = ",", paramLabel = "SOURCE", description = "pipeline: the sources to generate, "
      + "comma-separated (default: all six; customers and transactions are required), e.g. to benchmark a "
      + "purchases-only workload; the jobs read a left-out source as empty. Not with --reuse, which generates nothing.")
  Set<String> sources;

  @Override
  public Integer call() throws Exception {
    return switch (job) {
      case ClvJob.NAME -> clv();
      case PIPELINE -> pipeline();
      default -> throw new IllegalArgumentException("Cannot benchmark: clv and pipeline can be benchmarked (" + job
          + ")");
    };
  }

  private Integer clv() {
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

  /**
   * The pipeline of conf/pipeline.json, every schedule, on a fresh warehouse in one Spark session:
   * what {@code demo} runs, without its earlier campaign day, so the rows compare across sizes.
   */
  private Integer pipeline() throws Exception {
    String root = dir + "/pipeline-" + customers;
    common.conf.putIfAbsent(PrivacySecret.DEMO_KEY, "true");
    common.landing = root + "/landing";
    common.warehouse = root + "/warehouse";
    if (reuse && sources != null) {
      throw new IllegalArgumentException("Cannot benchmark: --sources chooses what is generated and --reuse generates "
          + "nothing; the landing zone of the earlier run is ingested as it is (" + sources + ")");
    }
    GenerateSampleConfig sample = GenerateSampleCommand.config(common, customers, seed, root + "/truth", sources);
    AsOf asOf = new AsOf(sample.asOf());
    TableCatalog catalog = common.catalog();
    SparkSession spark = common.spark("bench pipeline");
    PrintWriter out = spec.commandLine().getOut();
    org.apache.hadoop.fs.Path landing = new org.apache.hadoop.fs.Path(sample.landing());
    FileSystem fs = landing.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (reuse && !fs.exists(landing)) {
      throw new IllegalArgumentException("Cannot reuse the benchmark data: no landing zone (" + landing + ")");
    }
    long t0 = System.nanoTime();
    if (!reuse) {
      // The generator replaces the folders it writes only: a source left out must not keep an earlier run's files.
      fs.delete(landing, true);
      GenerateSampleJob.run(spark, sample);
    }
    double generateSeconds = (System.nanoTime() - t0) / 1e9;
    // Every run starts from an empty warehouse: a first ingest and the first snapshots of the date.
    fs.delete(new org.apache.hadoop.fs.Path(common.warehouse), true);

    PipelineDefinition pipeline = PipelineDefinition.loadDefault();
    List<String> jobArgs = CliJobLauncher.commonArgs(common, asOf);
    SparkWork work = SparkWork.attach(spark.sparkContext());
    MeasuredLauncher launcher = new MeasuredLauncher(
        new CliJobLauncher(jobArgs, out, spec.commandLine().getErr(), pipeline.origin()), work);
    try {
      PipelineRunner.run(pipeline.plan(Optional.empty(), Optional.empty(), List.of()), launcher, out,
          name -> CliJobLauncher.resumeCommand(jobArgs, name));
    } finally {
      work.detach();
    }
    Map<String, Long> rowsIn = rowsIn(spark, catalog, asOf);
    // What the landing zone holds, generated now or by the reused run.
    List<String> landed = new ArrayList<>();
    for (SourceContract source : Sources.ALL) {
      if (fs.exists(new org.apache.hadoop.fs.Path(landing, source.name()))) {
        landed.add(source.name());
      }
    }

    out.printf(Locale.ROOT, "%n%,d customers, %s, as of %s; generate %s s; landing zone %,d MB%n%n", customers,
        landed.size() == Sources.ALL.size() ? "all sources" : "sources " + String.join(", ", landed), asOf,
        reuse ? "-" : String.format(Locale.ROOT, "%.0f", generateSeconds),
        fs.getContentSummary(landing).getLength() >> 20);
    out.println("| job | wall s | rows in | rows in/s | records read | shuffle read MB | shuffle write MB | spill MB "
        + "| task s | heap peak MB |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    double total = 0;
    for (MeasuredLauncher.Measurement m : launcher.measurements()) {
      Long in = rowsIn.get(m.job().command());
      SparkWork.Totals w = m.work();
      out.printf(Locale.ROOT, "| %s | %.1f | %s | %s | %,d | %,d | %,d | %,d | %.0f | %,d |%n", m.job().name(),
          m.seconds(), in == null ? "-" : String.format(Locale.ROOT, "%,d", in),
          in == null ? "-" : String.format(Locale.ROOT, "%,.0f", in / m.seconds()), w.recordsRead(),
          w.shuffleReadBytes() >> 20, w.shuffleWriteBytes() >> 20, w.spillBytes() >> 20, w.taskMillis() / 1e3,
          m.heapPeakBytes() >> 20);
      total += m.seconds();
    }
    out.printf(Locale.ROOT, "| **pipeline** | **%.0f** | | | | | | | | |%n", total);
    out.flush();
    return peers(spark, catalog, asOf, sample.landing(), launcher.measurements(), out);
  }

  /**
   * The SQL-shaped jobs against DuckDB and the Spark scan floor on the same files, with their
   * outputs compared; 1 when an output differs, after printing every difference.
   */
  private int peers(SparkSession spark, TableCatalog catalog, AsOf asOf, String landing,
      List<MeasuredLauncher.Measurement> measurements, PrintWriter out) throws Exception {
    Map<String, Double> seconds = new HashMap<>();
    measurements.forEach(m -> seconds.put(m.job().name(), m.seconds()));
    List<PeerBench.Result> results = new ArrayList<>();
    String version;
    try (PeerBench peers = PeerBench.open(spark, catalog, common.config(), asOf,
        new File(dir + "/pipeline-" + customers + "/peers"))) {
      version = peers.version();
      results.add(peers.ingest(seconds.get(IngestJob.NAME), landing));
      results.add(peers.customer360(seconds.get(Customer360Job.NAME)));
      results.add(peers.clv(seconds.get(ClvJob.NAME)));
      results.add(peers.cohorts(seconds.get(CohortsJob.NAME)));
      results.add(peers.kpis(seconds.get(KpisJob.NAME)));
    }
    out.printf("%nPeers on the same files (DuckDB %s, 2 threads; scan floor: one Spark pass over the columns the job "
        + "reads):%n%n", version);
    out.println("| job | cxlake s | DuckDB s | cxlake / DuckDB | scan floor s | cxlake / floor | outputs compared |");
    out.println("|---|---|---|---|---|---|---|");
    List<String> mismatches = new ArrayList<>();
    for (PeerBench.Result r : results) {
      out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.2f | %.1f | %s%s |%n", r.job(), r.jobSeconds(),
          r.peerSeconds(), r.jobSeconds() / r.peerSeconds(), r.floorSeconds(), r.jobSeconds() / r.floorSeconds(),
          r.compared(), r.mismatches().isEmpty() ? "; equal" : "; **DIFFERENT**");
      mismatches.addAll(r.mismatches());
    }
    mismatches.forEach(m -> out.println("MISMATCH " + m));
    out.flush();
    return mismatches.isEmpty() ? 0 : 1;
  }

  /** rows_in of each job's latest successful run of the date, from run_log (a handful of rows). */
  private static Map<String, Long> rowsIn(SparkSession spark, TableCatalog catalog, AsOf asOf) {
    Map<String, Long> rows = new HashMap<>();
    DeltaIO.read(spark, catalog.path(RunLog.TABLE))
        .filter(col(RunLog.AS_OF_DATE).equalTo(lit(java.sql.Date.valueOf(asOf.date())))
            .and(col(RunLog.STATUS).equalTo(RunLog.STATUS_SUCCEEDED)))
        .groupBy(RunLog.JOB).agg(max_by(col(RunLog.ROWS_IN), col(RunLog.ENDED_AT)))
        .collectAsList().forEach(r -> rows.put(r.getString(0), r.isNullAt(1) ? null : r.getLong(1)));
    return rows;
  }
}
