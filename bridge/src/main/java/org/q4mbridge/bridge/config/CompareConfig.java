package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Shadow-comparison settings ({@code compare:}, DESIGN.md §6.2–6.3).
 *
 * @param gate the thresholds the shadow → cutover transition must pass
 */
public record CompareConfig(Gate gate) {
  public CompareConfig {
    Objects.requireNonNull(gate, "gate");
  }

  /**
   * The cutover gate ({@code compare.gate:}): over the last {@code window}, at least {@code
   * minSamples} compared jobs, at most {@code maxMissing} missing on either side, and a mismatch
   * rate of at most {@code maxMismatchRate}.
   *
   * @param minSamples default 1000
   * @param maxMissing default 0
   * @param maxMismatchRate a fraction from 0 to 1 (default 0.001)
   * @param window default 24h
   */
  public record Gate(long minSamples, long maxMissing, double maxMismatchRate, Duration window) {
    public Gate {
      Objects.requireNonNull(window, "window");
    }
  }
}
