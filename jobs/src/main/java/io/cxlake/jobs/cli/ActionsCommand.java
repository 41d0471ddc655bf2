package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.actions.ActionsConfig;
import io.cxlake.jobs.actions.ActionsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code cxlake actions}. */
@Command(name = ActionsJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Choose at most one next best action per customer for the as-of day from the trigger rules (win-back,",
        "browse abandonment, service recovery, VIP, onboarding) with consent, suppression, weekly contact caps",
        "and a deterministic control group; write them to next_best_actions. Run the days in order."})
final class ActionsCommand extends JobCommand {
  @Override
  String jobName() {
    return ActionsJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    return ActionsJob.run(spark, ActionsConfig.from(common.config(), catalog, asOf));
  }
}
