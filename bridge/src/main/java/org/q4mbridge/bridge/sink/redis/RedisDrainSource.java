package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.q4mbridge.bridge.sink.DrainSource;
import org.q4mbridge.bridge.sink.SinkException;

/**
 * Drain-back from a Redis stream through the workers' consumer group: entries not yet delivered to
 * any worker ({@code XREADGROUP … >}), entries pending on a worker for longer than {@code idle}
 * ({@code XAUTOCLAIM}: a worker that died with them), and this drainer's own pending entries from
 * an interrupted earlier run. {@link #done} acknowledges and deletes the entries, so no worker sees
 * them afterwards.
 *
 * <p>Not thread-safe; one drain-back at a time.
 */
public final class RedisDrainSource implements DrainSource {
  /** The consumer name drain-back uses inside the workers' group. */
  public static final String CONSUMER = "q4m-bridge-drain-back";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> conn;
  private final RedisCommands<String, String> redis;
  private final String stream;
  private final String group;
  private final Duration idle;
  private final String endId;
  private String claimCursor = "0-0";
  private boolean ownPendingDone;
  private boolean claimDone;
  private boolean fresh;

  public RedisDrainSource(String uri, String stream, String group, Duration idle)
      throws SinkException {
    try {
      this.client = RedisClient.create(RedisURI.create(uri));
      this.conn = client.connect();
    } catch (RedisException | IllegalArgumentException e) {
      throw new SinkException("cannot connect to Redis for drain-back: " + e.getMessage(), e);
    }
    this.redis = conn.sync();
    this.stream = stream;
    this.group = group;
    this.idle = idle;
    try {
      boolean known =
          redis.xinfoGroups(stream).stream()
              .anyMatch(g -> g instanceof List<?> l && l.contains(group));
      if (!known) {
        close();
        throw new SinkException(
            "stream '"
                + stream
                + "' has no consumer group '"
                + group
                + "' (the workers' group; see --group)");
      }
      // Entries added after this point are not drained: if something still publishes to the
      // stream, drain-back must not chase it forever.
      List<Object> info = redis.xinfoStream(stream);
      int i = info.indexOf("last-generated-id");
      this.endId = i >= 0 ? String.valueOf(info.get(i + 1)) : "0-0";
    } catch (RedisException e) {
      close();
      throw new SinkException("stream '" + stream + "': " + e.getMessage(), e);
    }
  }

  private static boolean after(String id, String end) {
    String[] a = id.split("-");
    String[] b = end.split("-");
    long ms = Long.parseLong(a[0]) - Long.parseLong(b[0]);
    return ms > 0 || (ms == 0 && Long.parseLong(a[1]) > Long.parseLong(b[1]));
  }

  @Override
  public List<Drained> take(int max) throws SinkException {
    try {
      Consumer<String> me = Consumer.from(group, CONSUMER);
      if (!ownPendingDone) {
        List<StreamMessage<String, String>> own =
            redis.xreadgroup(
                me, XReadArgs.Builder.count(max), XReadArgs.StreamOffset.from(stream, "0"));
        if (!own.isEmpty()) {
          return convert(own);
        }
        ownPendingDone = true;
      }
      // XAUTOCLAIM walks the pending list a page at a time; pages with nothing idle enough are
      // skipped in a loop (the cursor returns to 0-0 at the end), not by recursion.
      while (!claimDone) {
        ClaimedMessages<String, String> claimed =
            redis.xautoclaim(
                stream,
                XAutoClaimArgs.Builder.xautoclaim(me, idle.toMillis(), claimCursor).count(max));
        claimCursor = claimed.getId();
        if ("0-0".equals(claimCursor)) {
          claimDone = true;
        }
        if (!claimed.getMessages().isEmpty()) {
          return convert(claimed.getMessages());
        }
      }
      return convert(
          redis.xreadgroup(
              me, XReadArgs.Builder.count(max), XReadArgs.StreamOffset.lastConsumed(stream)));
    } catch (RedisException e) {
      throw new SinkException("drain-back read from '" + stream + "': " + e.getMessage(), e);
    }
  }

  private static List<Drained> convert(List<StreamMessage<String, String>> in) {
    List<Drained> out = new ArrayList<>(in.size());
    for (StreamMessage<String, String> m : in) {
      Map<String, String> fields = new LinkedHashMap<>(m.getBody());
      String key = fields.remove(RedisStreamsSink.KEY_FIELD);
      String body = fields.get(RedisStreamsSink.BODY_FIELD);
      out.add(new Drained(m.getId(), key, fields, body));
    }
    return out;
  }

  @Override
  public void done(List<Drained> messages) throws SinkException {
    if (messages.isEmpty()) {
      return;
    }
    String[] ids = messages.stream().map(Drained::brokerId).toArray(String[]::new);
    try {
      redis.xack(stream, group, ids);
      redis.xdel(stream, ids);
    } catch (RedisException e) {
      throw new SinkException("drain-back ack on '" + stream + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (conn != null) {
        conn.close();
      }
    } finally {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
