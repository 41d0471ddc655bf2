package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.sample.SimulateResponseJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake simulate-response}. */
@Command(name = SimulateResponseJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Sample data only: plant a known effect of one campaign's actions. Customers delivered an action of",
        "--campaign on the --as-of day buy with probability --effect in the response window after it; the",
        "purchases go to a new transactions file of the landing zone, for the next ingest. campaign-results",
        "then has an effect to recover (and the other campaigns none)."})
final class SimulateResponseCommand extends JobCommand {
  @Option(names = "--campaign", required = true, description = "The campaign that works, e.g. win_back.")
  String campaign;

  @Option(names = "--effect", description = "Probability of the extra purchase (default ${DEFAULT-VALUE}).")
  double effect = 0.25;

  @Option(names = "--amount", description = "Value of the extra purchase (default ${DEFAULT-VALUE}).")
  double amount = 50.0;

  @Option(names = "--seed", description = "Which customers respond (default ${DEFAULT-VALUE}).")
  long seed = 17;

  @Override
  String jobName() {
    return SimulateResponseJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return SimulateResponseJob.run(spark, new SimulateResponseJob.Config(catalog, common.landing(), asOf, campaign,
        effect, amount, common.config().getInt("actions.response-days"), seed));
  }
}
