package io.cxlake.common.catalog;

import io.cxlake.common.schema.TableSpec;
import org.apache.spark.sql.types.StructField;

/**
 * Renders the reference of every table (docs/tables.md) from the table specs themselves, so the
 * documentation BI users read is the Delta comments they see, and a test keeps the two equal.
 */
public final class TableDocs {
  private TableDocs() {}

  /** The markdown reference of every table in the catalog. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# cxlake tables\n\n")
        .append("Generated from the table definitions in `common/src/main/java/io/cxlake/common/schema` ")
        .append("(the same text is in each Delta table's comments). Regenerate with ")
        .append("`bin/cxlake table-docs > docs/tables.md`; a test fails when this file is stale.\n\n")
        .append("Gold tables are queried by name (`bin/cxlake sql \"SELECT ... FROM customer_360\"`), ")
        .append("silver tables as `silver_<source>`. Warehouse layout: `<warehouse>/<layer>/<table>`.\n");
    for (TableSpec t : TableCatalog.all()) {
      md.append("\n## ").append(TableCatalog.viewName(t)).append("\n\n")
          .append(t.comment()).append("\n\n")
          .append("Layer: ").append(t.layer().folder());
      if (!t.partitionColumns().isEmpty()) {
        md.append(". Partitioned by ").append(String.join(", ", t.partitionColumns()));
      }
      if (!t.keyColumns().isEmpty()) {
        md.append(". Key: ").append(String.join(", ", t.keyColumns()));
      }
      md.append(".\n\n| column | type | meaning |\n|---|---|---|\n");
      for (StructField f : t.schema().fields()) {
        md.append("| ").append(f.name()).append(" | ").append(f.dataType().simpleString()).append(" | ")
            .append(f.getComment().get().replace("|", "\\|")).append(" |\n");
      }
    }
    return md.toString();
  }
}
