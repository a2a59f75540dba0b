package org.q4mbridge.bridge.bench;

/**
 * One progress sample of the backlog drain.
 *
 * @param atSeconds seconds since the drain started
 * @param acknowledged rows acknowledged so far
 * @param jobsPerSecond drain rate since the previous sample
 * @param heapUsedMb heap in use at the sample, garbage included
 * @param heapAfterGcMb heap the most recent collection left
 * @param heapMaxMb the heap limit
 */
public record BacklogSample(
    double atSeconds,
    long acknowledged,
    double jobsPerSecond,
    long heapUsedMb,
    long heapAfterGcMb,
    long heapMaxMb) {}
