package io.cxlake.jobs.cli;

import io.cxlake.jobs.imports.CdnowImport;
import io.cxlake.jobs.imports.OnlineRetailImport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxlake import <dataset>}: writes a public dataset as a contract landing zone. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Write a public reference dataset as a landing zone in the input contract, for ingest.",
    subcommands = {ImportCommand.Cdnow.class, ImportCommand.OnlineRetail.class})
final class ImportCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code cxlake import cdnow}. */
  @Command(name = "cdnow", mixinStandardHelpOptions = true,
      description = {
          "Import CDNOW_sample.txt or CDNOW_master.txt (Fader & Hardie) as customers and transactions.",
          "Then: ingest, and clv --as-of 1997-09-30 --holdout-end 1998-06-30 reproduces the published fit."})
  static final class Cdnow implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "FILE", description = "The CDNOW text file.")
    String source;

    @Override
    public Integer call() {
      SparkSession spark = common.spark("import cdnow");
      CdnowImport.run(spark, source, common.landing());
      spec.commandLine().getOut().printf("import cdnow: %s -> landing %s (ingest reports the row counts)%n",
          source, common.landing());
      return 0;
    }
  }

  /** {@code cxlake import online-retail}. */
  @Command(name = "online-retail", mixinStandardHelpOptions = true,
      description = {
          "Import the UCI Online Retail invoice lines (CSV, optionally .gz) as customers and transactions, keeping",
          "lines with a customer id, quantity > 0 and unit price > 0 that are not cancellations (invoice C...).",
          "Prints how many lines each rule dropped. Then: ingest, and cohorts / kpis --as-of 2011-12-09."})
  static final class OnlineRetail implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "FILE",
        description = "online_retail.csv.gz (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, "
            + "CustomerID, Country).")
    String source;

    @Override
    public Integer call() {
      SparkSession spark = common.spark("import online-retail");
      OnlineRetailImport.Result result = OnlineRetailImport.run(spark, source, common.landing());
      PrintWriter out = spec.commandLine().getOut();
      long dropped = result.dropped().values().stream().mapToLong(Long::longValue).sum();
      out.printf("import online-retail: %s -> landing %s%n", source, common.landing());
      out.printf("  lines read %d, kept %d, dropped %d:%n", result.rowsRead(), result.rowsKept(), dropped);
      for (Map.Entry<String, Long> e : result.dropped().entrySet()) {
        out.printf("    %-24s %d%n", e.getKey(), e.getValue());
      }
      return 0;
    }
  }
}
