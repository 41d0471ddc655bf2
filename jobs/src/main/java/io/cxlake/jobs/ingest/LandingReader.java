package io.cxlake.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxlake.common.quality.ContractValidation;
import io.cxlake.common.schema.SourceContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one source's export as raw strings under the contract's column names, with the landing
 * file and the raw record of every row, after checking that every required column exists. The
 * check runs on file headers before any Spark job, so a wrong export fails in seconds with the
 * source, the file and the column in the message.
 */
public final class LandingReader {
  /** JSON lines sampled per file to learn its keys (writers omit null keys, so one line is not enough). */
  private static final int JSON_SAMPLE_LINES = 1000;

  private LandingReader() {}

  /** Data files under a location (recursively), without hidden and marker files; empty if absent. */
  public static List<String> dataFiles(SparkSession spark, String location) {
    return dataFileStatuses(spark, location).stream().map(f -> f.getPath().toString()).toList();
  }

  /** The data files of {@link #dataFiles} with their size and modification time, in path order. */
  static List<FileStatus> dataFileStatuses(SparkSession spark, String location) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(location);
    List<FileStatus> files = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        return files;
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String name = f.getPath().getName();
        if (!name.startsWith("_") && !name.startsWith(".") && f.getLen() > 0) {
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list landing files: " + e.getMessage() + " (" + location + ")", e);
    }
    files.sort(java.util.Comparator.comparing(f -> f.getPath().toString()));
    return files;
  }

  /**
   * Reads the export. The result has every contract column as a string (null when the export does
   * not have it), plus {@link ContractValidation#SOURCE_FILE}, {@link ContractValidation#RAW_RECORD}
   * and, for CSV and JSON, {@link ContractValidation#CORRUPT_RECORD} (a masked summary of a line that
   * cannot be split, never its text). Only the given files are read: the ones whose headers passed.
   *
   * @param secret secret of the keyed hashes that replace PII
   */
  public static Dataset<Row> read(SparkSession spark, SourceSettings settings, String location, List<String> files,
      String secret) {
    String[] paths = files.toArray(String[]::new);
    SourceContract contract = settings.contract();
    Dataset<Row> raw;
    List<String> exportColumns;
    switch (settings.format()) {
      case CSV -> {
        exportColumns = csvHeader(spark, settings, files);
        // RFC 4180: a quote inside a quoted field is doubled (Spark's default escape is a backslash).
        raw = reader(spark, settings)
            .schema(stringSchema(exportColumns))
            .option("header", "true")
            .option("delimiter", settings.csvDelimiter())
            .option("escape", "\"")
            .option("multiLine", settings.multiline())
            .csv(paths);
      }
      case JSON -> {
        exportColumns = jsonKeys(spark, settings, files);
        raw = reader(spark, settings).schema(stringSchema(exportColumns)).json(paths);
      }
      case PARQUET -> {
        Dataset<Row> typed = spark.read().parquet(paths);
        exportColumns = List.of(typed.columns());
        checkRequired(settings, exportColumns, location);
        Column[] asStrings = exportColumns.stream()
            .map(c -> col(quote(c)).cast(DataTypes.StringType).as(c)).toArray(Column[]::new);
        Column[] withFile = java.util.Arrays.copyOf(asStrings, asStrings.length + 1);
        withFile[asStrings.length] = col("_metadata.file_path").as(ContractValidation.SOURCE_FILE);
        raw = typed.select(withFile);
      }
      default -> throw new IllegalStateException("Cannot read " + contract.name() + ": unknown format");
    }

    List<Column> out = new ArrayList<>();
    for (String c : contract.columnNames()) {
      String name = settings.exportName(c);
      out.add(exportColumns.contains(name) ? col(quote(name)).as(c) : lit(null).cast(DataTypes.StringType).as(c));
    }
    out.add(settings.format() == SourceSettings.Format.PARQUET
        ? col(ContractValidation.SOURCE_FILE) : col("_metadata.file_path").as(ContractValidation.SOURCE_FILE));
    out.add(rawRecord(contract, settings, exportColumns, secret).as(ContractValidation.RAW_RECORD));
    if (settings.format() != SourceSettings.Format.PARQUET) {
      out.add(unsplittable(col(ContractValidation.CORRUPT_RECORD), settings, exportColumns, secret)
          .as(ContractValidation.CORRUPT_RECORD));
    }
    return raw.select(out.toArray(Column[]::new));
  }

  private static DataFrameReader reader(SparkSession spark, SourceSettings settings) {
    return spark.read()
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", ContractValidation.CORRUPT_RECORD)
        .option("encoding", settings.encoding());
  }

  /**
   * What the quarantine keeps of a line the reader cannot split: its length, its number of fields
   * (split at every delimiter, quotes ignored) against the header's, and a keyed hash to tell equal
   * lines apart. Never the text: an e-mail or phone in it cannot be located to mask it.
   */
  private static Column unsplittable(Column line, SourceSettings settings, List<String> exportColumns, String secret) {
    Column fields = settings.format() == SourceSettings.Format.CSV
        ? size(split(line, java.util.regex.Pattern.quote(settings.csvDelimiter().equals("\\t") ? "\t"
            : settings.csvDelimiter()))) : lit(null).cast(DataTypes.IntegerType);
    return when(line.isNotNull(), to_json(struct(
        lit("line cannot be split into the header's columns; text withheld (may hold personal data)").as("unparsable"),
        length(line).as("line_length"),
        fields.as("field_count"),
        lit(exportColumns.size()).as("header_field_count"),
        ContractValidation.maskPii(line, secret).as("line_key"))));
  }

  /**
   * The raw record: every export column, PII replaced by its keyed hash, as a struct. Classification
   * turns it into JSON for the rows it quarantines only, not for the clean majority.
   */
  private static Column rawRecord(SourceContract contract, SourceSettings settings, List<String> exportColumns,
      String secret) {
    Set<String> pii = new LinkedHashSet<>();
    contract.piiColumns().forEach(c -> pii.add(settings.exportName(c)));
    Column[] fields = exportColumns.stream().map(c -> {
      Column v = col(quote(c));
      return (pii.contains(c) ? ContractValidation.maskPii(v, secret) : v).as(c);
    }).toArray(Column[]::new);
    return struct(fields);
  }

  /** Every export column as a string, plus the column the reader puts unsplittable lines in. */
  private static StructType stringSchema(List<String> columns) {
    StructType s = new StructType();
    for (String c : columns) {
      s = s.add(c, DataTypes.StringType, true);
    }
    return s.add(ContractValidation.CORRUPT_RECORD, DataTypes.StringType, true);
  }

  /** The header shared by every file; a file with another header or a missing column fails the run. */
  private static List<String> csvHeader(SparkSession spark, SourceSettings settings, List<String> files) {
    List<String> first = null;
    String firstFile = null;
    for (String file : files) {
      List<String> header = readLines(spark, settings, file, 1).stream().findFirst()
          .map(line -> splitCsvLine(stripBom(line), settings.csvDelimiter()))
          .orElse(List.of());
      checkRequired(settings, header, file);
      if (first == null) {
        first = header;
        firstFile = file;
      } else if (!first.equals(header)) {
        throw new IllegalArgumentException("Cannot ingest " + settings.contract().name() + ": file " + file
            + " has header " + header + " but " + firstFile + " has " + first
            + "; all files of a source must share one header");
      }
    }
    return first;
  }

  /**
   * The union of the contract's columns and the keys in a sample of every file: a contract key that
   * first appears after the sample is still read, and other keys seen are kept for the quarantine.
   */
  private static List<String> jsonKeys(SparkSession spark, SourceSettings settings, List<String> files) {
    ObjectMapper mapper = new ObjectMapper();
    Set<String> all = new LinkedHashSet<>();
    for (String file : files) {
      Set<String> keys = new LinkedHashSet<>();
      for (String line : readLines(spark, settings, file, JSON_SAMPLE_LINES)) {
        try {
          JsonNode node = mapper.readTree(line);
          if (node != null && node.isObject()) {
            Iterator<String> names = node.fieldNames();
            names.forEachRemaining(keys::add);
          }
        } catch (IOException malformed) {
          // A malformed line is quarantined by the reader; the other lines still tell the keys.
        }
      }
      checkRequired(settings, List.copyOf(keys), file);
      all.addAll(keys);
    }
    settings.contract().columnNames().forEach(c -> all.add(settings.exportName(c)));
    return List.copyOf(all);
  }

  private static void checkRequired(SourceSettings settings, List<String> columns, String file) {
    for (String c : settings.contract().required()) {
      String name = settings.exportName(c);
      if (!columns.contains(name)) {
        String mapped = name.equals(c) ? "" : " (mapped to export column '" + name + "')";
        throw new IllegalArgumentException("Cannot ingest " + settings.contract().name() + ": required column '"
            + c + "'" + mapped + " is missing in file " + file + " (columns found: " + columns + ")");
      }
    }
  }

  private static List<String> readLines(SparkSession spark, SourceSettings settings, String file, int max) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path path = new Path(file);
    List<String> lines = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(conf);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      InputStream raw = fs.open(path);
      try (InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.forName(settings.encoding())))) {
        String line;
        while (lines.size() < max && (line = reader.readLine()) != null) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read landing file: " + e.getMessage() + " (" + file + ")", e);
    }
    return lines;
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** Splits one CSV line, honouring double quotes (headers rarely need more). */
  static List<String> splitCsvLine(String line, String delimiter) {
    char sep = delimiter.equals("\\t") ? '\t' : delimiter.charAt(0);
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (ch == sep && !quoted) {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString().strip());
    return out;
  }

  /** Backticks a column name so dots and spaces in export headers are not read as paths. */
  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
