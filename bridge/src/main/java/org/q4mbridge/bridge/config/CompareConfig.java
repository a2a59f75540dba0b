package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Shadow-comparison settings ({@code compare:}, DESIGN.md §6.2–6.3).
 *
 * @param gate the thresholds the shadow → cutover transition must pass
 * @param transport transport verification: the ledger and the bridge's own shadow consumer
 */
public record CompareConfig(Gate gate, Transport transport) {
  public CompareConfig {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(transport, "transport");
  }

  /** Settings with the default transport verification. */
  public CompareConfig(Gate gate) {
    this(gate, Transport.DEFAULT);
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

  /**
   * Transport verification ({@code compare.transport:}): for queues in one of {@code phases}, the
   * bridge writes a ledger row per message and required sink, and reads back what it published
   * through a reader of its own (a Redis consumer group named {@code group}; RabbitMQ and SQS sinks
   * are not read back).
   *
   * @param enabled default true
   * @param phases the phases whose queues are verified (default mirror and shadow: in cutover the
   *     workers' destination is authoritative)
   * @param group the Redis consumer group (default {@code q4m-bridge-verify})
   */
  public record Transport(boolean enabled, Set<Phase> phases, String group) {
    /** The characters a group name may have (also valid in an AMQP queue name, for later). */
    public static final String GROUP_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";

    public static final Transport DEFAULT =
        new Transport(true, Set.of(Phase.MIRROR, Phase.SHADOW), "q4m-bridge-verify");

    public Transport {
      phases = Set.copyOf(phases);
      Objects.requireNonNull(group, "group");
      if (phases.contains(Phase.OFF)) {
        throw new IllegalArgumentException("phase off forwards nothing to verify");
      }
    }

    /** Whether queues in {@code phase} are verified. */
    public boolean covers(Phase phase) {
      return enabled && phases.contains(phase);
    }
  }
}
