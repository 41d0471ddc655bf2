package io.cxlake.jobs.cli;

import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.sample.GenerateSampleConfig;
import io.cxlake.jobs.sample.GenerateSampleJob;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code cxlake generate-sample}. */
@Command(name = "generate-sample", mixinStandardHelpOptions = true,
    description = {
        "Write a realistic landing zone for every source (generated in Spark, deterministic per seed) and",
        "the generator's ground truth beside it. History ends at the start of the as-of day (default today).",
        "See docs/sample-data.md for the planted structure and the deliberately broken rows."})
final class GenerateSampleCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--customers", description = "Customers to generate (default: sample.customers).")
  Long customers;

  @Option(names = "--seed", description = "Random seed (default: sample.seed).")
  Long seed;

  @Option(names = "--sources", split = ",", paramLabel = "SOURCE",
      description = "Sources to write, comma-separated (default: all six; customers and transactions are required).")
  java.util.Set<String> sources;

  @Option(names = "--truth", paramLabel = "DIR",
      description = "Ground-truth folder (default: 'truth' beside the landing folder).")
  String truth;

  @Override
  public Integer call() {
    GenerateSampleConfig config = config(common, customers, seed, truth, sources);
    SparkSession spark = common.spark("generate-sample");
    GenerateSampleJob.run(spark, config);
    spec.commandLine().getOut().printf("generate-sample: %d customers, seed %d, history to %s -> landing %s, truth %s%n",
        config.customers(), config.seed(), config.asOf(), config.landing(), config.truth());
    return 0;
  }

  /** The generator settings from options, falling back to the sample.* configuration. */
  static GenerateSampleConfig config(CommonOptions common, Long customers, Long seed, String truth,
      java.util.Set<String> sources) {
    LocalDate asOf = common.asOf == null ? LocalDate.now(ZoneOffset.UTC) : AsOf.parse(common.asOf).date();
    String landing = common.landing();
    return new GenerateSampleConfig(
        landing,
        truth != null ? truth : siblingTruth(landing),
        asOf,
        customers != null ? customers : common.config().getLong("sample.customers"),
        seed != null ? seed : common.config().getLong("sample.seed"),
        common.config().getInt("sample.history-days"),
        common.config().getInt("sample.products"),
        common.config().getDouble("sample.bad-row-rate"),
        sources == null ? GenerateSampleConfig.ALL_SOURCES : sources);
  }

  /** {@code .../landing} gives {@code .../truth}; works for local paths and URIs alike. */
  static String siblingTruth(String landing) {
    String trimmed = landing.endsWith("/") ? landing.substring(0, landing.length() - 1) : landing;
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? "truth" : trimmed.substring(0, slash + 1) + "truth";
  }
}
