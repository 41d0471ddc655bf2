package io.cxlake.jobs.cli;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxlake sql}: Spark SQL over the warehouse's tables by name. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {
        "Run Spark SQL over the warehouse: every gold table is a view of its own name (customer_360,",
        "quarantine, run_log, ...), silver tables are silver_<source>. SHOW TABLES lists them."})
final class SqlCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    table,
    csv,
    json
  }

  @Mixin
  CommonOptions common;

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
    common.catalog().registerViews(spark);
    print(spark.sql(query), System.out);
    return 0;
  }

  private void print(Dataset<Row> result, PrintStream out) {
    switch (format) {
      case table -> result.show(limit, false);
      case json -> result.limit(limit).toJSON().collectAsList().forEach(out::println);
      case csv -> {
        out.println(Arrays.stream(result.columns()).map(SqlCommand::csvField).collect(Collectors.joining(",")));
        // Values are rendered by Spark (session time zone UTC), not by the JVM's default zone.
        Column[] asText = Arrays.stream(result.columns()).map(c -> col("`" + c + "`").cast("string")).toArray(Column[]::new);
        List<Row> rows = result.select(asText).limit(limit).collectAsList();
        for (Row r : rows) {
          StringBuilder line = new StringBuilder();
          for (int i = 0; i < r.size(); i++) {
            if (i > 0) {
              line.append(',');
            }
            line.append(r.isNullAt(i) ? "" : csvField(r.getString(i)));
          }
          out.println(line);
        }
      }
      default -> throw new IllegalStateException("Cannot print: unknown format (" + format + ")");
    }
  }

  private static String csvField(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
