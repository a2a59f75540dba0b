package org.q4mbridge.bridge.it;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@code redis-server} of the test's own on a free loopback port, which a test may stop, start
 * again and freeze ({@code SIGSTOP}) — the shared Redis on 6379 is never touched.
 *
 * <p>Unlike the sink tests' {@code ThrowawayRedis} (package-private in {@code sink.redis}), it
 * keeps an append-only file with {@code appendfsync always}: an outage scenario must be able to
 * tell "the bridge lost a job" from "Redis forgot what it confirmed", so what Redis confirmed
 * before {@link #stop()} is still there after {@link #start()}. Its files and log live in {@code
 * target/expendable-redis-<port>/}.
 *
 * <p>Not thread-safe; one test thread drives it.
 */
public final class ExpendableRedis implements AutoCloseable {
  private static final String REDIS_SERVER =
      System.getenv().getOrDefault("Q4M_TEST_REDIS_SERVER", "/usr/bin/redis-server");
  private static final Duration READY_BOUND = Duration.ofSeconds(30);

  private final int port;
  private final Path dir;
  private final RedisClient admin;
  private Process process;
  private boolean paused;

  private ExpendableRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
    this.admin = RedisClient.create(RedisURI.create("127.0.0.1", port));
  }

  /** Starts a server on a free port; returns when it answers PING. */
  public static ExpendableRedis launch() {
    try {
      int port = freePort();
      Path dir = Path.of("target", "expendable-redis-" + port);
      deleteRecursively(dir); // an earlier run's append-only file must not come back
      Files.createDirectories(dir);
      ExpendableRedis redis = new ExpendableRedis(port, dir);
      redis.start();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>/0}. */
  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Runs {@code work} on a fresh connection (the server may have restarted since the last). */
  public <T> T commands(Function<RedisCommands<String, String>, T> work) {
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      return work.apply(connection.sync());
    }
  }

  /** Starts the server (again); returns when it answers PING. Idempotent. */
  public void start() {
    if (paused) {
      resume();
    }
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder(
                  REDIS_SERVER,
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "yes",
                  "--appendfsync",
                  "always",
                  "--dir",
                  dir.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + REDIS_SERVER, e);
    }
    Process started = process;
    await("redis-server on port " + port + " answering PING")
        .atMost(READY_BOUND)
        .pollInterval(Duration.ofMillis(50))
        .failFast(
            "redis-server exited (see " + dir.resolve("redis.log") + ")", () -> !started.isAlive())
        .until(this::answersPing);
  }

  /** Stops the server with SIGTERM (Redis flushes its append-only file) and waits for its end. */
  public void stop() {
    if (paused) {
      resume(); // a stopped process acts on SIGTERM only after SIGCONT
    }
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /**
   * Freezes the server ({@code SIGSTOP}): connections stay open, nothing is answered — a Redis that
   * hangs, as opposed to one that is down.
   */
  public void pause() {
    signal("-STOP");
    paused = true;
  }

  /** Lets a frozen server go on ({@code SIGCONT}); it then answers what it received meanwhile. */
  public void resume() {
    signal("-CONT");
    paused = false;
  }

  private void signal(String signal) {
    if (process == null) {
      throw new IllegalStateException("redis on port " + port + " is not running");
    }
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

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int read = in.readNBytes(reply, 0, reply.length);
      return read == 5 && "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
