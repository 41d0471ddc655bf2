package io.cxlake.jobs.cli;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of cxlake: {@code bin/cxlake <command> ...} locally, and the main class of
 * the application jar under {@code spark-submit}. {@code main} only parses arguments; each
 * command builds its job's config and runs it.
 */
@Command(name = "cxlake", mixinStandardHelpOptions = true, version = "cxlake 0.1.0",
    description = {
        "Scheduled Spark jobs that turn transactions, support tickets, web events and surveys into",
        "customer-experience tables on Delta Lake. Every job takes --as-of YYYY-MM-DD and replaces that",
        "date's output when rerun. Run 'cxlake <command> --help' for a command's options."})
public final class CxlakeCli implements Runnable {
  @picocli.CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line; tests execute it without exiting the JVM. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CxlakeCli());
    cli.addSubcommand(GenerateSampleCommand.class);
    cli.addSubcommand(SimulateResponseCommand.class);
    cli.addSubcommand(IngestCommand.class);
    PlainJobs.ALL.forEach(job -> cli.addSubcommand(job.name(), PlainJobs.commandLine(job)));
    for (Class<?> command : List.of(ClvCommand.class, ChurnTrainCommand.class, ChurnScoreCommand.class,
        CatalogCommand.class, ReportCommand.class, SqlCommand.class, ServeCommand.class, EraseCommand.class,
        RunCommand.class, DemoCommand.class, TableDocsCommand.class, ImportCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class)) {
      cli.addSubcommand(command);
    }
    // Set after the subcommands are added: picocli applies them to the commands it has.
    return cli.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(CxlakeCli::handle);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(code);
  }

  /** A failed job prints its message, not a stack trace, unless CXLAKE_DEBUG is set. */
  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandName() + ": " + e.getMessage());
    if (System.getenv("CXLAKE_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }
}
