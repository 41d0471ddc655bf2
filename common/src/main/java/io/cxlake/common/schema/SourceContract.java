package io.cxlake.common.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The landing-zone contract of one source: the columns a user's export is mapped onto, which of
 * them are required, their types, the key that identifies a row, and the value domains that are
 * checked at ingest. The silver table of the source has exactly these typed columns plus the
 * lineage columns the ingest adds.
 *
 * @param name source name; also the landing folder and silver table name
 * @param columns contract columns in order, with their parsed types
 * @param required columns whose value may not be null or blank
 * @param key the column that identifies a row; duplicates of it are quarantined
 * @param eventTimestamp the timestamp that places the row in time (point-in-time filter)
 * @param customerColumn the column linking the row to a customer, if any
 * @param piiColumns personal data that never reaches a gold table or the quarantine in clear
 * @param domains allowed values of categorical columns, checked when the value is present
 */
public record SourceContract(
    String name,
    Map<String, DataType> columns,
    List<String> required,
    String key,
    Optional<String> eventTimestamp,
    Optional<String> customerColumn,
    Set<String> piiColumns,
    Map<String, Set<String>> domains) {

  public SourceContract {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    required = List.copyOf(required);
    piiColumns = Set.copyOf(piiColumns);
    domains = Map.copyOf(domains);
    for (String c : required) {
      if (!columns.containsKey(c)) {
        throw new IllegalArgumentException(
            "Cannot define source " + name + ": required column is not a contract column (" + c + ")");
      }
    }
  }

  /** The contract's column names in order. */
  public List<String> columnNames() {
    return List.copyOf(columns.keySet());
  }

  /** Ordered column builder, so each source lists its columns once. */
  static final class Columns {
    private final Map<String, DataType> columns = new LinkedHashMap<>();

    Columns string(String... names) {
      for (String n : names) {
        columns.put(n, DataTypes.StringType);
      }
      return this;
    }

    Columns timestamp(String... names) {
      for (String n : names) {
        columns.put(n, DataTypes.TimestampType);
      }
      return this;
    }

    Columns integer(String... names) {
      for (String n : names) {
        columns.put(n, DataTypes.IntegerType);
      }
      return this;
    }

    Columns decimal(String... names) {
      for (String n : names) {
        columns.put(n, DataTypes.DoubleType);
      }
      return this;
    }

    Columns bool(String... names) {
      for (String n : names) {
        columns.put(n, DataTypes.BooleanType);
      }
      return this;
    }

    Map<String, DataType> build() {
      return columns;
    }
  }
}
