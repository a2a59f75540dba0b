package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Adaptive polling of emulated queues ({@code poll:}), which have no server-side wake-up.
 *
 * @param minInterval first pause after rows were found (default 1ms)
 * @param maxInterval longest pause while idle: the latency bound (default 50ms)
 * @param timeout longest a single poll blocks before returning an empty claim (default 1s)
 */
public record PollConfig(Duration minInterval, Duration maxInterval, Duration timeout) {
  public PollConfig {
    Objects.requireNonNull(minInterval, "minInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(timeout, "timeout");
  }
}
