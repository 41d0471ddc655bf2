package io.cxlake.jobs.bi;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The Trino type its Delta Lake connector gives a Delta column of a Spark type: a view's declared
 * columns must match what its query returns, or Trino refuses the view as stale.
 */
final class TrinoTypes {
  private TrinoTypes() {}

  /** The Trino type of a Spark type, as a Trino type signature. */
  static String of(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return "varchar";
    }
    if (type.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (type.equals(DataTypes.IntegerType)) {
      return "integer";
    }
    if (type.equals(DataTypes.ShortType)) {
      return "smallint";
    }
    if (type.equals(DataTypes.ByteType)) {
      return "tinyint";
    }
    if (type.equals(DataTypes.DoubleType)) {
      return "double";
    }
    if (type.equals(DataTypes.FloatType)) {
      return "real";
    }
    if (type.equals(DataTypes.BooleanType)) {
      return "boolean";
    }
    if (type.equals(DataTypes.DateType)) {
      return "date";
    }
    // Delta stores microseconds; Trino's connector reads them at millisecond precision in UTC.
    if (type.equals(DataTypes.TimestampType)) {
      return "timestamp(3) with time zone";
    }
    if (type.equals(DataTypes.TimestampNTZType)) {
      return "timestamp(6)";
    }
    if (type.equals(DataTypes.BinaryType)) {
      return "varbinary";
    }
    if (type instanceof ArrayType a) {
      return "array(" + of(a.elementType()) + ")";
    }
    if (type instanceof MapType m) {
      return "map(" + of(m.keyType()) + ", " + of(m.valueType()) + ")";
    }
    if (type instanceof StructType s) {
      return Arrays.stream(s.fields()).map(f -> "\"" + f.name() + "\" " + of(f.dataType()))
          .collect(Collectors.joining(", ", "row(", ")"));
    }
    throw new IllegalArgumentException("Cannot map a column to a Trino type: unsupported Spark type ("
        + type.simpleString() + ")");
  }
}
