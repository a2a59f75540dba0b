package org.q4mbridge.compare;

import java.time.Instant;
import java.util.Objects;

/**
 * A ledger row: the bridge published a message to a sink ({@code q4m_ledger}).
 *
 * @param queue {@code schema.table} the row came from
 * @param messageKey {@code <schema>.<table>:<epoch>:<rowid>}
 * @param correlationKey the row's {@link CorrelationKeys correlation key}
 * @param contentDigest SHA-256 hex of the published body
 * @param phase {@code mirror}, {@code shadow} or {@code cutover}
 * @param sink the sink's name in the configuration
 * @param forwardedAt when it was published
 * @param confirmedAt when the sink confirmed it; null when it did not (rejected, timed out)
 */
public record ForwardedMessage(
    String queue,
    String messageKey,
    String correlationKey,
    String contentDigest,
    String phase,
    String sink,
    Instant forwardedAt,
    Instant confirmedAt) {
  public ForwardedMessage {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(messageKey, "messageKey");
    Objects.requireNonNull(correlationKey, "correlationKey");
    Objects.requireNonNull(contentDigest, "contentDigest");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(forwardedAt, "forwardedAt");
  }

  public boolean confirmed() {
    return confirmedAt != null;
  }
}
