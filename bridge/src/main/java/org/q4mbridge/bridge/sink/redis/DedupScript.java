package org.q4mbridge.bridge.sink.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Lua script that makes {@code XADD} idempotent per message key. Redis 7 has no idempotent
 * {@code XADD}, and a {@code SET NX} followed by a separate {@code XADD} could be cut in half by a
 * disconnect; a script runs atomically, so the marker and the entry appear together or not at all.
 *
 * <p>Contract: {@code KEYS[1]} = dedup key, {@code KEYS[2]} = stream; {@code ARGV[1]} = TTL of the
 * dedup key in ms, {@code ARGV[2]} = approximate MAXLEN or {@code ""} for no trimming, {@code
 * ARGV[3..]} = field, value, field, value… Reply: {@code {1, <new entry id>}} when the entry was
 * added, {@code {0, <entry id>}} when the key was already there (the id the first publish stored).
 * When {@code XADD} fails (e.g. {@code WRONGTYPE}) the marker is deleted again before the error is
 * returned, so a later retry is not mistaken for a duplicate — scripts are not rolled back.
 *
 * <p>Under {@code maxmemory} the script fails at its first write ({@code SET}) with {@code OOM}, so
 * nothing is written (scripts without flags are checked at their first write command).
 */
final class DedupScript {

  /** Prefix of the dedup keys; the stream name follows in braces, then the message key. */
  static final String KEY_PREFIX = "q4m-bridge:dedup:";

  static final String TEXT =
      """
      -- q4m-bridge: idempotent XADD (see DedupScript.java)
      if not redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then
        return {0, redis.call('GET', KEYS[1])}
      end
      local id
      if ARGV[2] == '' then
        id = redis.pcall('XADD', KEYS[2], '*', unpack(ARGV, 3))
      else
        id = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
      end
      if type(id) == 'table' and id.err then
        redis.call('DEL', KEYS[1])
        return id
      end
      redis.call('SET', KEYS[1], id, 'PX', ARGV[1])
      return {1, id}
      """;

  /** What Redis calls the script in {@code EVALSHA}: the SHA-1 of its text, in hex. */
  static final String SHA = sha1(TEXT);

  private DedupScript() {}

  /**
   * {@code q4m-bridge:dedup:{<stream>}:<message key>}. The stream is part of the key because one
   * message may go to two streams of the same sink (the shadow stream), and each must get it once.
   * The braces make the stream the hash tag, so the dedup key and the stream live in one slot, as a
   * script touching both requires on a cluster.
   */
  static String dedupKey(String stream, String messageKey) {
    return KEY_PREFIX + "{" + stream + "}:" + messageKey;
  }

  static String[] keys(String stream, String messageKey) {
    return new String[] {dedupKey(stream, messageKey), stream};
  }

  static String[] args(long ttlMillis, Long maxLen, Map<String, String> fields) {
    String[] args = new String[2 + 2 * fields.size()];
    args[0] = Long.toString(ttlMillis);
    args[1] = maxLen == null ? "" : Long.toString(maxLen);
    int i = 2;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      args[i++] = field.getKey();
      args[i++] = field.getValue();
    }
    return args;
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
