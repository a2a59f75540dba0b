package org.q4mbridge.bridge.sink.rabbitmq;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.q4mbridge.bridge.sink.Verdict;

/**
 * The publishes of one channel incarnation that the broker has not answered yet, by publish
 * sequence number. A channel in confirm mode numbers its publishes 1, 2, 3, …; the broker answers
 * with basic.ack or basic.nack carrying that number as delivery tag, where {@code multiple=true}
 * answers every outstanding number up to and including the tag. An unroutable mandatory message
 * first comes back as basic.return (RabbitMQ sends it before the ack for the same message), which
 * settles it as rejected; the ack that follows finds nothing left to settle.
 *
 * <p>One tracker per channel incarnation: after a connection recovery the channel numbers its
 * publishes from 1 again, so numbers of the old incarnation must never meet those of the new one.
 * The old tracker is {@linkplain #close closed} (everything outstanding becomes Unknown) and a new
 * one takes over. A return names its incarnation and number in the {@value #PUBLISH_ID_HEADER}
 * header, so it can only ever settle the publish it belongs to.
 *
 * <p>Thread-safe: the publisher registers, the connection's reader thread acknowledges, the timer
 * forgets, any thread closes.
 */
final class ConfirmTracker {
  /** Header carrying {@code <incarnation>.<sequence number>} of a publish, to correlate returns. */
  static final String PUBLISH_ID_HEADER = "q4m-bridge-publish-id";

  static final String NACK_REASON =
      "broker nacked the message (a queue refused it, e.g. x-overflow reject-publish, or the"
          + " broker could not store it)";

  /** One message waiting for the broker's answer. */
  record Pending(PendingBatch batch, int index, String key) {}

  private final long incarnation;
  private final ConcurrentSkipListMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
  private volatile String closedReason;

  ConfirmTracker(long incarnation) {
    this.incarnation = incarnation;
  }

  long incarnation() {
    return incarnation;
  }

  /** The value of {@link #PUBLISH_ID_HEADER} for the publish numbered {@code seq}. */
  String publishId(long seq) {
    return incarnation + "." + seq;
  }

  /** Why this tracker was closed, or null while it is open. */
  String closedReason() {
    return closedReason;
  }

  /**
   * Registers a publish before it is sent (the answer can arrive before basicPublish returns).
   *
   * @return false when the tracker is closed: the publish is settled Unknown and must not be sent
   */
  boolean track(long seq, Pending pending) {
    outstanding.put(seq, pending);
    String reason = closedReason;
    // Checked after the put: a close running concurrently either drained this entry or is seen.
    if (reason != null) {
      if (outstanding.remove(seq, pending)) {
        pending.batch().settle(pending.index(), Verdict.unknown(reason));
      }
      return false;
    }
    return true;
  }

  /** Drops a publish that never reached the broker; its caller settles it. */
  void untrack(long seq) {
    outstanding.remove(seq);
  }

  /** basic.ack: the broker took responsibility for the message(s). */
  void ack(long deliveryTag, boolean multiple) {
    answer(deliveryTag, multiple, Verdict.CONFIRMED);
  }

  /** basic.nack: the broker could not take the message(s); sending again may well work. */
  void nack(long deliveryTag, boolean multiple) {
    answer(deliveryTag, multiple, Verdict.rejected(NACK_REASON, true));
  }

  private void answer(long deliveryTag, boolean multiple, Verdict verdict) {
    if (!multiple) {
      Pending p = outstanding.remove(deliveryTag);
      if (p != null) {
        p.batch().settleFromBroker(p.index(), verdict);
      }
      return;
    }
    Map.Entry<Long, Pending> e;
    while ((e = outstanding.firstEntry()) != null && e.getKey() <= deliveryTag) {
      if (outstanding.remove(e.getKey(), e.getValue())) {
        e.getValue().batch().settleFromBroker(e.getValue().index(), verdict);
      }
    }
  }

  /**
   * basic.return: the broker could not route a mandatory message. Settles it as a non-retriable
   * rejection; sending it again goes to the same nowhere until an operator binds a queue.
   *
   * @param publishId the {@link #PUBLISH_ID_HEADER} of the returned message (null when missing)
   * @param messageId its message-id (the message key), checked as a second safeguard
   */
  void returned(
      String publishId,
      String messageId,
      int replyCode,
      String replyText,
      String exchange,
      String routingKey) {
    long seq = sequenceOf(publishId);
    if (seq < 0) {
      return; // not ours, or from an earlier incarnation whose publishes are settled already
    }
    Pending p = outstanding.get(seq);
    if (p == null || !p.key().equals(messageId) || !outstanding.remove(seq, p)) {
      return;
    }
    p.batch()
        .settleFromBroker(
            p.index(),
            Verdict.rejected(unroutable(replyCode, replyText, exchange, routingKey), false));
  }

  static String unroutable(int replyCode, String replyText, String exchange, String routingKey) {
    String where =
        exchange.isEmpty()
            ? "the default exchange has no queue named '" + routingKey + "'"
            : "exchange '" + exchange + "' has no queue bound for routing key '" + routingKey + "'";
    return "unroutable: " + where + " (" + replyCode + " " + replyText + ")";
  }

  private long sequenceOf(String publishId) {
    if (publishId == null) {
      return -1;
    }
    int dot = publishId.indexOf('.');
    if (dot < 0 || !publishId.substring(0, dot).equals(Long.toString(incarnation))) {
      return -1;
    }
    try {
      return Long.parseLong(publishId.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Forgets the publishes of a batch that timed out, so late answers find nothing. */
  void forget(PendingBatch batch) {
    outstanding.values().removeIf(p -> p.batch() == batch);
  }

  /**
   * The channel incarnation is gone (connection lost, channel closed, sink closed): nothing
   * outstanding will be answered any more. Each is settled Unknown — the broker may or may not have
   * the message, and the pump's resend is safe because the message key deduplicates. Idempotent;
   * the first reason wins.
   */
  void close(String reason) {
    if (closedReason == null) {
      closedReason = reason;
    }
    Verdict unknown = Verdict.unknown(closedReason);
    Map.Entry<Long, Pending> e;
    while ((e = outstanding.pollFirstEntry()) != null) {
      e.getValue().batch().settleFromBroker(e.getValue().index(), unknown);
    }
  }

  /** Publishes not answered yet. */
  int outstanding() {
    return outstanding.size();
  }
}
