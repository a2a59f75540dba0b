package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Matches what the bridge forwarded (ledger) with what its shadow consumer observed, per sink and
 * message key. Pure and thread-safe.
 */
public final class TransportReconciler {
  private final Duration lateAfter;

  /**
   * @param lateAfter a delivery observed more than this after its first publish is late
   */
  public TransportReconciler(Duration lateAfter) {
    this.lateAfter = Objects.requireNonNull(lateAfter, "lateAfter");
  }

  /** One finding per (sink, message key) found in either list, ordered by sink then key. */
  public static TransportReconciliation reconcile(
      List<ForwardedMessage> forwarded, List<TransportObservation> observed, Duration lateAfter) {
    TransportReconciler r = new TransportReconciler(lateAfter);
    Map<String, List<ForwardedMessage>> f = new TreeMap<>();
    Map<String, List<TransportObservation>> o = new TreeMap<>();
    TreeMap<String, String[]> keys = new TreeMap<>();
    for (ForwardedMessage m : forwarded) {
      String k = m.sink() + '\u0000' + m.messageKey();
      f.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
      keys.put(k, new String[] {m.sink(), m.messageKey()});
    }
    for (TransportObservation m : observed) {
      String k = m.sink() + '\u0000' + m.messageKey();
      o.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
      keys.put(k, new String[] {m.sink(), m.messageKey()});
    }
    List<TransportFinding> out = new ArrayList<>(keys.size());
    for (Map.Entry<String, String[]> e : keys.entrySet()) {
      out.add(
          r.classify(
              e.getValue()[0],
              e.getValue()[1],
              f.getOrDefault(e.getKey(), List.of()),
              o.getOrDefault(e.getKey(), List.of())));
    }
    return new TransportReconciliation(out);
  }

  /** The finding for one message on one sink (at least one row in either list). */
  public TransportFinding classify(
      String sink,
      String messageKey,
      List<ForwardedMessage> forwarded,
      List<TransportObservation> observed) {
    if (forwarded.isEmpty() && observed.isEmpty()) {
      throw new IllegalArgumentException(
          sink + " " + messageKey + " has neither forward nor delivery");
    }
    ForwardedMessage first =
        forwarded.stream().min(Comparator.comparing(ForwardedMessage::forwardedAt)).orElse(null);
    TransportObservation seen =
        observed.stream().min(Comparator.comparing(TransportObservation::observedAt)).orElse(null);
    if (first == null) {
      return finding(
          sink, messageKey, TransportCategory.UNEXPECTED, forwarded, observed, null, seen);
    }
    if (seen == null) {
      boolean confirmed = forwarded.stream().anyMatch(ForwardedMessage::confirmed);
      TransportCategory c = confirmed ? TransportCategory.MISSING : TransportCategory.UNCONFIRMED;
      return finding(sink, messageKey, c, forwarded, observed, first, null);
    }
    if (observed.size() > 1) {
      return finding(
          sink, messageKey, TransportCategory.DUPLICATED, forwarded, observed, first, seen);
    }
    // A resend carries the same body, so any forwarded digest is the expected one.
    boolean intact =
        forwarded.stream().anyMatch(m -> m.contentDigest().equalsIgnoreCase(seen.contentDigest()));
    if (!intact) {
      return finding(
          sink, messageKey, TransportCategory.PAYLOAD_DIFFERS, forwarded, observed, first, seen);
    }
    Duration latency = Duration.between(first.forwardedAt(), seen.observedAt());
    TransportCategory c =
        latency.compareTo(lateAfter) > 0 ? TransportCategory.LATE : TransportCategory.DELIVERED;
    return finding(sink, messageKey, c, forwarded, observed, first, seen);
  }

  private static TransportFinding finding(
      String sink,
      String key,
      TransportCategory c,
      List<ForwardedMessage> forwarded,
      List<TransportObservation> observed,
      ForwardedMessage first,
      TransportObservation seen) {
    Duration latency =
        first != null && seen != null
            ? Duration.between(first.forwardedAt(), seen.observedAt())
            : null;
    Instant firstSeen = first != null ? first.forwardedAt() : seen.observedAt();
    return new TransportFinding(
        sink,
        key,
        c,
        forwarded.size(),
        observed.size(),
        latency,
        first == null ? null : first.contentDigest(),
        seen == null ? null : seen.contentDigest(),
        firstSeen);
  }
}
