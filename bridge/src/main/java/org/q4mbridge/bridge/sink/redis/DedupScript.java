package org.q4mbridge.bridge.sink.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Lua script that makes {@code XADD} idempotent per message key, for a run of messages to one
 * stream in one call. Redis 7 has no idempotent {@code XADD}, and a marker set by one command and
 * an entry added by another could be cut in half by a disconnect; a script runs atomically, so each
 * marker and its entry appear together or not at all.
 *
 * <p>One call carries up to {@link #MAX_MESSAGES} messages: Redis parses, looks up and starts one
 * script instead of one per message, and the client builds one command instead of one per message —
 * on a 2-core machine shared with MariaDB that is what the pump's throughput to Redis hinges on
 * (README "Tuning guide"). The bound keeps one call short (Redis runs nothing else meanwhile).
 *
 * <p>Contract: {@code KEYS[1]} = stream, {@code KEYS[1 + i]} = dedup key of message {@code i};
 * {@code ARGV[1]} = TTL of the dedup keys in ms, {@code ARGV[2]} = approximate MAXLEN or {@code ""}
 * for no trimming, then per message its field count {@code n} followed by {@code 2n} arguments
 * field, value, field, value… The reply has one string per message, in order: the new entry id when
 * the entry was added; {@code "="} + the entry id when the key was already there (the id the first
 * publish stored); {@code "!"} + the error reply when that message's command failed (e.g. {@code
 * WRONGTYPE}) — its marker is not set, so a later retry is not mistaken for a duplicate.
 *
 * <p>Under {@code maxmemory} a script without flags fails at its first write with {@code OOM}, and
 * so does every later write of the same call (nothing has been written yet): every message of the
 * call answers {@code "!OOM …"} and nothing is written.
 */
final class DedupScript {

  /** Prefix of the dedup keys; the stream name follows in braces, then the message key. */
  static final String KEY_PREFIX = "q4m-bridge:dedup:";

  /** Most messages in one call: about a millisecond of Redis's time at most. */
  static final int MAX_MESSAGES = 100;

  /** Most chars of fields and values in one call, unless a single message is larger. */
  static final long MAX_CHARS = 1L << 20;

  static final String TEXT =
      """
      -- q4m-bridge: idempotent XADD of a run of messages to one stream (see DedupScript.java)
      local stream, ttl, maxlen = KEYS[1], ARGV[1], ARGV[2]
      local replies = {}
      local a = 3
      for i = 2, #KEYS do
        local n = tonumber(ARGV[a])
        local first, last = a + 1, a + 2 * n
        a = last + 1
        local known = redis.pcall('GET', KEYS[i])
        local id
        if type(known) == 'table' and known.err then
          id = known
        elseif known then
          replies[i - 1] = '=' .. known
        elseif maxlen == '' then
          id = redis.pcall('XADD', stream, '*', unpack(ARGV, first, last))
        else
          id = redis.pcall('XADD', stream, 'MAXLEN', '~', maxlen, '*', unpack(ARGV, first, last))
        end
        if type(id) == 'table' and id.err then
          replies[i - 1] = '!' .. id.err
        elseif id then
          redis.call('SET', KEYS[i], id, 'PX', ttl)
          replies[i - 1] = id
        end
      end
      return replies
      """;

  /** What Redis calls the script in {@code EVALSHA}: the SHA-1 of its text, in hex. */
  static final String SHA = sha1(TEXT);

  private DedupScript() {}

  /**
   * {@code q4m-bridge:dedup:{<stream>}:<message key>}. The stream is part of the key because one
   * message may go to two streams of the same sink (the shadow stream), and each must get it once.
   * The braces make the stream the hash tag, so the dedup keys and the stream live in one slot, as
   * a script touching them all requires on a cluster.
   */
  static String dedupKey(String stream, String messageKey) {
    return KEY_PREFIX + "{" + stream + "}:" + messageKey;
  }

  /** {@code KEYS} of one call: the stream, then each message's dedup key. */
  static String[] keys(String stream, List<String> messageKeys) {
    String[] keys = new String[1 + messageKeys.size()];
    keys[0] = stream;
    for (int i = 0; i < messageKeys.size(); i++) {
      keys[i + 1] = dedupKey(stream, messageKeys.get(i));
    }
    return keys;
  }

  /** {@code ARGV} of one call: TTL, MAXLEN, then each message's field count and fields. */
  static String[] args(long ttlMillis, Long maxLen, List<Map<String, String>> messages) {
    int size = 2;
    for (Map<String, String> fields : messages) {
      size += 1 + 2 * fields.size();
    }
    String[] args = new String[size];
    args[0] = Long.toString(ttlMillis);
    args[1] = maxLen == null ? "" : Long.toString(maxLen);
    int i = 2;
    for (Map<String, String> fields : messages) {
      args[i++] = Integer.toString(fields.size());
      for (Map.Entry<String, String> field : fields.entrySet()) {
        args[i++] = field.getKey();
        args[i++] = field.getValue();
      }
    }
    return args;
  }

  /** What one message's reply means; see the class comment. */
  sealed interface Reply permits Added, Known, Failed {}

  /** The entry was added with this id. */
  record Added(String id) implements Reply {}

  /** The key was already there: the entry the first publish added. */
  record Known(String id) implements Reply {}

  /** Redis refused this message's command with this error reply. */
  record Failed(String error) implements Reply {}

  static Reply parse(Object reply) {
    String text =
        reply instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : String.valueOf(reply);
    if (text.startsWith("=")) {
      return new Known(text.substring(1));
    }
    if (text.startsWith("!")) {
      return new Failed(text.substring(1));
    }
    return new Added(text);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
