package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What transport verification found for one message on one sink.
 *
 * @param sink the sink
 * @param messageKey the message key
 * @param category the finding
 * @param forwarded ledger rows (publish attempts) of this message on this sink
 * @param observed deliveries seen by the shadow consumer
 * @param latency first delivery minus first publish; null when never both forwarded and observed
 * @param forwardedDigest the digest the ledger holds; null when never forwarded
 * @param observedDigest the digest of the first delivery; null when never observed
 * @param firstSeen the first forward, or the first observation when never forwarded
 */
public record TransportFinding(
    String sink,
    String messageKey,
    TransportCategory category,
    int forwarded,
    int observed,
    Duration latency,
    String forwardedDigest,
    String observedDigest,
    Instant firstSeen) {
  public TransportFinding {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(messageKey, "messageKey");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(firstSeen, "firstSeen");
  }
}
