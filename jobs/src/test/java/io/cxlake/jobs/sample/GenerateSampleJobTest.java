package io.cxlake.jobs.sample;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.ingest.IngestConfig;
import io.cxlake.jobs.ingest.IngestJob;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class GenerateSampleJobTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-11-01");

  private static GenerateSampleConfig config(Path dir, long seed) {
    return new GenerateSampleConfig(dir.resolve("landing").toString(), dir.resolve("truth").toString(), AS_OF,
        400, seed, 365, 200, 0.02);
  }

  private static Dataset<Row> lines(SparkSession spark, Path dir, String source) {
    return spark.read().text(dir.resolve("landing").resolve(source).toString());
  }

  @Test
  void sameSeedGivesTheSameLandingZoneAndAnotherSeedDoesNot(
      SparkSession spark, @TempDir Path a, @TempDir Path b, @TempDir Path c) {
    GenerateSampleJob.run(spark, config(a, 11));
    GenerateSampleJob.run(spark, config(b, 11));
    GenerateSampleJob.run(spark, config(c, 12));
    for (var source : Sources.ALL) {
      DataFrameAssertions.assertSameRows(lines(spark, a, source.name()), lines(spark, b, source.name()));
    }
    assertThat(lines(spark, a, "transactions").exceptAll(lines(spark, c, "transactions")).count())
        .as("another seed, other transactions").isPositive();
    try (var files = java.nio.file.Files.walk(a.resolve("landing"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no checksum sidecars: a user who edits a landing file must not get a checksum error")
          .noneMatch(name -> name.endsWith(".crc"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void ingestQuarantinesExactlyThePlantedBadRows(SparkSession spark, @TempDir Path dir) {
    GenerateSampleConfig sample = config(dir, 3);
    GenerateSampleJob.run(spark, sample);
    TableCatalog catalog = new TableCatalog(dir.resolve("warehouse").toString());
    IngestConfig ingest = IngestConfig.from(
        CxConfig.load(Optional.empty(), Map.of("ingest.now", "2026-11-02T00:00:00Z")),
        sample.landing(), catalog, new AsOf(AS_OF));
    var stats = IngestJob.run(spark, ingest, "run-1");

    Dataset<Row> planted = spark.read().parquet(dir.resolve("truth").resolve(SampleTruth.BAD_ROWS).toString())
        .select(col(SampleTruth.SOURCE), col(SampleTruth.RECORD_KEY), col(SampleTruth.EXPECTED_REASON));
    Dataset<Row> quarantined = DeltaIO.read(spark, catalog.path(Quarantine.TABLE))
        .select(col(Quarantine.SOURCE), col(Quarantine.RECORD_KEY), col(Quarantine.REASON_CODE));
    assertThat(planted.select(col(SampleTruth.SOURCE)).distinct().count()).as("every source has bad rows").isEqualTo(6);
    assertThat(quarantined.exceptAll(planted).collectAsList()).as("quarantined but not planted").isEmpty();
    assertThat(planted.exceptAll(quarantined).collectAsList()).as("planted but not quarantined").isEmpty();
    assertThat(stats.rowsQuarantined()).as("quarantine count").isEqualTo(planted.count());

    long customers = spark.read().parquet(dir.resolve("truth").resolve(SampleTruth.CUSTOMERS).toString()).count();
    assertThat(customers).as("truth has every customer").isEqualTo(400);
  }
}
