package org.q4mbridge.bridge.pump;

/**
 * What the pump reports as it works: metrics and status read these. Every method has a no-op
 * default, and implementations must be cheap and thread-safe (called from consumer threads).
 */
public interface PumpListener {
  PumpListener NONE = new PumpListener() {};

  default void claimed(String queue, int rows) {}

  default void acknowledged(String queue, int rows) {}

  default void released(String queue, int rows) {}

  default void deadLettered(String queue, int rows, String reason) {}

  /** Verdicts of one sink for one batch, and how long the sink took to answer. */
  default void sinkAnswered(
      String sink, boolean bestEffort, int confirmed, int rejected, int unknown, long nanos) {}

  /**
   * A best-effort sink was skipped for a batch because too many of its batches were outstanding.
   */
  default void bestEffortSkipped(String sink, int messages) {}

  /** Insert → confirmed latency of one row, where the row has a creation time. */
  default void endToEnd(String queue, long millis) {}

  /** A recoverable problem (connection lost, settle failed); the pump retries. */
  default void problem(String queue, String message) {}

  /** Claiming paused because a required sink is unhealthy. */
  default void backPressure(String queue, String sink) {}
}
