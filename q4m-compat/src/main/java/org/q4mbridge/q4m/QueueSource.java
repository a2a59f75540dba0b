package org.q4mbridge.q4m;

import java.time.Duration;

/**
 * One consumer's handle on a Q4M queue: it claims rows and settles them.
 *
 * <p>Threading: a source is used by one consumer thread at a time ({@link #poll} and the claim it
 * returns); {@link #wakeup()} and {@link #close()} may be called from any thread. Each source owns
 * its own server connection, never a pooled one, because ownership is per connection.
 *
 * <p>Stop: {@link #close()} is idempotent; rows of an unsettled claim go back to the queue (the
 * server does that when the owning connection or transaction ends), so closing never loses a row.
 */
public interface QueueSource extends AutoCloseable {

  /** The queue this source consumes. */
  TableRef queue();

  /**
   * Claims up to {@code max} rows, oldest first, waiting at most {@code timeout} for the first one.
   * Returns early with an empty claim after {@link #wakeup()}. The previous claim must have been
   * settled or closed.
   *
   * @throws QueueSourceException when the server cannot be reached or the table is not a queue; no
   *     row is owned after such an exception
   */
  Claim poll(int max, Duration timeout) throws QueueSourceException, InterruptedException;

  /** Makes a {@link #poll} in progress (or the next one) return promptly. */
  void wakeup();

  /** Releases whatever is claimed and closes the connection. Idempotent. */
  @Override
  void close();
}
