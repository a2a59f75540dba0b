package org.q4mbridge.bridge.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads back what a sink published, through a reader of the bridge's own that leaves the workers'
 * reads alone (a Redis consumer group; for RabbitMQ, a queue bound beside the workers'): transport
 * verification's shadow consumer (DESIGN.md §6.2).
 *
 * <p>Lifecycle: construct (nothing connected) → {@link #open()} (connect, create the group or queue
 * where it is missing; again after a failure) → {@link #read} and {@link #ack} in a loop → {@link
 * #close()}.
 *
 * <p><b>Threading:</b> one thread at a time. {@link #read} blocks for at most its {@code wait} plus
 * the broker's answer; every other call is bounded by the client's timeouts. {@link #close()} is
 * idempotent and may be called from another thread to end a blocked read.
 */
public interface ShadowReader extends AutoCloseable {

  /**
   * One delivery of one message.
   *
   * @param destination the stream or verify queue it was read from
   * @param brokerId the broker's id, for {@link #ack}
   * @param key the message key the message carries, or null when it carries none
   * @param fields Redis entry fields other than {@code key} (empty for other brokers)
   * @param body the body as received, or null where the broker has fields instead (Redis)
   */
  record Delivery(
      String destination, String brokerId, String key, Map<String, String> fields, String body) {}

  /** Connects and creates the reader's group or queue where missing. Idempotent. */
  void open() throws SinkException;

  /** Deliveries that arrived, waiting up to {@code wait} for the first; empty when none came. */
  List<Delivery> read(Duration wait) throws SinkException;

  /** Acknowledges deliveries, so they are not handed out again. */
  void ack(List<Delivery> deliveries) throws SinkException;

  /** Disconnects; the group or queue stays, so what arrives meanwhile is read after a restart. */
  @Override
  void close();
}
