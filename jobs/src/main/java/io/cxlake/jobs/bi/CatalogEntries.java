package io.cxlake.jobs.bi;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.schema.TableSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code catalog sync} registers: every silver and gold table that exists, by its location,
 * in schemas {@code silver} and {@code gold}, and for every snapshot table a {@code <table>_latest}
 * view of its newest as-of date, so a dashboard never sums a metric over snapshots.
 */
final class CatalogEntries {
  /** Suffix of the views of a snapshot table's newest as-of date. */
  static final String LATEST = "_latest";

  private CatalogEntries() {}

  /**
   * A Delta table.
   *
   * @param schema silver or gold
   * @param name the table name
   * @param location where its {@code _delta_log} is
   * @param comment the table comment (Trino reads the column comments from the Delta log)
   */
  record Table(String schema, String name, String location, String comment) {}

  /**
   * A view.
   *
   * @param sql the query, with schema-qualified table names
   * @param columns what the query returns, with comments
   */
  record View(String schema, String name, String sql, List<Column> columns, String comment) {}

  /** A view's output column, typed as Trino types it. */
  record Column(String name, String trinoType, String comment) {}

  /** The entries of one warehouse. */
  record Entries(List<Table> tables, List<View> views) {}

  /**
   * The entries of the tables that exist in the warehouse, each typed by the schema in its Delta
   * log (a table written by an older cxlake keeps the columns it has).
   */
  static Entries of(SparkSession spark, TableCatalog catalog) {
    List<Table> tables = new ArrayList<>();
    List<View> views = new ArrayList<>();
    for (TableSpec spec : TableCatalog.all()) {
      String path = catalog.path(spec);
      if (!DeltaIO.exists(spark, path)) {
        continue;
      }
      String schema = spec.layer().folder();
      tables.add(new Table(schema, spec.name(), path, spec.comment()));
      if (spec.isSnapshot()) {
        views.add(latest(schema, spec, DeltaIO.read(spark, path).schema()));
      }
    }
    return new Entries(tables, views);
  }

  /** The newest as-of date of a snapshot table: the rows a dashboard shows as "now". */
  static View latest(String schema, TableSpec spec, StructType written) {
    String table = schema + "." + spec.name();
    List<Column> columns = new ArrayList<>();
    for (StructField f : written.fields()) {
      columns.add(new Column(f.name(), TrinoTypes.of(f.dataType()), f.getComment().isDefined() ? f.getComment().get() : null));
    }
    String sql = "SELECT * FROM " + table + " WHERE " + TableSpec.AS_OF_DATE + " = (SELECT max("
        + TableSpec.AS_OF_DATE + ") FROM " + table + ")";
    return new View(schema, spec.name() + LATEST, sql, columns,
        "The rows of the newest as_of_date of " + spec.name() + ". " + spec.comment());
  }
}
