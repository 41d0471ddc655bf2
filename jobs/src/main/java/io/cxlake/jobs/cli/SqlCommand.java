package io.cxlake.jobs.cli;

import static org.apache.spark.sql.functions.col;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cxlake sql}: Spark SQL over the warehouse's tables by name. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {
        "Run a Spark SQL query over the warehouse: every gold table is a view of its own name (customer_360,",
        "quarantine, run_log, ...), silver tables are silver_<source>. SHOW TABLES lists them. Read-only: a",
        "statement that would change anything (INSERT, DELETE, MERGE, DROP, VACUUM, ...) is refused."})
final class SqlCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    table,
    csv,
    json
  }

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--format", description = "table (for people), csv (with header) or json (JSON lines). Default: ${DEFAULT-VALUE}.")
  Format format = Format.table;

  @Option(names = "--limit", description = "Rows printed at most (default ${DEFAULT-VALUE}); the query itself is not limited.")
  int limit = 1000;

  @Parameters(paramLabel = "QUERY", description = "The SQL statement, e.g. \"SELECT * FROM customer_360 LIMIT 5\".")
  String query;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new IllegalArgumentException("Cannot run sql: --limit must be at least 1 (" + limit + ")");
    }
    SparkSession spark = common.spark("sql");
    ReadOnlyQueries.check(spark, query);
    common.catalog().registerViews(spark);
    PrintWriter out = spec.commandLine().getOut();
    try {
      print(spark.sql(query), out);
    } catch (Exception e) {
      // Spark's errors carry the whole plan; the user needs the reason (CXLAKE_DEBUG prints the trace).
      throw new IllegalArgumentException("Cannot run sql: " + ReadOnlyQueries.oneLine(e), e);
    }
    out.flush();
    return 0;
  }

  private void print(Dataset<Row> result, PrintWriter out) {
    if (format == Format.json) {
      result.limit(limit).toJSON().collectAsList().forEach(out::println);
      return;
    }
    // Values are rendered by Spark (session time zone UTC), not by the JVM's default zone.
    Column[] asText = Arrays.stream(result.columns()).map(c -> col("`" + c + "`").cast("string")).toArray(Column[]::new);
    List<Row> rows = result.select(asText).limit(limit).collectAsList();
    List<String> header = List.of(result.columns());
    if (format == Format.csv) {
      out.println(header.stream().map(SqlCommand::csvField).collect(Collectors.joining(",")));
      rows.forEach(r -> out.println(values(r, "").stream().map(SqlCommand::csvField).collect(Collectors.joining(","))));
    } else {
      printTable(header, rows, out);
    }
  }

  private static List<String> values(Row r, String nullText) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      v.add(r.isNullAt(i) ? nullText : r.getString(i));
    }
    return v;
  }

  /** A boxed table, the shape of Spark's show(), sized to the values. */
  private static void printTable(List<String> header, List<Row> rows, PrintWriter out) {
    int[] width = header.stream().mapToInt(String::length).toArray();
    List<List<String>> cells = rows.stream().map(r -> values(r, "NULL")).toList();
    for (List<String> line : cells) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    String rule = Arrays.stream(width).mapToObj(w -> "-".repeat(w)).collect(Collectors.joining("+", "+", "+"));
    out.println(rule);
    out.println(line(header, width));
    out.println(rule);
    cells.forEach(c -> out.println(line(c, width)));
    out.println(rule);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
  }

  private static String line(List<String> values, int[] width) {
    StringBuilder s = new StringBuilder("|");
    for (int i = 0; i < width.length; i++) {
      s.append(String.format("%-" + width[i] + "s", values.get(i))).append('|');
    }
    return s.toString();
  }

  private static String csvField(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
