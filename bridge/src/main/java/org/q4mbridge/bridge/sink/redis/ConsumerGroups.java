package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Objects;
import org.q4mbridge.bridge.sink.SinkException;

/**
 * Creates the consumer groups workers read a stream with ({@code XGROUP CREATE … MKSTREAM}), on the
 * Redis a sink's options point at. Creating a group that exists already is fine, so scripts and the
 * CLI can run it on every deploy.
 *
 * <p>Blocking: every call waits for Redis, at most the options' publish timeout. Threading: one
 * connection, safe to share between threads. {@link #close()} releases it and the client's event
 * loops; idempotent, bounded.
 */
public final class ConsumerGroups implements AutoCloseable {

  /** Where a new group starts reading. */
  public enum StartAt {
    /** Only entries added after the group was created ({@code $}): the usual choice. */
    NEW_ENTRIES("$"),
    /** Every entry still in the stream ({@code 0}), e.g. for a group added to a live stream. */
    FIRST_ENTRY("0");

    private final String offset;

    StartAt(String offset) {
      this.offset = offset;
    }
  }

  private final RedisSinkOptions options;
  private final LettuceClient client;
  private final StatefulRedisConnection<String, String> connection;

  private ConsumerGroups(
      RedisSinkOptions options,
      LettuceClient client,
      StatefulRedisConnection<String, String> connection) {
    this.options = options;
    this.client = client;
    this.connection = connection;
  }

  /**
   * Connects to the Redis of {@code options} (blocking, at most the publish timeout).
   *
   * @throws SinkException {@code redis-main: cannot connect to redis://…: <reason>}
   */
  public static ConsumerGroups connect(RedisSinkOptions options) throws SinkException {
    LettuceClient client = LettuceClient.create(Objects.requireNonNull(options, "options"));
    try {
      return new ConsumerGroups(options, client, client.connect());
    } catch (SinkException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * Creates {@code group} on {@code stream}, creating an empty stream when there is none.
   *
   * @return true when the group was created, false when it existed already (its position is left
   *     alone)
   * @throws SinkException when the key holds something other than a stream, or Redis refused
   */
  public boolean create(String stream, String group, StartAt start) throws SinkException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(start, "start");
    RedisCommands<String, String> redis = connection.sync();
    try {
      redis.xgroupCreate(
          StreamOffset.from(stream, start.offset), group, XGroupCreateArgs.Builder.mkstream());
      return true;
    } catch (RedisCommandExecutionException e) {
      String code = RedisStreamsSink.errorCode(e.getMessage());
      if ("BUSYGROUP".equals(code)) {
        return false;
      }
      if ("WRONGTYPE".equals(code)) {
        throw new SinkException(
            options.name()
                + ": key '"
                + stream
                + "' is "
                + RedisStreamsSink.article(typeOf(redis, stream))
                + ", expected a stream",
            e);
      }
      throw failure(stream, group, e);
    } catch (RedisException e) {
      throw failure(stream, group, e);
    }
  }

  private SinkException failure(String stream, String group, RedisException e) {
    return new SinkException(
        options.name()
            + ": cannot create consumer group '"
            + group
            + "' on '"
            + stream
            + "': "
            + client.reason(e),
        e);
  }

  private static String typeOf(RedisCommands<String, String> redis, String key) {
    try {
      return redis.type(key);
    } catch (RedisException e) {
      return "value of another type";
    }
  }

  /** Closes the connection and the client; idempotent, bounded to a few seconds. */
  @Override
  public void close() {
    client.close();
  }
}
