package org.q4mbridge.bridge.bench;

/**
 * What the producers of latency mode actually offered.
 *
 * @param targetPerSecond the rate asked for
 * @param achievedPerSecond rows inserted per second over the measured period
 * @param producers producer connections
 * @param inserted rows inserted (warm-up included)
 * @param lateP99Ms how late the 99th percentile of inserts started against their schedule: a large
 *     value means the producers (or the database) could not keep up with the rate
 */
public record OfferedLoad(
    double targetPerSecond,
    double achievedPerSecond,
    int producers,
    long inserted,
    double lateP99Ms) {}
