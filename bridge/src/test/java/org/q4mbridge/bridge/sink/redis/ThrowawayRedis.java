package org.q4mbridge.bridge.sink.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkContract;
import org.q4mbridge.bridge.sink.SinkContract.Received;

/**
 * A {@code redis-server} of the test's own on a free loopback port, without persistence, which the
 * outage tests may kill, restart and freeze ({@code SIGSTOP}) — the shared Redis on 6379 is never
 * touched. Its log goes to {@code target/throwaway-redis-<port>.log}.
 */
final class ThrowawayRedis implements SinkContract.ExpendableBroker, AutoCloseable {
  private static final String REDIS_SERVER =
      System.getenv().getOrDefault("Q4M_TEST_REDIS_SERVER", "/usr/bin/redis-server");
  private static final Duration READY_BOUND = Duration.ofSeconds(15);

  private final int port;
  private final Path workDir;
  private final RedisClient admin;
  private Process process;
  private boolean paused;

  private ThrowawayRedis(int port, Path workDir) {
    this.port = port;
    this.workDir = workDir;
    this.admin = RedisClient.create(RedisURI.create("127.0.0.1", port));
  }

  /** Starts a server on a free port; returns when it answers PING. */
  static ThrowawayRedis launch() {
    try {
      Path workDir = Files.createDirectories(Path.of("target", "throwaway-redis"));
      ThrowawayRedis redis = new ThrowawayRedis(freePort(), workDir);
      redis.start();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Options for a sink on this server: dedup on, 1 MiB entries, the given publish timeout. */
  RedisSinkOptions options(String uri, Duration publishTimeout) {
    return new RedisSinkOptions(
        "redis-throwaway", uri, null, true, Duration.ofMinutes(10), publishTimeout, 1 << 20);
  }

  @Override
  public Sink newSink(Duration publishTimeout) {
    return new RedisStreamsSink(options(uri(), publishTimeout));
  }

  @Override
  public String newDestination() {
    return "it:throwaway:" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  @Override
  public List<Received> readBack(String destination) {
    return admin(redis -> StreamEntries.read(redis, destination));
  }

  /** Runs {@code work} on a fresh administrative connection (the server may have restarted). */
  <T> T admin(Function<RedisCommands<String, String>, T> work) {
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      return work.apply(connection.sync());
    }
  }

  @Override
  public synchronized void start() {
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
                  "no",
                  "--dir",
                  workDir.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      workDir.resolve("throwaway-redis-" + port + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + REDIS_SERVER, e);
    }
    Process started = process;
    await("redis-server on port " + port + " answering PING")
        .atMost(READY_BOUND)
        .pollInterval(Duration.ofMillis(50))
        .failFast("redis-server exited (port taken?)", () -> !started.isAlive())
        .until(this::answersPing);
  }

  @Override
  public synchronized void stop() {
    if (paused) {
      resume(); // a stopped process would not act on SIGTERM before SIGCONT
    }
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  @Override
  public boolean canPause() {
    return true;
  }

  @Override
  public synchronized void pause() {
    signal("-STOP");
    paused = true;
  }

  @Override
  public synchronized void resume() {
    signal("-CONT");
    paused = false;
  }

  private void signal(String signal) {
    if (process == null) {
      throw new IllegalStateException("throwaway redis is not running");
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
  public synchronized void close() {
    try {
      stop();
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
