package org.q4mbridge.compare;

import java.time.Duration;

/** Short human durations for reasons and reports: {@code 24h}, {@code 90m}, {@code 1.5s}. */
public final class Durations {
  private Durations() {}

  /** {@code 2d}, {@code 24h}, {@code 90m}, {@code 45s}, {@code 1.5s}, {@code 120ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000L == 0 && ms >= 172_800_000L) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    if (ms >= 1000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    return ms + "ms";
  }
}
