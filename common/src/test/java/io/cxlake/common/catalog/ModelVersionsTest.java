package io.cxlake.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.testing.SparkExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A save that dies midway leaves the previous version whole; a finished one replaces it whole. */
@ExtendWith(SparkExtension.class)
class ModelVersionsTest {
  private static void write(String folder, String part, String text) throws IOException {
    Path dir = Files.createDirectories(Path.of(folder));
    Files.writeString(dir.resolve(part), text);
  }

  @Test
  void aVersionIsReplacedWholeOrNotAtAll(SparkSession spark, @TempDir Path models) throws Exception {
    String version = models.resolve("2026-11-22").toString();
    ModelVersions.publish(spark, version, folder -> {
      write(folder, "model", "old");
      write(folder, "marker", "done");
    });
    assertThatThrownBy(() -> ModelVersions.publish(spark, version, folder -> {
      write(folder, "model", "new");
      throw new IOException("killed before the marker");
    })).hasMessageContaining("killed before the marker");
    assertThat(Files.readString(Path.of(version, "model"))).as("the old version, untouched").isEqualTo("old");
    assertThat(ModelVersions.latest(spark, models.toString(), "", "marker", LocalDate.parse("2026-12-01"), "models"))
        .as("the staging folder is not a version").contains(LocalDate.parse("2026-11-22"));

    ModelVersions.publish(spark, version, folder -> write(folder, "model", "new"));
    assertThat(Files.exists(Path.of(version, "marker"))).as("no part of the old version left").isFalse();
    assertThat(Files.readString(Path.of(version, "model"))).isEqualTo("new");
    try (var left = Files.list(models)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no staging or replaced folder left")
          .containsExactly("2026-11-22");
    }
    assertThat(ModelVersions.latest(spark, models.toString(), "", "marker", LocalDate.parse("2026-12-01"), "models"))
        .as("without its marker the version is incomplete").isEqualTo(Optional.empty());
  }
}
