package org.q4mbridge.bridge.bench;

import java.util.List;

/**
 * One measured scenario.
 *
 * @param id stable identifier, e.g. {@code source-ceiling}, {@code pump-4x100}
 * @param title what was measured, in words
 * @param kind {@code source}, {@code sink}, {@code baseline} or {@code pump}
 * @param consumers consumer loops (publishers for the sink ceiling)
 * @param batchSize rows per claim (messages per publish for the sink ceiling)
 * @param defaults true for the pump at the configuration's default settings
 * @param jobs jobs completed (acknowledged, or confirmed for the sink ceiling)
 * @param seconds wall-clock time from the first claim (or publish) to the last acknowledgement
 * @param jobsPerSecond {@code jobs / seconds}
 * @param latency latency percentiles, with what they measure
 * @param resources CPU and heap over the scenario
 * @param anomalies anything that did not go as planned (messages not confirmed, rows left over): an
 *     empty list is a clean run
 */
public record ScenarioResult(
    String id,
    String title,
    String kind,
    int consumers,
    int batchSize,
    boolean defaults,
    long jobs,
    double seconds,
    double jobsPerSecond,
    LatencyStats latency,
    ResourceUsage resources,
    List<String> anomalies) {

  public static final String SOURCE = "source";
  public static final String SINK = "sink";
  public static final String BASELINE = "baseline";
  public static final String PUMP = "pump";

  public ScenarioResult {
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
  }

  /** {@code consumers x batch}, e.g. {@code 4x100}. */
  public String shape() {
    return consumers + "x" + batchSize;
  }
}
