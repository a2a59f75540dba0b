package org.q4mbridge.q4m;

import java.util.Collection;
import java.util.List;

/**
 * Rows taken from a queue by one {@link QueueSource#poll}, owned until settled.
 *
 * <p>A claim is settled once: rows acknowledged are removed, rows dead-lettered are copied to the
 * dead-letter table with their reason and removed, and every other row returns to the queue at its
 * original position (same row id, delivered before newer rows). On the emulated backend all three
 * happen in one transaction. Closing an unsettled claim releases every row.
 *
 * <p>Threading: confined to the consumer thread that polled it.
 */
public interface Claim extends AutoCloseable {

  /** The claimed rows in queue order; empty when the poll timed out. */
  List<QueueRow> rows();

  default boolean isEmpty() {
    return rows().isEmpty();
  }

  /**
   * Settles the claim.
   *
   * @param acked row ids to remove (their messages were confirmed)
   * @param deadLetters rows to move to the dead-letter table
   * @throws QueueSourceException when the server could not apply the outcome; then nothing was
   *     acknowledged (emulated) or the rows not yet ended will come back (native), so a row may be
   *     delivered again but never lost
   */
  void settle(Collection<Long> acked, Collection<DeadLetter> deadLetters)
      throws QueueSourceException;

  /** Returns every row to the queue. */
  default void releaseAll() throws QueueSourceException {
    settle(List.of(), List.of());
  }

  /** Releases the rows if the claim was not settled; never throws. Idempotent. */
  @Override
  void close();
}
