package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.q4mbridge.bridge.sink.ShadowReader;
import org.q4mbridge.bridge.sink.SinkException;

/**
 * Reads the streams a Redis sink publishes to through a consumer group of the bridge's own ({@code
 * XREADGROUP … >}, then {@code XACK}), so the workers' groups keep their positions and pending
 * lists. The group is created with {@code XGROUP CREATE <stream> <group> $ MKSTREAM}: it sees
 * entries added from its creation on, and, once created, everything added while the bridge was
 * down. Entries keep their fields as the sink wrote them.
 *
 * <p>Threading and blocking as {@link ShadowReader}: a read blocks in Redis ({@code BLOCK}) for at
 * most its wait; the connection's command timeout is the wait plus the sink's publish timeout.
 */
public final class RedisShadowReader implements ShadowReader {
  /** The consumer name inside the verify group (one reader per sink and daemon). */
  public static final String CONSUMER = "q4m-bridge";

  /** Longest {@code BLOCK} of one read; the command timeout is derived from it. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(2);

  private static final int COUNT = 500;

  private final RedisSinkOptions options;
  private final List<String> streams;
  private final String group;
  private final Set<String> created = new LinkedHashSet<>();
  private final Object lifecycle = new Object();
  private volatile LettuceClient client;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  /**
   * @param sink the options of the sink whose streams are read
   * @param streams the streams it publishes to
   * @param group the bridge's consumer group
   */
  public RedisShadowReader(RedisSinkOptions sink, Set<String> streams, String group) {
    Objects.requireNonNull(sink, "sink");
    // Blocking reads need a command timeout beyond their BLOCK time.
    this.options =
        new RedisSinkOptions(
            sink.name(),
            sink.uri(),
            null,
            false,
            null,
            sink.publishTimeout().plus(MAX_WAIT),
            sink.maxMessageBytes());
    this.streams = List.copyOf(streams);
    this.group = Objects.requireNonNull(group, "group");
    if (this.streams.isEmpty()) {
      throw new IllegalArgumentException(sink.name() + ": no stream to read");
    }
  }

  @Override
  public void open() throws SinkException {
    synchronized (lifecycle) {
      if (closed) {
        throw new SinkException(options.name() + ": shadow reader is closed");
      }
      if (connection == null) {
        LettuceClient c = LettuceClient.create(options);
        try {
          connection = c.connect();
          client = c;
        } catch (SinkException | RuntimeException e) {
          c.close();
          throw e;
        }
      }
    }
    if (created.size() < streams.size()) {
      try (ConsumerGroups groups = ConsumerGroups.connect(options)) {
        for (String s : streams) {
          if (!created.contains(s)) {
            groups.create(s, group, ConsumerGroups.StartAt.NEW_ENTRIES);
            created.add(s);
          }
        }
      }
    }
  }

  @Override
  public List<Delivery> read(Duration wait) throws SinkException {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw new SinkException(options.name() + ": shadow reader is not open");
    }
    long block = Math.max(1, Math.min(wait.toMillis(), MAX_WAIT.toMillis()));
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[streams.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = XReadArgs.StreamOffset.lastConsumed(streams.get(i));
    }
    try {
      RedisCommands<String, String> redis = c.sync();
      List<StreamMessage<String, String>> got =
          redis.xreadgroup(
              Consumer.from(group, CONSUMER), XReadArgs.Builder.count(COUNT).block(block), offsets);
      List<Delivery> out = new ArrayList<>(got.size());
      for (StreamMessage<String, String> m : got) {
        Map<String, String> fields = new LinkedHashMap<>(m.getBody());
        String key = fields.remove(RedisStreamsSink.KEY_FIELD);
        out.add(new Delivery(m.getStream(), m.getId(), key, fields, null));
      }
      return out;
    } catch (RedisException e) {
      throw failure("read", e);
    }
  }

  @Override
  public void ack(List<Delivery> deliveries) throws SinkException {
    if (deliveries.isEmpty()) {
      return;
    }
    Map<String, List<String>> byStream = new LinkedHashMap<>();
    for (Delivery d : deliveries) {
      byStream.computeIfAbsent(d.destination(), k -> new ArrayList<>()).add(d.brokerId());
    }
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw new SinkException(options.name() + ": shadow reader is not open");
    }
    try {
      for (Map.Entry<String, List<String>> e : byStream.entrySet()) {
        c.sync().xack(e.getKey(), group, e.getValue().toArray(String[]::new));
      }
    } catch (RedisException e) {
      throw failure("ack", e);
    }
  }

  private SinkException failure(String what, RedisException e) {
    if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
      // The stream or the group was deleted: create it again when the reader reopens.
      created.clear();
    }
    LettuceClient c = client;
    String reason = c == null ? String.valueOf(e.getMessage()) : c.reason(e);
    return new SinkException(
        options.name() + ": verify group '" + group + "': " + what + " failed: " + reason, e);
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      LettuceClient c = client;
      client = null;
      connection = null;
      if (c != null) {
        c.close();
      }
    }
  }
}
