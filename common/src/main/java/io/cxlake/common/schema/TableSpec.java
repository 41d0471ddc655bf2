package io.cxlake.common.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Everything needed to create, write and document one Delta table: its name, layer, schema
 * (every column carries a comment), partition and key columns, and the table comment a BI user
 * reads.
 *
 * @param name table name, also the name it is queryable by in {@code cxlake sql}
 * @param layer {@code silver} for cleaned inputs, {@code gold} for outputs
 * @param schema the table schema; every field has a comment
 * @param partitionColumns partition columns, empty for unpartitioned tables
 * @param keyColumns the columns that identify one row (used by merges and duplicate checks)
 * @param comment what the table holds, for {@code DESCRIBE DETAIL}
 */
public record TableSpec(
    String name,
    Layer layer,
    StructType schema,
    List<String> partitionColumns,
    List<String> keyColumns,
    String comment) {

  /** The partition column of every snapshot table: the as-of date of the run that wrote the rows. */
  public static final String AS_OF_DATE = "as_of_date";

  /** Where a table sits in the warehouse. */
  public enum Layer {
    SILVER,
    GOLD;

    /** The folder name under the warehouse root. */
    public String folder() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public TableSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(schema, "schema");
    partitionColumns = List.copyOf(partitionColumns);
    keyColumns = List.copyOf(keyColumns);
    for (StructField f : schema.fields()) {
      if (f.getComment().isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot define table " + name + ": column has no comment (" + f.name() + ")");
      }
    }
    List<String> names = List.of(schema.fieldNames());
    for (String c : partitionColumns) {
      if (!names.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot define table " + name + ": partition column is not in the schema (" + c + ")");
      }
    }
    for (String c : keyColumns) {
      if (!names.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot define table " + name + ": key column is not in the schema (" + c + ")");
      }
    }
  }

  /** The table's column names in schema order. */
  public List<String> columns() {
    return List.of(schema.fieldNames());
  }

  /** Whether the table holds one partition of rows per as-of date. */
  public boolean isSnapshot() {
    return partitionColumns.contains(AS_OF_DATE);
  }

  /**
   * A row of this table built by column name: a column the table does not have, or a value of the
   * wrong type, fails when it is set, and a column left unset fails when the row is built, so a
   * misspelt or forgotten column can never become a silent null.
   */
  public RowBuilder row() {
    return new RowBuilder(this, new HashMap<>());
  }

  /** Values of one row by column name; see {@link TableSpec#row()}. */
  public static final class RowBuilder {
    private final TableSpec table;
    private final Map<String, Object> values;

    private RowBuilder(TableSpec table, Map<String, Object> values) {
      this.table = table;
      this.values = values;
    }

    /** Sets a column; null is a value (it must be set explicitly too). */
    public RowBuilder set(String column, Object value) {
      StructField field = field(column);
      if (value != null && !accepts(field.dataType(), value)) {
        throw new IllegalArgumentException("Cannot build a row of " + table.name() + ": column " + column + " is "
            + field.dataType().simpleString() + ", not " + value.getClass().getSimpleName() + " (" + value + ")");
      }
      values.put(column, value);
      return this;
    }

    /** Sets columns that do not apply to this row to null. */
    public RowBuilder setNull(String... columns) {
      for (String c : columns) {
        set(c, null);
      }
      return this;
    }

    /** An independent builder with the values set so far: the shared part of several rows. */
    public RowBuilder copy() {
      return new RowBuilder(table, new HashMap<>(values));
    }

    /** The row in the table's column order; fails naming every column not set. */
    public Row build() {
      List<String> missing = table.columns().stream().filter(c -> !values.containsKey(c)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Cannot build a row of " + table.name() + ": columns not set ("
            + String.join(", ", missing) + ")");
      }
      List<Object> out = new ArrayList<>();
      table.columns().forEach(c -> out.add(values.get(c)));
      // With the schema, so a job can read its own rows back by column name.
      return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(out.toArray(), table.schema());
    }

    private StructField field(String column) {
      for (StructField f : table.schema().fields()) {
        if (f.name().equals(column)) {
          return f;
        }
      }
      throw new IllegalArgumentException("Cannot build a row of " + table.name() + ": no such column (" + column + ")");
    }

    /** The Java values Spark's row converters take for a type (the external types of createDataFrame). */
    private static boolean accepts(DataType type, Object value) {
      if (type.equals(DataTypes.StringType)) {
        return value instanceof String;
      }
      if (type.equals(DataTypes.LongType)) {
        return value instanceof Long;
      }
      if (type.equals(DataTypes.IntegerType)) {
        return value instanceof Integer;
      }
      if (type.equals(DataTypes.DoubleType)) {
        return value instanceof Double;
      }
      if (type.equals(DataTypes.BooleanType)) {
        return value instanceof Boolean;
      }
      if (type.equals(DataTypes.DateType)) {
        return value instanceof java.sql.Date || value instanceof java.time.LocalDate;
      }
      if (type.equals(DataTypes.TimestampType)) {
        return value instanceof java.sql.Timestamp || value instanceof java.time.Instant;
      }
      if (type instanceof ArrayType) {
        return value instanceof List<?> || value instanceof scala.collection.Seq<?>;
      }
      if (type instanceof MapType) {
        return value instanceof Map<?, ?> || value instanceof scala.collection.Map<?, ?>;
      }
      if (type instanceof StructType) {
        return value instanceof Row;
      }
      return true;
    }
  }
}
