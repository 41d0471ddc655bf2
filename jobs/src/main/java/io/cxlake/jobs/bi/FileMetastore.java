package io.cxlake.jobs.bi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Registers catalog entries in Trino's file Hive metastore by writing its files directly (no Trino
 * needs to run): {@code .<schema>.trinoSchema} per schema and {@code <schema>/<table>/.trinoSchema}
 * per table or view, in the JSON Trino 476 writes itself. A running Trino reads them on the next
 * query (its file metastore caches nothing by default). Every file is written only when its content
 * changes, through a temporary file and a rename, because one half-written file breaks the listing
 * of its whole schema. For local use and tests; production uses a Hive Metastore or Glue
 * ({@link TrinoRegistrar}).
 */
final class FileMetastore {
  /** The Trino version the files are written for: the file metastore accepts its own version only. */
  static final String TRINO_VERSION = "476";
  /** The catalog name Trino serves the warehouse under. */
  static final String CATALOG = "lake";
  /** Owner of the schemas, tables and views in the metastore. */
  static final String OWNER = "cxlake";
  private static final String FILE = ".trinoSchema";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Path root;
  private final Configuration conf;

  /**
   * @param dir the metastore folder (Trino's {@code hive.metastore.catalog.dir})
   * @param conf the Hadoop configuration of the file system it is on
   */
  FileMetastore(String dir, Configuration conf) {
    this.root = new Path(dir);
    this.conf = conf;
  }

  /** What a sync did. */
  record Changes(List<String> written, int unchanged) {}

  /** Writes the entries; returns which files changed. */
  Changes write(CatalogEntries.Entries entries) {
    List<String> written = new ArrayList<>();
    int unchanged = 0;
    TreeSet<String> schemas = new TreeSet<>();
    entries.tables().forEach(t -> schemas.add(t.schema()));
    entries.views().forEach(v -> schemas.add(v.schema()));
    for (String schema : schemas) {
      unchanged += put(new Path(root, "." + schema + FILE), schema(), written) ? 0 : 1;
    }
    for (CatalogEntries.Table t : entries.tables()) {
      unchanged += put(new Path(new Path(root, t.schema()), t.name() + "/" + FILE), table(t), written) ? 0 : 1;
    }
    for (CatalogEntries.View v : entries.views()) {
      unchanged += put(new Path(new Path(root, v.schema()), v.name() + "/" + FILE), view(v), written) ? 0 : 1;
    }
    return new Changes(written, unchanged);
  }

  private static Map<String, Object> schema() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("writerVersion", TRINO_VERSION);
    m.put("ownerName", OWNER);
    m.put("ownerType", "USER");
    m.put("parameters", Map.of());
    return m;
  }

  /**
   * A Delta table by location: Trino's Delta connector reads its columns and its table and column
   * comments from the Delta log.
   */
  private static Map<String, Object> table(CatalogEntries.Table t) {
    String location = trinoLocation(t.location());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("writerVersion", TRINO_VERSION);
    m.put("owner", OWNER);
    m.put("tableType", "EXTERNAL_TABLE");
    m.put("dataColumns", List.of());
    m.put("partitionColumns", List.of());
    m.put("parameters", Map.of("spark.sql.sources.provider", "DELTA"));
    m.put("serdeParameters", Map.of("path", location));
    m.put("externalLocation", location);
    m.put("columnStatistics", Map.of());
    return m;
  }

  /** A view as Trino stores one: its definition base64-encoded in the original text. */
  private static Map<String, Object> view(CatalogEntries.View v) {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (CatalogEntries.Column c : v.columns()) {
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("name", c.name());
      column.put("type", c.trinoType());
      if (c.comment() != null) {
        column.put("comment", c.comment());
      }
      columns.add(column);
    }
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("originalSql", v.sql());
    definition.put("catalog", CATALOG);
    definition.put("schema", v.schema());
    definition.put("columns", columns);
    definition.put("comment", v.comment());
    // Security invoker: the querying user's rights apply, and such a view must not name an owner.
    definition.put("runAsInvoker", true);
    definition.put("path", List.of());
    String encoded;
    try {
      encoded = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(definition));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write view " + v.name() + ": " + e.getMessage(), e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("writerVersion", TRINO_VERSION);
    m.put("owner", OWNER);
    m.put("tableType", "VIRTUAL_VIEW");
    m.put("dataColumns", List.of());
    m.put("partitionColumns", List.of());
    m.put("parameters", Map.of("presto_view", "true", "comment", "Presto View"));
    m.put("serdeParameters", Map.of());
    m.put("viewOriginalText", "/* Presto View: " + encoded + " */");
    m.put("viewExpandedText", "/* Presto View */");
    m.put("columnStatistics", Map.of());
    return m;
  }

  /** Trino's file systems name local files {@code file:///...} and S3 objects {@code s3://...}. */
  static String trinoLocation(String location) {
    if (location.startsWith("s3a://") || location.startsWith("s3n://")) {
      return "s3://" + location.substring(6);
    }
    if (location.startsWith("/")) {
      return "file://" + location;
    }
    return location;
  }

  /** Writes the file when its content differs; true when it did. */
  private boolean put(Path file, Map<String, Object> content, List<String> written) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(content);
      FileSystem fs = file.getFileSystem(conf);
      if (fs.exists(file)) {
        try (InputStream in = fs.open(file)) {
          if (Arrays.equals(in.readAllBytes(), bytes)) {
            return false;
          }
        }
      }
      Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("rename of " + tmp + " failed");
      }
      written.add(file.toString());
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot register in the file metastore: " + e.getMessage() + " (" + file + ")", e);
    }
  }
}
