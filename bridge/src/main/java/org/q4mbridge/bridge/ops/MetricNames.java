package org.q4mbridge.bridge.ops;

import java.util.List;

/**
 * Every metric name the bridge registers, declared once (README "Operations" lists them). Per-queue
 * and per-sink names end with the queue or sink name: {@code
 * q4m_bridge.rows.acknowledged.app.jobs}. Dropwizard has no labels, so {@link #FAMILIES} tells the
 * Prometheus exporter how to turn that suffix back into a {@code queue} or {@code sink} label
 * ({@code q4m_bridge_rows_acknowledged_total{queue="app.jobs"}}).
 *
 * <p>RabbitMQ client metrics (amqp-client's {@code StandardMetricsCollector} on this registry) will
 * be declared here by the RabbitMQ sink; HikariCP is not used by the bridge yet.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String PREFIX = "q4m_bridge";

  /** What the last part of a family's names is. */
  public enum Label {
    /** A queue, always {@code schema.table} (two dot-separated parts). */
    QUEUE,
    /** A sink name from the configuration (letters, digits, {@code -}, {@code _}). */
    SINK
  }

  /**
   * Names that share a prefix and differ only by queue or sink.
   *
   * @param prefix the Dropwizard name without the queue or sink ({@code q4m_bridge.rows.claimed})
   * @param label what follows the prefix
   * @param kind the Dropwizard metric type, as README lists it
   * @param help what it measures
   */
  public record Family(String prefix, Label label, String kind, String help) {
    /**
     * The Prometheus name before the exporter's type suffixes ({@code q4m_bridge_rows_claimed},
     * which meters export as {@code q4m_bridge_rows_claimed_total}). Timers are exported in
     * seconds, which their name says ({@code q4m_bridge_sink_confirm_latency_seconds}).
     */
    public String prometheusName() {
      return prefix.replace('.', '_') + (kind.equals("timer") ? "_seconds" : "");
    }

    /** The Dropwizard name for one queue or sink. */
    public String of(String queueOrSink) {
      return prefix + "." + queueOrSink;
    }
  }

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

  /** Gauge: seconds since the queue last had rows confirmed (or since it started). */
  public static String secondsSinceProgress(String queue) {
    return PREFIX + ".queue.seconds_since_progress." + queue;
  }

  /** Meter: failed backlog measurements (the queue table could not be counted). */
  public static String statsFailed(String queue) {
    return PREFIX + ".queue.stats_failed." + queue;
  }

  /** Gauge: 1 while the sink accepts messages, 0 while it reports itself unhealthy. */
  public static String sinkHealthy(String sink) {
    return PREFIX + ".sink.healthy." + sink;
  }

  /** Gauge: 1 while the bridge is ready (every queue makes progress or has no backlog), else 0. */
  public static final String READY = PREFIX + ".ready";

  /** Counter: configuration reloads applied. */
  public static final String RELOADS_APPLIED = PREFIX + ".reload.applied";

  /** Counter: configuration reloads refused (invalid file or illegal transition). */
  public static final String RELOADS_FAILED = PREFIX + ".reload.failed";

  /** Gauge: ledger rows dropped (queue full or writes given up); gaps show as unexpected. */
  public static final String TRANSPORT_LEDGER_DROPPED = PREFIX + ".transport.ledger_dropped";

  /** Gauge: transport observations dropped (queue full or writes given up). */
  public static final String TRANSPORT_OBSERVATIONS_DROPPED =
      PREFIX + ".transport.observations_dropped";

  /** Every per-queue and per-sink family, in README order. */
  public static final List<Family> FAMILIES =
      List.of(
          new Family(base(rowsClaimed("x")), Label.QUEUE, "meter", "rows claimed from the queue"),
          new Family(
              base(rowsAcknowledged("x")),
              Label.QUEUE,
              "meter",
              "rows removed after every required sink confirmed"),
          new Family(
              base(rowsReleased("x")), Label.QUEUE, "meter", "rows handed back to be retried"),
          new Family(
              base(rowsDeadLettered("x")),
              Label.QUEUE,
              "meter",
              "rows moved to the dead-letter table"),
          new Family(base(inFlight("x")), Label.QUEUE, "gauge", "rows claimed, not yet settled"),
          new Family(
              base(backlog("x")),
              Label.QUEUE,
              "gauge",
              "rows in the table (waiting or in flight), sampled every few seconds"),
          new Family(
              base(oldestAgeSeconds("x")),
              Label.QUEUE,
              "gauge",
              "age of the oldest row, where the table has a creation timestamp"),
          new Family(
              base(phase("x")),
              Label.QUEUE,
              "gauge",
              "phase: 0 off, 1 mirror, 2 shadow, 3 cutover"),
          new Family(
              base(secondsSinceProgress("x")),
              Label.QUEUE,
              "gauge",
              "seconds since rows were last confirmed"),
          new Family(
              base(endToEndMillis("x")),
              Label.QUEUE,
              "histogram",
              "insert to confirmed latency in ms (last 5 minutes)"),
          new Family(
              base(problems("x")),
              Label.QUEUE,
              "meter",
              "recoverable problems (lost connections, failed settles)"),
          new Family(
              base(backPressure("x")),
              Label.QUEUE,
              "meter",
              "polls skipped while a required sink was unhealthy"),
          new Family(base(statsFailed("x")), Label.QUEUE, "meter", "failed backlog measurements"),
          new Family(
              base(sinkConfirmLatency("x")),
              Label.SINK,
              "timer",
              "time a sink took to answer a batch"),
          new Family(base(sinkConfirmed("x")), Label.SINK, "meter", "messages a sink confirmed"),
          new Family(base(sinkRejected("x")), Label.SINK, "meter", "messages a sink rejected"),
          new Family(base(sinkUnknown("x")), Label.SINK, "meter", "messages not answered in time"),
          new Family(
              base(sinkSkipped("x")),
              Label.SINK,
              "meter",
              "messages not sent to a best-effort sink that was behind"),
          new Family(
              base(sinkHealthy("x")), Label.SINK, "gauge", "1 while the sink accepts messages"));

  /** Names without a queue or sink, with their type and meaning, in README order. */
  public static final List<String[]> SINGLE =
      List.of(
          new String[] {READY, "gauge", "1 while ready (see /health/ready)"},
          new String[] {RELOADS_APPLIED, "counter", "configuration reloads applied"},
          new String[] {RELOADS_FAILED, "counter", "configuration reloads refused"},
          new String[] {
            TRANSPORT_LEDGER_DROPPED,
            "gauge",
            "transport verification: ledger rows dropped (writer behind or failing)"
          },
          new String[] {
            TRANSPORT_OBSERVATIONS_DROPPED,
            "gauge",
            "transport verification: observations dropped (writer behind or failing)"
          });

  private static String base(String exampleName) {
    return exampleName.substring(0, exampleName.length() - ".x".length());
  }
}
