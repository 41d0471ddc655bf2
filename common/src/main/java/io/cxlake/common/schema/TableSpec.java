package io.cxlake.common.schema;

import java.util.List;
import java.util.Objects;
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
}
