package org.q4mbridge.bridge.bench;

/**
 * Percentiles of one latency measurement, in milliseconds.
 *
 * @param measures what the interval is, e.g. "insert → confirmed (created_at → ack)"
 * @param count recorded values
 * @param p50Ms median
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param maxMs largest value
 */
public record LatencyStats(
    String measures, long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

  /** Nothing recorded. */
  public static LatencyStats none(String measures) {
    return new LatencyStats(measures, 0, 0, 0, 0, 0);
  }
}
