package org.q4mbridge.bridge.sink;

import java.util.Map;
import java.util.Objects;

/**
 * One job on its way to a broker, built from one queue row by the pump's mapping.
 *
 * @param key the message key {@code <schema>.<table>:<epoch>:<rowid>}: stable across redeliveries,
 *     so brokers and consumers can deduplicate on it (Redis dedup key, SQS FIFO deduplication id,
 *     AMQP {@code message-id})
 * @param destination the stream, queue or routing key
 * @param body the message body (by default the JSON envelope {@code {"type":…,"payload":…}})
 * @param fields Redis Streams entry fields (by default {@code type} and {@code payload}); insertion
 *     order is kept
 * @param attributes SQS message attributes / AMQP headers (by default {@code type})
 * @param groupId ordering group (SQS FIFO {@code MessageGroupId}); {@code null} when unordered
 * @param createdAtMillis when the job was created, if the row says so, else 0 (latency metrics)
 */
public record OutboundMessage(
    String key,
    String destination,
    String body,
    Map<String, String> fields,
    Map<String, String> attributes,
    String groupId,
    long createdAtMillis) {

  public OutboundMessage {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(body, "body");
    fields =
        fields == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    attributes =
        attributes == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  /** The same message sent to another destination (e.g. the shadow stream). */
  public OutboundMessage withDestination(String other) {
    return new OutboundMessage(key, other, body, fields, attributes, groupId, createdAtMillis);
  }

  /** Size of the body in UTF-8 bytes. */
  public int bodyBytes() {
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
