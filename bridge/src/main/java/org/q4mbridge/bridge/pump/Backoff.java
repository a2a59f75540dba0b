package org.q4mbridge.bridge.pump;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a random time in {@code
 * [min, min(max, min * 2^n)]}. Jitter spreads retries of many consumers so a recovering broker is
 * not hit by all of them at once. The waiting itself goes through a {@link Pause} so a stop request
 * ends it.
 *
 * <p>Not thread-safe: one instance per consumer loop.
 */
public final class Backoff {
  /** Waits, unless told to stop; returns false when the wait was cut short by a stop. */
  @FunctionalInterface
  public interface Pause {
    boolean pause(Duration d) throws InterruptedException;
  }

  private final Duration min;
  private final Duration max;
  private int failures;

  public Backoff(Duration min, Duration max) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 < min <= max, got " + min + ".." + max);
    }
    this.min = min;
    this.max = max;
  }

  /** The delay the next failure would wait (random within the current window). */
  public Duration nextDelay() {
    long minMs = min.toMillis();
    int shift = Math.min(failures, 30);
    long ceiling = Math.min(max.toMillis(), minMs * (1L << shift));
    long ms = minMs + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling - minMs + 1));
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }

  /** Records a failure and waits; returns false when stopped while waiting. */
  public boolean fail(Pause pause) throws InterruptedException {
    Duration d = nextDelay();
    failures++;
    return pause.pause(d);
  }

  /** A success resets the window. */
  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
