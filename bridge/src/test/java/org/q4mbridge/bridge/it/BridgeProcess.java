package org.q4mbridge.bridge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shaded launcher {@code target/q4m-bridge.jar} running as a child JVM, the way systemd runs
 * it, so a test can send it real signals: {@link #sigterm()} (graceful stop), {@link #sigkill()} (a
 * crash), {@link #sighup()} (reload). Its stdout and stderr go to one log file under {@code
 * target/it-logs/}, which {@link #log()} reads and which stays for the post-mortem.
 *
 * <p>The jar is built in the {@code package} phase, before failsafe runs; run from the module
 * directory ({@code bridge/}), as failsafe does. Not thread-safe; one test thread drives it.
 */
public final class BridgeProcess implements AutoCloseable {
  /** The shaded jar, relative to the module directory failsafe runs in. */
  public static final Path JAR = Path.of("target", "q4m-bridge.jar");

  private static final Path LOG_DIR = Path.of("target", "it-logs");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Process process;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private BridgeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code q4m-bridge run --config <config>}; returns at once (the daemon starts in the
   * background: wait for {@link #logContains} "running" when that matters).
   *
   * @param name names the log file {@code target/it-logs/<name>-<n>.log}
   */
  public static BridgeProcess run(Path config, String name) {
    Path logFile = logFile(name);
    List<String> command = java();
    command.addAll(List.of("run", "--config", config.toAbsolutePath().toString()));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
              .start();
      return new BridgeProcess(p, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** What a one-shot command printed, and how it ended. */
  public record Finished(int exitCode, String out, String err) {
    /** stdout and stderr together, for messages. */
    public String both() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /**
   * Runs one command of the launcher to its end (e.g. {@code "run", "--config", f} that must fail
   * fast), with stdout and stderr kept apart.
   *
   * @throws AssertionError when it does not end within {@code timeout} (it is killed then)
   */
  public static Finished once(Duration timeout, String... args) {
    String name = "cli-" + (args.length == 0 ? "none" : args[0]);
    Path out = logFile(name + "-out");
    Path err = logFile(name + "-err");
    List<String> command = java();
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", args) + " did not end within " + timeout + "; see " + err);
      }
      return new Finished(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static List<String> java() {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run the ITs through 'mvn verify' (package first)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Two shared cores: a small serial-GC heap keeps the child from competing with the servers.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    return command;
  }

  /** A fresh file (an earlier build's log of the same name is replaced, never appended to). */
  private static Path logFile(String name) {
    try {
      Files.createDirectories(LOG_DIR);
      return LOG_DIR.resolve(name + "-" + SEQUENCE.incrementAndGet() + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The OS process id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log file (stdout and stderr). */
  public Path logFile() {
    return log;
  }

  /** Everything the process printed so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True once the process printed {@code text}. */
  public boolean logContains(String text) {
    return log().contains(text);
  }

  /** SIGTERM ({@link Process#destroy()} on Linux): the graceful stop. */
  public void sigterm() {
    process.destroy();
  }

  /** SIGKILL: a crash at whatever point the process is. */
  public void sigkill() {
    process.destroyForcibly();
  }

  /** SIGHUP: re-read the configuration file. */
  public void sighup() {
    signal("-HUP");
  }

  private void signal(String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits for the process to end.
   *
   * @return its exit code
   * @throws AssertionError naming the log file when it is still running after {@code timeout}
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "q4m-bridge (pid " + pid() + ") still running after " + timeout + "; see " + log);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** How long ago the process was started. */
  public Duration age() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Kills the process if it is still running (a failed test must not leave a bridge behind). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
