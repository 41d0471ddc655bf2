package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.clv.ClvConfig;
import io.cxlake.jobs.clv.ClvJob;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxlake clv}. */
@Command(name = ClvJob.NAME, mixinStandardHelpOptions = true,
    description = {
        "Fit BG/NBD, Pareto/NBD and Gamma-Gamma on purchases up to the as-of day and write clv_predictions",
        "(P(alive), expected purchases, expected order value, discounted CLV and its monthly curve) and",
        "clv_model (parameters, fit, and actual vs predicted purchases when --holdout-end is given)."})
final class ClvCommand extends JobCommand {
  @Option(names = "--holdout-end", paramLabel = "YYYY-MM-DD",
      description = "Evaluate the models on the purchases after --as-of up to the end of this day.")
  String holdoutEnd;

  @Override
  String jobName() {
    return ClvJob.NAME;
  }

  @Override
  RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) {
    Optional<java.time.LocalDate> holdout = Optional.ofNullable(holdoutEnd).map(h -> {
      try {
        return AsOf.parse(h).date();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot parse --holdout-end: expected YYYY-MM-DD (" + h + ")", e);
      }
    });
    return ClvJob.run(spark, ClvConfig.from(common.config(), catalog, asOf, holdout));
  }
}
