package org.q4mbridge.q4m.server;

/**
 * What a {@link Q4mServer} reports while it runs, for a metrics registry: connections, statements
 * and Q4M function calls. Every method has a no-op default; {@link #NONE} reports nothing.
 *
 * <p>Methods are called from the connection threads, concurrently, and must not block or throw (an
 * exception is logged and ignored).
 */
public interface EndpointStats {
  /** Reports nothing. */
  EndpointStats NONE = new EndpointStats() {};

  /** A client logged in; its connection is now served. */
  default void connectionOpened() {}

  /** A served connection ended (client quit or vanished, idle timeout, server stop). */
  default void connectionClosed() {}

  /**
   * A connection was turned away before it was served.
   *
   * @param reason {@code too_many_connections}, {@code access_denied}, {@code handshake} (a
   *     malformed or unsupported handshake) or {@code backend} (the backend connection failed)
   */
  default void connectionRejected(String reason) {}

  /** A statement ran (text or prepared), whether or not it succeeded. */
  default void statementExecuted() {}

  /**
   * A statement called a Q4M function.
   *
   * @param function {@code queue_wait}, {@code queue_end}, {@code queue_abort}, {@code
   *     queue_rowid}, {@code queue_set_srcid}, {@code queue_stats} or {@code queue_compact}
   */
  default void queueFunctionCalled(String function) {}
}
