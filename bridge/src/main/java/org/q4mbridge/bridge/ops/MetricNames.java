package org.q4mbridge.bridge.ops;

/**
 * Every metric name the bridge registers, declared once (README "Metrics" lists them). Per-queue
 * and per-sink names end with the queue or sink name: {@code
 * q4m_bridge.rows.acknowledged.app.jobs}.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String PREFIX = "q4m_bridge";

  /** Meter: rows claimed from the queue. */
  public static String rowsClaimed(String queue) {
    return PREFIX + ".rows.claimed." + queue;
  }

  /** Meter: rows removed after every required sink confirmed. */
  public static String rowsAcknowledged(String queue) {
    return PREFIX + ".rows.acknowledged." + queue;
  }

  /** Meter: rows handed back to the queue (to be retried). */
  public static String rowsReleased(String queue) {
    return PREFIX + ".rows.released." + queue;
  }

  /** Meter: rows moved to the dead-letter table. */
  public static String rowsDeadLettered(String queue) {
    return PREFIX + ".rows.dead_lettered." + queue;
  }

  /** Gauge: rows claimed and not yet settled. */
  public static String inFlight(String queue) {
    return PREFIX + ".rows.in_flight." + queue;
  }

  /** Gauge: rows waiting in the queue table. */
  public static String backlog(String queue) {
    return PREFIX + ".queue.backlog." + queue;
  }

  /** Gauge: age in seconds of the oldest waiting row (tables with a creation timestamp). */
  public static String oldestAgeSeconds(String queue) {
    return PREFIX + ".queue.oldest_age_seconds." + queue;
  }

  /** Gauge: the queue's phase (0 off, 1 mirror, 2 shadow, 3 cutover). */
  public static String phase(String queue) {
    return PREFIX + ".queue.phase." + queue;
  }

  /** Histogram (ms): insert → confirmed latency. */
  public static String endToEndMillis(String queue) {
    return PREFIX + ".latency.end_to_end_ms." + queue;
  }

  /** Meter: recoverable problems (lost connections, failed settles). */
  public static String problems(String queue) {
    return PREFIX + ".problems." + queue;
  }

  /** Meter: polls skipped because a required sink was unhealthy. */
  public static String backPressure(String queue) {
    return PREFIX + ".back_pressure." + queue;
  }

  /** Timer: how long a sink took to answer a batch. */
  public static String sinkConfirmLatency(String sink) {
    return PREFIX + ".sink.confirm_latency." + sink;
  }

  /** Meter: messages a sink confirmed. */
  public static String sinkConfirmed(String sink) {
    return PREFIX + ".sink.confirmed." + sink;
  }

  /** Meter: messages a sink rejected. */
  public static String sinkRejected(String sink) {
    return PREFIX + ".sink.rejected." + sink;
  }

  /** Meter: messages a sink did not answer in time. */
  public static String sinkUnknown(String sink) {
    return PREFIX + ".sink.unknown." + sink;
  }

  /**
   * Meter: messages not sent to a best-effort sink because too many of its batches were pending.
   */
  public static String sinkSkipped(String sink) {
    return PREFIX + ".sink.best_effort_skipped." + sink;
  }

  /** Counter: configuration reloads applied. */
  public static final String RELOADS_APPLIED = PREFIX + ".reload.applied";

  /** Counter: configuration reloads refused (invalid file or illegal transition). */
  public static final String RELOADS_FAILED = PREFIX + ".reload.failed";
}
