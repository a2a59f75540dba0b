package org.q4mbridge.bridge.it;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Redis stream as a worker would read it, reduced to what the scenarios check: the message key
 * and the job number of every entry, in stream order.
 */
public final class StreamContents {
  private static final int CHUNK = 10_000;

  private final List<String> keys;
  private final List<Long> numbers;

  private StreamContents(List<String> keys, List<Long> numbers) {
    this.keys = keys;
    this.numbers = numbers;
  }

  /** Reads every entry of {@code stream} (XRANGE in chunks). */
  public static StreamContents read(RedisCommands<String, String> redis, String stream) {
    List<String> keys = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    String from = "-";
    while (true) {
      List<StreamMessage<String, String>> chunk =
          redis.xrange(stream, Range.create(from, "+"), Limit.from(CHUNK));
      for (StreamMessage<String, String> m : chunk) {
        Map<String, String> body = m.getBody();
        keys.add(body.get("key"));
        String payload = body.containsKey("payload") ? body.get("payload") : body.get("body");
        numbers.add(JobQueue.numberOf(payload));
      }
      if (chunk.size() < CHUNK) {
        return new StreamContents(keys, numbers);
      }
      from = "(" + chunk.get(chunk.size() - 1).getId();
    }
  }

  /** Entries in the stream. */
  public int size() {
    return keys.size();
  }

  /** Entries whose message key appeared earlier in the stream. */
  public int duplicateKeys() {
    return keys.size() - new HashSet<>(keys).size();
  }

  /** Entries whose job number appeared earlier in the stream. */
  public int duplicateNumbers() {
    return numbers.size() - new HashSet<>(numbers).size();
  }

  /** The distinct job numbers in the stream. */
  public Set<Long> numbers() {
    return new HashSet<>(numbers);
  }

  /** The distinct message keys in the stream. */
  public Set<String> keys() {
    return new HashSet<>(keys);
  }

  /** How often each job number appears, for the numbers that appear more than once. */
  public Map<Long, Integer> repeatedNumbers() {
    Map<Long, Integer> counts = new HashMap<>();
    numbers.forEach(n -> counts.merge(n, 1, Integer::sum));
    counts.values().removeIf(c -> c == 1);
    return counts;
  }

  /** The numbers of {@code 0 … total-1} that are neither in the stream nor in {@code elsewhere}. */
  public Set<Long> missing(long total, Set<Long> elsewhere) {
    Set<Long> seen = numbers();
    Set<Long> out = new TreeSet<>();
    for (long n = 0; n < total; n++) {
      if (!seen.contains(n) && !elsewhere.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }
}
