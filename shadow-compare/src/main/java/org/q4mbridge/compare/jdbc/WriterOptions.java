package org.q4mbridge.compare.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a background writer batches.
 *
 * @param capacity rows queued in memory at most; when full, new rows are dropped and counted
 * @param maxBatch rows per INSERT statement at most
 * @param maxDelay a row waits at most this long for companions before its batch is written
 * @param closeTimeout {@code close()} waits at most this long for the queue to be written
 * @param maxAttempts a batch that fails this many times in a row is given up (counted as failed)
 */
public record WriterOptions(
    int capacity, int maxBatch, Duration maxDelay, Duration closeTimeout, int maxAttempts) {
  /** 10,000 rows, 500 per INSERT, 200 ms delay, 10 s to close, 5 attempts. */
  public static final WriterOptions DEFAULT =
      new WriterOptions(10_000, 500, Duration.ofMillis(200), Duration.ofSeconds(10), 5);

  public WriterOptions {
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (capacity < 1 || maxBatch < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "capacity, maxBatch and maxAttempts must be positive: " + this);
    }
    if (maxDelay.isNegative() || closeTimeout.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative: " + this);
    }
  }
}
