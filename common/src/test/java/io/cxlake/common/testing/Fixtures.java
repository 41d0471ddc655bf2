package io.cxlake.common.testing;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Tiny explicit-schema frames for tests: the schema is the table's own, rows are spelled out. */
public final class Fixtures {
  private Fixtures() {}

  /** A UTC timestamp from {@code yyyy-MM-ddTHH:mm:ss} (the trailing Z is implied). */
  public static Timestamp ts(String isoLocal) {
    return Timestamp.from(Instant.parse(isoLocal.endsWith("Z") ? isoLocal : isoLocal + "Z"));
  }

  /** A date from {@code yyyy-MM-dd}. */
  public static Date date(String iso) {
    return Date.valueOf(LocalDate.parse(iso));
  }

  /** Starts a frame of the given schema. */
  public static Builder frame(StructType schema) {
    return new Builder(schema);
  }

  /** Collects rows, then builds the frame. */
  public static final class Builder {
    private final StructType schema;
    private final List<Row> rows = new ArrayList<>();

    private Builder(StructType schema) {
      this.schema = schema;
    }

    /** Adds a row given every column in schema order. */
    public Builder row(Object... values) {
      if (values.length != schema.size()) {
        throw new IllegalArgumentException("Cannot add fixture row: expected " + schema.size()
            + " values, got " + values.length + " (" + Arrays.toString(values) + ")");
      }
      rows.add(RowFactory.create(values));
      return this;
    }

    /** Adds a row given some columns by name; the others are null. */
    public Builder with(Object... nameValuePairs) {
      Object[] values = new Object[schema.size()];
      for (int i = 0; i < nameValuePairs.length; i += 2) {
        values[schema.fieldIndex((String) nameValuePairs[i])] = nameValuePairs[i + 1];
      }
      rows.add(RowFactory.create(values));
      return this;
    }

    public Dataset<Row> build(SparkSession spark) {
      return spark.createDataFrame(rows, schema);
    }
  }
}
