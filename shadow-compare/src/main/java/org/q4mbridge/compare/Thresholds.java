package org.q4mbridge.compare;

import java.time.Duration;
import java.util.Objects;

/**
 * What the cutover gate demands ({@code compare.gate} in bridge.yml). Validated when built.
 *
 * @param minSamples at least this many keys compared in the window
 * @param maxMissing at most this many jobs missing on either side, and at most this many messages
 *     confirmed by a sink but never observed
 * @param maxMismatchRate at most this share of compared jobs mismatched (and of observed messages
 *     with a different payload), in [0, 1]
 * @param window the report must cover at least this long
 * @param maxDuplicated at most this many jobs the candidate ran more than once, and messages
 *     delivered more than once
 */
public record Thresholds(
    long minSamples, long maxMissing, double maxMismatchRate, Duration window, long maxDuplicated) {
  public Thresholds {
    Objects.requireNonNull(window, "window");
    if (minSamples < 0 || maxMissing < 0 || maxDuplicated < 0) {
      throw new IllegalArgumentException("gate counts must not be negative");
    }
    if (!(maxMismatchRate >= 0 && maxMismatchRate <= 1)) {
      throw new IllegalArgumentException(
          "maxMismatchRate must be in [0, 1], got " + maxMismatchRate);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("gate window must be positive, got " + window);
    }
  }

  /** The four thresholds of DESIGN.md §6.3; no duplicated job is tolerated. */
  public Thresholds(long minSamples, long maxMissing, double maxMismatchRate, Duration window) {
    this(minSamples, maxMissing, maxMismatchRate, window, 0);
  }
}
