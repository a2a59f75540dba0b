package org.q4mbridge.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open time range {@code [from, to)} a report covers. A key belongs to the window when its
 * first run started in it.
 */
public record Window(Instant from, Instant to) {
  public Window {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("window must end after it starts: " + from + " .. " + to);
    }
  }

  /**
   * The {@code length} before {@code now - settle}: keys younger than {@code settle} are left out
   * because their candidate run may still be on its way (use at least {@link Rules#lateAfter()}).
   */
  public static Window last(Duration length, Duration settle, Instant now) {
    Instant to = now.minus(settle);
    return new Window(to.minus(length), to);
  }

  public Duration length() {
    return Duration.between(from, to);
  }

  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}
