package org.q4mbridge.bridge.sink;

import java.util.List;
import java.util.Map;

/**
 * Messages a broker still holds that no new worker has taken, for drain-back on rollback (DESIGN.md
 * §6.4). {@link #take} hands out messages; {@link #done} removes them from the broker once they are
 * safely back in the legacy table. A message taken but not done (crash) is handed out again by the
 * next drain-back — the table side deduplicates on the key.
 */
public interface DrainSource extends AutoCloseable {

  /** A message taken from the broker. */
  record Drained(String brokerId, String key, Map<String, String> fields, String body) {}

  /** Up to {@code max} messages; empty when nothing is left. */
  List<Drained> take(int max) throws SinkException;

  /** Removes the messages from the broker. */
  void done(List<Drained> messages) throws SinkException;

  @Override
  void close();
}
