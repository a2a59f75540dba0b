package org.q4mbridge.bridge.bench;

/**
 * CPU and heap of the bench's JVM over one scenario.
 *
 * @param processCpuSeconds CPU time this JVM used (every thread: the pump, the sink clients and the
 *     bench's own producers), not the database's or the broker's
 * @param processCores {@code processCpuSeconds} per wall-clock second (1.0 = one core busy)
 * @param systemBusyPercent how busy the whole machine was (all processes, all cores), from {@code
 *     /proc/stat}; null where that is not readable
 * @param heapPeakUsedMb the most heap in use at any sample, garbage included
 * @param heapAfterGcMb the most heap still in use right after a collection (the live set)
 * @param heapMaxMb the JVM's heap limit
 */
public record ResourceUsage(
    double processCpuSeconds,
    double processCores,
    Double systemBusyPercent,
    long heapPeakUsedMb,
    long heapAfterGcMb,
    long heapMaxMb) {}
