package io.cxlake.jobs.cli;

import io.cxlake.common.testing.SparkExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import scala.Option;

/**
 * The command line run in this JVM as {@code bin/cxlake} runs it, without exiting. Each command
 * gets a new session of the shared test SparkContext, made the thread's active session so the
 * CLI's {@code getOrCreate} takes it: Spark applies a builder's settings to the session it returns,
 * and the CLI's (its local defaults, such as 8 shuffle partitions, and {@code --conf}) applied to
 * the shared session would change every test that runs after it in the fork. The views a command
 * registers stay in its session too.
 */
public final class InProcessCli {
  /** What one command printed and returned. */
  public record Result(int code, String out, String err) {}

  private InProcessCli() {}

  /** Runs one command line, as {@code bin/cxlake args...}. */
  public static Result run(String... args) {
    Option<SparkSession> previous = SparkSession.getActiveSession();
    SparkSession.setActiveSession(SparkExtension.session().newSession());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      CommandLine cli = CxlakeCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      return new Result(cli.execute(args), out.toString(), err.toString());
    } finally {
      if (previous.isDefined()) {
        SparkSession.setActiveSession(previous.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }
}
