package org.q4mbridge.bridge.it;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis the integration tests share (127.0.0.1:6379; {@code Q4M_TEST_REDIS_URI} overrides).
 * Scenarios that need not stop Redis use it with a stream name of their own and remove the stream
 * and its dedup keys at the end ({@link #deleteStream}), so parallel builds never meet.
 */
public final class SharedRedis implements AutoCloseable {
  /** The shared server's URI. */
  public static final String URI =
      System.getenv().getOrDefault("Q4M_TEST_REDIS_URI", "redis://127.0.0.1:6379");

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private SharedRedis() {
    client = RedisClient.create(RedisURI.create(URI));
    connection = client.connect();
  }

  /** Connects to the shared server. */
  public static SharedRedis connect() {
    return new SharedRedis();
  }

  /** A stream name nobody else uses: {@code it:<scenario>:<random>}. */
  public static String newStream(String scenario) {
    return "it:"
        + scenario.toLowerCase(Locale.ROOT)
        + ":"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  public RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** Removes {@code stream} and the bridge's dedup keys for it. */
  public void deleteStream(String stream) {
    deleteStream(commands(), stream);
  }

  /** Removes {@code stream} and the bridge's dedup keys for it, on any server. */
  public static void deleteStream(RedisCommands<String, String> redis, String stream) {
    redis.unlink(stream);
    // The dedup key of a message is q4m-bridge:dedup:{<stream>}:<message key> (DedupScript).
    ScanArgs match = ScanArgs.Builder.matches("q4m-bridge:dedup:{" + stream + "}:*").limit(5000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        redis.unlink(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
