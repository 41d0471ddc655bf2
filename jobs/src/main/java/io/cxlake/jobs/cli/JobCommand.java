package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.time.AsOf;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs one job for an as-of date and records it in run_log. */
abstract class JobCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  /** The job name (run log, messages). */
  abstract String jobName();

  /** The run's as-of date; most jobs require one. */
  AsOf asOf() {
    return common.requiredAsOf(jobName());
  }

  /** Runs the job body; the caller logs the run. */
  abstract RunStats runJob(SparkSession spark, TableCatalog catalog, AsOf asOf, String runId) throws Exception;

  @Override
  public Integer call() throws Exception {
    AsOf asOf = asOf();
    TableCatalog catalog = common.catalog();
    SparkSession spark = common.spark(jobName());
    RunStats stats = RunTracker.track(spark, catalog, jobName(), asOf,
        runId -> runJob(spark, catalog, asOf, runId));
    spec.commandLine().getOut().println(Summary.line(jobName(), asOf, stats));
    return 0;
  }
}
