package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cxlake table-docs}: prints the table reference (docs/tables.md). */
@Command(name = "table-docs", mixinStandardHelpOptions = true,
    description = "Print the markdown reference of every table and column (the source of docs/tables.md).")
final class TableDocsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.print(TableDocs.markdown());
    return 0;
  }
}
