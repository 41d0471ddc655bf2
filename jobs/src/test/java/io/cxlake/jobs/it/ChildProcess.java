package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server or command an integration test started in its own process, with its output in a log
 * file. {@link #close()} stops it and every process it started (a Spark worker's executors) by
 * pid, so a failing test leaves nothing running; a JVM shutdown hook does the same if the test JVM
 * itself is stopped.
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Thread shutdownHook;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.shutdownHook = new Thread(this::stop, "stop " + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a process with stdout and stderr in {@code log}.
   *
   * @param env variables added to this JVM's environment
   */
  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      return new ChildProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage() + " (" + command + ")", e);
    }
  }

  /**
   * Runs a command to its end and returns its stdout; fails with its stderr when it exits non-zero
   * or outlives the timeout (then it is stopped).
   */
  static String run(String name, List<String> command, Map<String, String> env, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    String prefix = name.replaceAll("[^A-Za-z0-9]+", "-");
    Path stdout = Files.createTempFile(workDir, prefix, ".stdout.log");
    Path stderr = Files.createTempFile(workDir, prefix, ".stderr.log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.environment().putAll(env);
    try (ChildProcess p = new ChildProcess(name, pb.start(), stderr)) {
      boolean ended = p.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
      String out = Files.readString(stdout, StandardCharsets.UTF_8);
      assertThat(ended).as(name + " finished within " + timeout + "\nstdout:\n" + out + "\nstderr:\n" + p.log())
          .isTrue();
      assertThat(p.process.exitValue()).as("exit code of " + name + " " + command + "\nstdout:\n" + out
          + "\nstderr:\n" + p.log()).isZero();
      return out;
    }
  }

  /** The process id. */
  long pid() {
    return process.pid();
  }

  /** Whether it still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Its output so far. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Waits until the condition holds; fails with the process's output when the process dies first
   * or the time runs out.
   */
  void awaitReady(String what, Duration timeout, BooleanSupplier ready) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      assertThat(process.isAlive()).as(name + " (pid " + pid() + ") died before " + what + "; output:\n" + log())
          .isTrue();
      assertThat(System.nanoTime() < deadline).as(name + ": " + what + " within " + timeout + "; output:\n" + log())
          .isTrue();
      Thread.sleep(250);
    }
  }

  /** Kills it and what it started with SIGKILL, as {@code kill -9} or the OOM killer would: nothing of it runs on. */
  void kill() throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** Waits for the process to end and returns its exit code; fails with its output if it outlives the timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as(name + " ended within " + timeout
        + "; output:\n" + log()).isTrue();
    return process.exitValue();
  }

  /** Stops the process and everything it started. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting and runs the hook itself.
    }
  }

  private void stop() {
    // Captured first: once the parent is gone its children are re-parented and no longer listed.
    List<ProcessHandle> descendants = process.descendants().toList();
    // SIGTERM first: a Spark worker's shutdown hook kills its executors itself.
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }
}
