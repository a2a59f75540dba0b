package org.q4mbridge.bridge.pump;

import java.time.Duration;

/**
 * How often a row is tried before it is dead-lettered, and how long consumers back off after a
 * failed batch.
 *
 * @param maxAttempts publishing attempts per row (≥ 1)
 * @param minBackoff first backoff after a failure
 * @param maxBackoff longest backoff
 */
public record RetryPolicy(int maxAttempts, Duration minBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  public Backoff newBackoff() {
    return new Backoff(minBackoff, maxBackoff);
  }
}
