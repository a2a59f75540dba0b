package org.q4mbridge.bridge.bench;

import java.util.List;

/**
 * One measured scenario.
 *
 * @param id stable identifier, e.g. {@code source-4x100}, {@code pump-4x100}
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
 * @param runsPerSecond with repetitions, the jobs/s of every run in the order they ran; the other
 *     figures are those of the median run
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
    List<String> anomalies,
    List<Double> runsPerSecond) {

  public static final String SOURCE = "source";
  public static final String SINK = "sink";
  public static final String BASELINE = "baseline";
  public static final String PUMP = "pump";

  public ScenarioResult {
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    runsPerSecond = runsPerSecond == null ? List.of(jobsPerSecond) : List.copyOf(runsPerSecond);
  }

  /** One run, without repetitions. */
  public ScenarioResult(
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
    this(
        id,
        title,
        kind,
        consumers,
        batchSize,
        defaults,
        jobs,
        seconds,
        jobsPerSecond,
        latency,
        resources,
        anomalies,
        null);
  }

  /**
   * Several runs of one scenario as one result: the median run's figures (the lower of the two
   * middle ones for an even count), every run's jobs/s, and every run's anomalies.
   */
  public static ScenarioResult median(List<ScenarioResult> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs");
    }
    List<ScenarioResult> sorted = new java.util.ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(ScenarioResult::jobsPerSecond));
    ScenarioResult m = sorted.get((sorted.size() - 1) / 2);
    List<String> anomalies = new java.util.ArrayList<>();
    List<Double> rates = new java.util.ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      rates.add(runs.get(i).jobsPerSecond());
      for (String a : runs.get(i).anomalies()) {
        anomalies.add(runs.size() == 1 ? a : "run " + (i + 1) + ": " + a);
      }
    }
    return new ScenarioResult(
        m.id(),
        m.title(),
        m.kind(),
        m.consumers(),
        m.batchSize(),
        m.defaults(),
        m.jobs(),
        m.seconds(),
        m.jobsPerSecond(),
        m.latency(),
        m.resources(),
        anomalies,
        rates);
  }

  /** {@code consumers x batch}, e.g. {@code 4x100}. */
  public String shape() {
    return consumers + "x" + batchSize;
  }
}
