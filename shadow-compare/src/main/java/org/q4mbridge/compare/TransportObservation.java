package org.q4mbridge.compare;

import java.time.Instant;
import java.util.Objects;

/**
 * What the bridge's shadow consumer saw arrive at a sink's destination ({@code
 * q4m_transport_observation}): one per delivery.
 *
 * @param queue {@code schema.table} the message came from (from the message itself)
 * @param sink the sink whose destination was read
 * @param destination the stream, queue or routing key read
 * @param messageKey the message key carried by the message
 * @param correlationKey the correlation key carried by the message
 * @param contentDigest SHA-256 hex of the body as received
 * @param observedAt when it was read
 */
public record TransportObservation(
    String queue,
    String sink,
    String destination,
    String messageKey,
    String correlationKey,
    String contentDigest,
    Instant observedAt) {
  public TransportObservation {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(messageKey, "messageKey");
    Objects.requireNonNull(correlationKey, "correlationKey");
    Objects.requireNonNull(contentDigest, "contentDigest");
    Objects.requireNonNull(observedAt, "observedAt");
  }
}
