package io.cxlake.jobs.erase;

import static org.apache.spark.sql.functions.col;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.TableSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Where a warehouse still holds a person: the erasure tests' scans, over table rows and over every file. */
public final class WarehouseScan {
  private WarehouseScan() {}

  /** Matches any of the values as a whole token: an id C1 is found in "C1" but not in "C10". */
  public static Pattern anyOf(List<String> values) {
    return Pattern.compile(String.join("|", values.stream()
        .map(v -> "(?<![A-Za-z0-9])" + Pattern.quote(v) + "(?![0-9])").toList()));
  }

  /** The tables whose current version has a row (as JSON) that matches. */
  public static List<String> tablesMentioning(SparkSession spark, TableCatalog catalog, Pattern pattern) {
    List<String> hits = new ArrayList<>();
    for (TableSpec t : TableCatalog.all()) {
      if (DeltaIO.exists(spark, catalog.path(t)) && matches(DeltaIO.read(spark, catalog.path(t)), pattern)) {
        hits.add(t.name());
      }
    }
    return hits;
  }

  /**
   * The files under a folder, of any table version, that match: Parquet read as rows (its pages are
   * compressed), one read per folder since a folder's files share a schema; any other file as bytes
   * but Hadoop's checksum sidecars ({@code .<file>.crc}): they hold CRC32 values of their file's
   * bytes, no text, and short needles such as {@code C1} turn up in such random bytes now and then.
   * Delta's own checksum files ({@code <version>.crc}, JSON with file statistics) are searched.
   */
  public static List<String> filesMentioning(SparkSession spark, Path root, Pattern pattern) throws IOException {
    List<String> hits = new ArrayList<>();
    Map<Path, List<String>> parquetByFolder = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".crc")) {
          continue;
        }
        if (name.endsWith(".parquet")) {
          parquetByFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f.toString());
        } else if (pattern.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).find()) {
          hits.add(root.relativize(f).toString());
        }
      }
    }
    parquetByFolder.forEach((folder, files) -> {
      if (matches(spark.read().parquet(files.toArray(String[]::new)), pattern)) {
        hits.add(root.relativize(folder) + "/*.parquet");
      }
    });
    return hits;
  }

  private static boolean matches(Dataset<Row> rows, Pattern pattern) {
    return !rows.toJSON().filter(col("value").rlike(pattern.pattern())).isEmpty();
  }
}
