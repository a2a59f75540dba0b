package org.q4mbridge.bridge.sink;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A broker the pump publishes to. Lifecycle: construct (validated options, nothing connected) →
 * {@link #start()} (connect) → {@link #probe} (fail fast with a clear message) → {@link #publish}
 * any number of times → {@link #close()}.
 *
 * <p>Threading: {@link #publish} may be called concurrently by several consumer threads; an
 * implementation serialises internally where its client requires it. No method blocks longer than
 * the sink's configured timeouts.
 */
public interface Sink extends AutoCloseable {

  /** The sink's name from the configuration (e.g. {@code redis-main}). */
  String name();

  /** Connects. @throws SinkException with one clear line when the broker cannot be reached */
  void start() throws SinkException;

  /**
   * Checks that the broker answers and that each destination exists or can be created.
   *
   * @throws SinkException naming the destination and what is expected
   */
  void probe(Collection<String> destinations) throws SinkException;

  /**
   * Publishes a batch. The stage completes with exactly one verdict per message, in batch order; it
   * never completes exceptionally — a failure of the whole batch is a list of {@link
   * Verdict.Unknown} or {@link Verdict.Rejected}. Messages are pipelined: the batch costs about one
   * round trip, not one per message.
   */
  CompletionStage<List<Verdict>> publish(List<OutboundMessage> batch);

  /**
   * False while the sink knows it cannot accept messages (disconnected, broker blocked, memory
   * limit): the pump stops claiming rows instead of piling up failures.
   */
  boolean healthy();

  /** The largest body this sink accepts, in bytes; larger messages are rejected before sending. */
  long maxMessageBytes();

  /** Closes connections; idempotent; waits at most the sink's close timeout. */
  @Override
  void close();
}
