package io.cxlake.jobs.cli;

import io.cxlake.common.config.CxConfig;
import io.cxlake.common.time.AsOf;
import io.cxlake.jobs.pipeline.PipelineJob;
import io.cxlake.jobs.pipeline.PipelineRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Runs a pipeline job as its {@code cxlake} command in this JVM, with the run's common options:
 * the same option parsing, run log row and summary line as typing the command, and the same
 * arguments Airflow passes to spark-submit.
 */
final class CliJobLauncher implements PipelineRunner.JobLauncher {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@,+%-]+");

  private final List<String> commonArgs;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String origin;

  /**
   * @param commonArgs options every job gets (see {@link #commonArgs})
   * @param out where the jobs print
   * @param err where the jobs print errors
   * @param origin the pipeline file, named in errors
   */
  CliJobLauncher(List<String> commonArgs, PrintWriter out, PrintWriter err, String origin) {
    this.commonArgs = List.copyOf(commonArgs);
    this.out = out;
    this.err = err;
    this.origin = origin;
  }

  /** The common options of a run, as arguments for each job's command. */
  static List<String> commonArgs(CommonOptions common, AsOf asOf) {
    List<String> args = new ArrayList<>(List.of("--as-of", asOf.date().toString()));
    if (common.allowFutureAsOf) {
      args.add("--allow-future-as-of");
    }
    if (common.landing != null) {
      args.addAll(List.of("--landing", common.landing));
    }
    if (common.warehouse != null) {
      args.addAll(List.of("--warehouse", common.warehouse));
    }
    if (common.config != null) {
      args.addAll(List.of("--config", common.config.getPath()));
    }
    for (Map.Entry<String, String> e : common.conf.entrySet()) {
      args.addAll(List.of("--conf", e.getKey() + "=" + e.getValue()));
    }
    if (common.master != null) {
      args.addAll(List.of("--master", common.master));
    }
    return args;
  }

  /** {@code bin/cxlake run} with these options, from {@code job} on, ready to paste into a shell. */
  static String resumeCommand(List<String> runArgs, String job) {
    List<String> words = new ArrayList<>(List.of("bin/cxlake", "run"));
    words.addAll(runArgs);
    words.addAll(List.of("--from", job));
    return shellLine(words);
  }

  /**
   * A command line a user can paste into a shell, with the values of secret {@code --conf} keys
   * withheld ({@link CxConfig#isSecretKey}): it is printed and logged, so the user supplies those again.
   */
  static String shellLine(List<String> words) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      boolean confValue = i > 0 && words.get(i - 1).equals("--conf");
      if ((confValue || w.startsWith("--conf=")) && w.contains("=")) {
        String setting = confValue ? w : w.substring("--conf=".length());
        int eq = setting.indexOf('=');
        w = (confValue ? "" : "--conf=") + CxConfig.redacted(setting.substring(0, eq), setting.substring(eq + 1));
      }
      shown.add(w);
    }
    return shown.stream()
        .map(w -> SHELL_SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }

  /** The arguments of one job's command (after the command name). */
  List<String> args(PipelineJob job) {
    List<String> args = new ArrayList<>(commonArgs);
    args.addAll(job.args());
    return args;
  }

  @Override
  public void check(PipelineJob job) {
    parse(job, CxlakeCli.commandLine());
  }

  @Override
  public void launch(PipelineJob job) throws Exception {
    CommandLine cli = CxlakeCli.commandLine();
    cli.setOut(out);
    cli.setErr(err);
    ((JobCommand) parse(job, cli).getCommand()).call();
  }

  /**
   * The job's command, parsed from the top of a fresh command line (a subcommand cannot parse on
   * its own in picocli), so no option value leaks from one job to the next.
   */
  private CommandLine parse(PipelineJob job, CommandLine cli) {
    CommandLine command = cli.getSubcommands().get(job.command());
    if (command == null || !(command.getCommand() instanceof JobCommand)) {
      throw new IllegalArgumentException("Cannot run pipeline: job " + job.name() + " is enabled in " + origin
          + " but cxlake has no job command of that name; set \"enabled\": false until it exists (" + job.command() + ")");
    }
    List<String> words = new ArrayList<>(List.of(job.command()));
    words.addAll(args(job));
    try {
      return cli.parseArgs(words.toArray(String[]::new)).subcommand().commandSpec().commandLine();
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException("Cannot run pipeline: the " + job.command() + " command rejects the arguments"
          + " of job " + job.name() + " in " + origin + " (" + e.getMessage() + ")", e);
    }
  }
}
