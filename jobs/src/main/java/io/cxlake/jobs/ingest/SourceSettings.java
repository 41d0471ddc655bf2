package io.cxlake.jobs.ingest;

import io.cxlake.common.config.CxConfig;
import io.cxlake.common.schema.SourceContract;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one source's export looks: its format, where it is, how its columns map onto the contract.
 *
 * @param contract the source's contract
 * @param format file format of the export
 * @param path folder or file, relative to the landing root unless absolute or a URI
 * @param columns contract column to the export's column name; unmapped columns keep their names
 * @param timestampFormat Spark datetime pattern of timestamps, empty for ISO-8601
 * @param csvDelimiter CSV field delimiter (one character)
 * @param encoding character set of CSV and JSON files, e.g. UTF-8 or windows-1252
 * @param multiline CSV quoted fields may hold line breaks (RFC 4180); a file is then read by one task
 */
public record SourceSettings(
    SourceContract contract,
    Format format,
    String path,
    Map<String, String> columns,
    Optional<String> timestampFormat,
    String csvDelimiter,
    String encoding,
    boolean multiline) {

  /** Supported export formats. */
  public enum Format {
    CSV,
    JSON,
    PARQUET
  }

  public SourceSettings {
    columns = Map.copyOf(columns);
    String prefix = "sources." + contract.name();
    for (Map.Entry<String, String> e : columns.entrySet()) {
      if (!contract.columns().containsKey(e.getKey())) {
        throw new IllegalArgumentException("Cannot configure " + prefix + ".columns: not a contract column ("
            + e.getKey() + ")");
      }
      if (e.getValue().isBlank()) {
        throw new IllegalArgumentException("Cannot configure " + prefix + ".columns." + e.getKey()
            + ": empty column name (" + e.getValue() + ")");
      }
    }
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("Cannot configure " + prefix + ".path: empty (" + path + ")");
    }
    if (!java.nio.charset.Charset.isSupported(encoding)) {
      throw new IllegalArgumentException("Cannot configure " + prefix + ".encoding: not a character set this JVM knows ("
          + encoding + ")");
    }
    if (csvDelimiter.length() != 1 && !csvDelimiter.equals("\\t")) {
      throw new IllegalArgumentException("Cannot configure " + prefix + ".csv.delimiter: must be one character ("
          + csvDelimiter + ")");
    }
  }

  /** Reads the settings of a source from the configuration. */
  public static SourceSettings from(CxConfig config, SourceContract contract) {
    String prefix = "sources." + contract.name() + ".";
    String formatName = config.getString(prefix + "format");
    Format format;
    try {
      format = Format.valueOf(formatName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot configure " + prefix + "format: expected csv, json or parquet ("
          + formatName + ")", e);
    }
    if (!config.getBoolean(prefix + "csv.header")) {
      throw new IllegalArgumentException("Cannot configure " + prefix + "csv.header: CSV exports need a header row,"
          + " columns are matched by name (false)");
    }
    String ts = config.getString(prefix + "timestamp-format");
    return new SourceSettings(
        contract,
        format,
        config.getString(prefix + "path"),
        config.getStringMap(prefix + "columns"),
        ts.isBlank() ? Optional.empty() : Optional.of(ts),
        config.getString(prefix + "csv.delimiter"),
        config.getString(prefix + "encoding"),
        config.getBoolean(prefix + "multiline"));
  }

  /** The export's name for a contract column. */
  public String exportName(String contractColumn) {
    return columns.getOrDefault(contractColumn, contractColumn);
  }

  /** The location of the export under a landing root. */
  public String location(String landingRoot) {
    if (path.startsWith("/") || path.contains("://") || path.matches("^[A-Za-z]:[\\\\/].*")) {
      return path;
    }
    return (landingRoot.endsWith("/") ? landingRoot : landingRoot + "/") + path;
  }
}
