package io.cxlake.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TableDocsTest {
  @Test
  void docsTablesMdMatchesTheTableDefinitions() throws Exception {
    Path doc = Path.of("..", "docs", "tables.md");
    assertThat(Files.readString(doc))
        .as("docs/tables.md is stale: run bin/cxlake table-docs > docs/tables.md")
        .isEqualTo(TableDocs.markdown());
  }
}
