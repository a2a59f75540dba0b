package org.q4mbridge.q4m.server;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real client program (php, perl, mariadb) run as a child process: its output lines are collected
 * as they come; waits are bounded; {@link #kill()} sends SIGKILL.
 */
final class ClientProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private ClientProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "client-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ClientProcess start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    return new ClientProcess(pb.start());
  }

  /** A script from src/test/resources ({@code php/worker.php}). */
  static String script(String resource) {
    try {
      return Path.of(ClientProcess.class.getResource("/" + resource).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + resource + " is missing", e);
    }
  }

  /** Runs a command to its end (bounded) and returns its exit code and output. */
  static Result run(Duration timeout, List<String> command) throws Exception {
    try (ClientProcess p = start(command)) {
      int code = p.waitFor(timeout);
      return new Result(code, p.output());
    }
  }

  record Result(int exitCode, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }
  }

  /** Waits for the process to exit and its output to be read; fails after {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "client did not finish within "
              + timeout
              + "; output so far:\n"
              + String.join("\n", output()));
    }
    reader.join(5_000);
    return process.exitValue();
  }

  /** Waits (bounded) for a line matching {@code p} and returns it. */
  String awaitLine(Predicate<String> p, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .alias("client output line; output so far: " + output())
        .until(() -> output().stream().anyMatch(p));
    return output().stream().filter(p).findFirst().orElseThrow();
  }

  List<String> output() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the client gets no chance to say goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /**
   * Fails (never skips) when {@code command} is not installed, naming the Debian packages that
   * provide it: the test command installs them, and a missing client must not look like a pass.
   */
  static void require(String what, String packages, String... probe) {
    ClientProcess.Result r;
    try {
      r = run(Duration.ofSeconds(30), List.of(probe));
    } catch (Exception e) {
      throw new AssertionError(
          what
              + " is missing ("
              + e.getMessage()
              + "): install it with apt-get install -y "
              + packages,
          e);
    }
    if (r.exitCode() != 0) {
      throw new AssertionError(
          what
              + " is missing or incomplete: install it with apt-get install -y "
              + packages
              + "\n"
              + r.text());
    }
  }
}
