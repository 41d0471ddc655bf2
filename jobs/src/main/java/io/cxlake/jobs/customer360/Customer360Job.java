package io.cxlake.jobs.customer360;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.CustomerFeatures;
import io.cxlake.common.features.FeatureInputs;
import io.cxlake.common.features.FeatureSettings;
import io.cxlake.common.runlog.Progress;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.time.AsOf;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code customer360} job: one row per customer known at the as-of date with profile, RFM and
 * value, support experience, surveys, web engagement and channel preference, written to the
 * {@code customer_360} partition of that date (a rerun replaces it). Needs the silver
 * transactions from {@code ingest}; the other sources are optional.
 */
public final class Customer360Job {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "customer360";

  private Customer360Job() {}

  /** Reads the silver tables, builds the snapshot and writes it. */
  public static RunStats run(SparkSession spark, Customer360Config config) {
    TableCatalog catalog = config.catalog();
    FeatureInputs inputs = FeatureInputs.read(new JobInputs(spark, catalog, "build customer_360"));
    String path = catalog.path(Customer360.TABLE);
    Progress.of(NAME).phase("computing and writing the snapshot of " + config.asOf());
    DeltaIO.replacePartition(spark, build(inputs, config.asOf(), config.features()), Customer360.TABLE, path,
        Customer360.AS_OF_DATE, config.asOf().date());
    long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
    return new RunStats(written, written, 0, Map.of("table", path))
        .withFinding(String.format(java.util.Locale.ROOT, "%,d customers known at %s", written, config.asOf()));
  }

  /** The snapshot: the shared point-in-time features plus the as-of date. */
  public static Dataset<Row> build(FeatureInputs inputs, AsOf asOf, FeatureSettings settings) {
    return CustomerFeatures.compute(inputs, asOf, settings).withColumn(Customer360.AS_OF_DATE, asOf.dateLit());
  }
}
