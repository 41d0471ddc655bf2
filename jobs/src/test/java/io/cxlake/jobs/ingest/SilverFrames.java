package io.cxlake.jobs.ingest;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.quality.ContractValidation;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The silver rows ingest would load from a landing zone, computed with ingest's own validation
 * and enrichment but without the Delta merge: for tests that need realistic silver tables fast.
 * No unknown-customer check (a landing zone without planted bad rows has none).
 */
public final class SilverFrames {
  private SilverFrames() {}

  /** The clean, enriched rows of one source, in its silver schema. */
  public static Dataset<Row> of(SparkSession spark, IngestConfig config, SourceContract source) {
    SourceSettings settings = config.sources().get(source.name());
    String location = settings.location(config.landing());
    List<String> files = LandingReader.dataFiles(spark, location);
    Dataset<Row> raw = LandingReader.read(spark, settings, location, files, config.secret());
    Dataset<Row> classified = IngestJob.validate(raw, source, config, Optional.empty());
    Dataset<Row> clean = IngestJob.enrich(classified.filter(col(ContractValidation.REASON_CODE).isNull()), source, config)
        .withColumn(SilverHistory.SOURCE_FILE, col(ContractValidation.SOURCE_FILE));
    return DeltaIO.conform(clean, Sources.table(source));
  }
}
