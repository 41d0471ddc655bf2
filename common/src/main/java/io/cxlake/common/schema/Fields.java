package io.cxlake.common.schema;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

/** Builds commented schema fields so that every table column documents itself in Delta. */
public final class Fields {
  private Fields() {}

  /** A nullable field with a comment. */
  public static StructField field(String name, DataType type, String comment) {
    return new StructField(name, type, true, Metadata.empty()).withComment(comment);
  }

}
