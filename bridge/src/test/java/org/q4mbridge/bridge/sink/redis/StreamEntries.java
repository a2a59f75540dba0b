package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.q4mbridge.bridge.sink.SinkContract.Received;

/** Reads a stream the way a worker would see it, for assertions. */
final class StreamEntries {
  private StreamEntries() {}

  /** Every entry of {@code stream}, oldest first, as the contract's {@link Received}. */
  static List<Received> read(RedisCommands<String, String> redis, String stream) {
    return raw(redis, stream).stream().map(StreamEntries::received).toList();
  }

  /** Every entry of {@code stream}, oldest first, with its id and fields in stored order. */
  static List<StreamMessage<String, String>> raw(
      RedisCommands<String, String> redis, String stream) {
    return redis.xrange(stream, Range.create("-", "+"));
  }

  private static Received received(StreamMessage<String, String> entry) {
    Map<String, String> fields = new LinkedHashMap<>(entry.getBody());
    String key = fields.remove(RedisStreamsSink.KEY_FIELD);
    return new Received(key, null, fields);
  }
}
