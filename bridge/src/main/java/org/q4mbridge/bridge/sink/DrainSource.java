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

  /**
   * The stream-style fields of a body in the default envelope ({@code {"type":…,"payload":…}}):
   * {@code type}, and {@code payload} as text (JSON payloads re-serialised). Empty when the body is
   * not an envelope (a raw-column body).
   */
  static java.util.Map<String, String> envelopeFields(String body) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    if (body == null) {
      return out;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      if (n != null && n.isObject() && n.has("type") && n.has("payload")) {
        out.put("type", n.get("type").isNull() ? null : n.get("type").asText());
        com.fasterxml.jackson.databind.JsonNode p = n.get("payload");
        out.put("payload", p.isNull() ? null : p.isTextual() ? p.asText() : p.toString());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // not JSON: a raw body
    }
    return out;
  }
}
