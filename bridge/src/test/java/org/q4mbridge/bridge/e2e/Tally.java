package org.q4mbridge.bridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker received, by job number (the {@code n} of the payload {@code {"n":…}}) and by
 * message key, so a test can tell lost jobs, duplicates that carry the same key (allowed where the
 * broker cannot dedupe) and duplicates with another key (never allowed). Thread-safe.
 */
final class Tally {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Integer, AtomicInteger> byNumber = new ConcurrentHashMap<>();
  private final Map<Integer, String> keyOf = new ConcurrentHashMap<>();
  private final List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> keyMismatches =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong messages = new AtomicLong();

  /** The job number in a body in the default envelope {@code {"type":…,"payload":{"n":…}}}. */
  static int numberInEnvelope(String body) {
    try {
      JsonNode n = JSON.readTree(body).path("payload").path("n");
      if (!n.isInt()) {
        throw new IllegalStateException("no payload.n in " + body);
      }
      return n.intValue();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  /** The job number in a payload text {@code {"n":…}} (a Redis entry's field {@code payload}). */
  static int numberInPayload(String payload) {
    try {
      return JSON.readTree(payload).path("n").intValue();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + payload, e);
    }
  }

  void record(int number, String key) {
    messages.incrementAndGet();
    String first = keyOf.putIfAbsent(number, key);
    if (first != null && !first.equals(key)) {
      keyMismatches.add("job " + number + ": keys " + first + " and " + key);
    }
    if (byNumber.computeIfAbsent(number, k -> new AtomicInteger()).incrementAndGet() > 1) {
      duplicates.add("job " + number + " again, key " + key);
    }
  }

  /** Distinct jobs received. */
  int distinct() {
    return byNumber.size();
  }

  /** Messages received, duplicates included. */
  long messages() {
    return messages.get();
  }

  List<String> duplicates() {
    return List.copyOf(duplicates);
  }

  /** Jobs received again under another key: a bug whatever the broker. */
  List<String> keyMismatches() {
    return List.copyOf(keyMismatches);
  }

  /** Job numbers in {@code [0, total)} never received (at most the first 20). */
  List<Integer> missing(int total) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < total && out.size() < 20; i++) {
      if (!byNumber.containsKey(i)) {
        out.add(i);
      }
    }
    return out;
  }
}
