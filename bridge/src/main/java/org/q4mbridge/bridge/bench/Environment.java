package org.q4mbridge.bridge.bench;

/**
 * Where a run happened: results from different machines or loads are not comparable.
 *
 * @param cores processors the JVM sees
 * @param os operating system and architecture
 * @param java the JVM's version
 * @param jvmMaxHeapMb the JVM's heap limit
 * @param mysql the database server's version
 * @param broker the broker's name and version
 * @param loadAverageAtStart the machine's 1-minute load average when the run started (other work on
 *     the machine shows here)
 * @param note what the operator said about the machine (e.g. other builds running)
 */
public record Environment(
    int cores,
    String os,
    String java,
    long jvmMaxHeapMb,
    String mysql,
    String broker,
    double loadAverageAtStart,
    String note) {}
