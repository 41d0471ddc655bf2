package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Builds a source's silver table from its contract, so the two cannot disagree. */
final class SilverTables {
  /** Lineage: the landing file a silver row came from. */
  static final String SOURCE_FILE = "source_file";

  private SilverTables() {}

  static TableSpec of(
      SourceContract contract,
      Map<String, String> comments,
      List<StructField> derived,
      String tableComment) {
    List<StructField> fields = new ArrayList<>();
    contract.columns().forEach((name, type) -> {
      String comment = name.equals(SilverHistory.UPDATED_TS) ? SilverHistory.UPDATED_TS_COMMENT : comments.get(name);
      if (comment == null) {
        throw new IllegalArgumentException(
            "Cannot define silver table " + contract.name() + ": column has no comment (" + name + ")");
      }
      fields.add(field(name, type, comment));
    });
    fields.addAll(derived);
    fields.add(field(SOURCE_FILE, DataTypes.StringType, "Landing file the row was loaded from (lineage)."));
    fields.addAll(SilverHistory.fields());
    return new TableSpec(
        contract.name(),
        TableSpec.Layer.SILVER,
        new StructType(fields.toArray(StructField[]::new)),
        List.of(),
        List.of(contract.key()),
        tableComment);
  }
}
