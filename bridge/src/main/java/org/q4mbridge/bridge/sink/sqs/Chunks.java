package org.q4mbridge.bridge.sink.sqs;

import java.util.ArrayList;
import java.util.List;

/** Splits encoded entries for one queue into {@code SendMessageBatch} requests, keeping order. */
final class Chunks {
  /** SQS's limit on entries per {@code SendMessageBatch}. */
  static final int MAX_ENTRIES = 10;

  private Chunks() {}

  /**
   * Greedy, in order: a chunk closes when it has {@code maxEntries} entries or the next entry would
   * take its payload over {@code maxBytes}. An entry larger than {@code maxBytes} on its own gets a
   * chunk of its own (the encoder never lets one through, the server would refuse it).
   */
  static List<List<EntryEncoder.Encoded>> split(
      List<EntryEncoder.Encoded> entries, int maxEntries, long maxBytes) {
    List<List<EntryEncoder.Encoded>> chunks = new ArrayList<>();
    List<EntryEncoder.Encoded> current = new ArrayList<>(maxEntries);
    long bytes = 0;
    for (EntryEncoder.Encoded e : entries) {
      if (!current.isEmpty() && (current.size() >= maxEntries || bytes + e.bytes() > maxBytes)) {
        chunks.add(List.copyOf(current));
        current.clear();
        bytes = 0;
      }
      current.add(e);
      bytes += e.bytes();
    }
    if (!current.isEmpty()) {
      chunks.add(List.copyOf(current));
    }
    return chunks;
  }
}
