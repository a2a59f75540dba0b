package org.q4mbridge.bridge.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams {@code q4m-bench:<scenario>} on Redis, with the sink's defaults (dedup on). */
final class RedisTarget implements SinkTarget {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTarget.class);

  private final String uri;
  private final String prefix;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisTarget(String uri, String prefix) {
    this.uri = uri;
    this.prefix = prefix;
    this.client = RedisClient.create(uri);
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "cannot connect to Redis at " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public SinkKind kind() {
    return SinkKind.REDIS;
  }

  @Override
  public String sinkYaml() {
    return "{ type: redis-streams, uri: " + SinkTarget.quote(uri) + " }";
  }

  @Override
  public String destination(String scenario) {
    return prefix + ":" + scenario;
  }

  @Override
  public void prepare(String destination) {
    delete(destination);
  }

  @Override
  public void cleanup(String destination) {
    try {
      delete(destination);
    } catch (RuntimeException e) {
      LOG.warn("could not delete Redis stream {}: {}", destination, e.getMessage());
    }
  }

  /**
   * Deletes the stream and the dedup keys the sink set for it: they would make a later run with the
   * same row ids skip its XADDs and look faster than it is.
   */
  private void delete(String stream) {
    RedisCommands<String, String> r = connection.sync();
    r.unlink(stream);
    ScanArgs match = ScanArgs.Builder.matches("q4m-bridge:dedup:{" + stream + "}:*").limit(5000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = r.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        r.unlink(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public String describe() {
    for (String line : connection.sync().info("server").split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return "Redis " + line.substring("redis_version:".length()).trim();
      }
    }
    return "Redis";
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
