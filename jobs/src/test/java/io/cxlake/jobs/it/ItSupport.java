package io.cxlake.jobs.it;

import io.cxlake.jobs.cli.InProcessCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the integration tests that start their own processes share. */
final class ItSupport {
  /** The project root (failsafe passes it; the module directory's parent otherwise). */
  static final Path PROJECT = Path.of(System.getProperty("cxlake.project.dir", "..")).toAbsolutePath().normalize();

  /** Spark's own Java 17 launcher flags ({@code spark.jvm.opts} of the parent pom, passed by failsafe). */
  static final List<String> SPARK_JVM_OPTS = Arrays.stream(System.getProperty("cxlake.spark.jvm.opts", "").split("\\s+"))
      .filter(s -> !s.isBlank()).toList();

  private ItSupport() {}

  /** A TCP port free on the loopback interface right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A java command line: this JVM's launcher, the heap, Spark's JVM flags, then {@code rest}. */
  static List<String> javaCommand(String heap, String... rest) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(SPARK_JVM_OPTS);
    command.addAll(List.of(rest));
    return command;
  }

  /**
   * Runs {@code bin/cxlake} (local Spark, on the jar the build just packaged) and returns its stdout.
   *
   * @param env variables added to the environment, e.g. credentials
   */
  static String cxlake(Path workDir, Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PROJECT.resolve("bin/cxlake").toString());
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.put("CXLAKE_NO_REBUILD", "1");
    return ChildProcess.run("cxlake " + args[0], command, all, workDir, timeout);
  }

  /**
   * Runs a {@code bin/cxlake} command in this JVM ({@link InProcessCli}) and returns its stdout;
   * fails with its output when it exits non-zero. For the steps a test needs but does not put under
   * test as a process (that is {@link #cxlake}): a cold JVM costs seconds to start and runs its
   * first Spark plans slowly.
   */
  static String cxlakeInProcess(String... args) {
    InProcessCli.Result r = InProcessCli.run(args);
    if (r.code() != 0) {
      throw new AssertionError("cxlake " + String.join(" ", args) + " exited with " + r.code() + "\nstdout:\n"
          + r.out() + "\nstderr:\n" + r.err());
    }
    return r.out();
  }

  /** The data rows of {@code bin/cxlake sql --format csv} whose values contain no commas. */
  static List<String[]> csvRows(String csv) {
    return csv.lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
  }

  /** Copies a folder and its content to a new place (a test's own copy of a shared warehouse). */
  static void copy(Path from, Path to) throws IOException {
    deleteRecursively(to);
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Deletes a folder and its content; nothing when it does not exist. */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
