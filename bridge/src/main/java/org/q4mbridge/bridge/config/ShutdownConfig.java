package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Graceful stop ({@code shutdown:}).
 *
 * @param grace how long in-flight messages may still be confirmed after SIGTERM before the rest is
 *     released to the queue (default 30s; keep it below systemd's {@code TimeoutStopSec})
 */
public record ShutdownConfig(Duration grace) {
  public ShutdownConfig {
    Objects.requireNonNull(grace, "grace");
  }
}
