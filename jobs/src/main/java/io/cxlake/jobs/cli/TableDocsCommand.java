package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cxlake table-docs}: prints the table reference (docs/tables.md). */
@Command(name = "table-docs", mixinStandardHelpOptions = true,
    description = "Print the markdown reference of every table and column (the source of docs/tables.md).")
final class TableDocsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(TableDocs.markdown());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
