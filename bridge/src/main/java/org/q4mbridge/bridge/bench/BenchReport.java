package org.q4mbridge.bridge.bench;

import java.util.List;
import java.util.Map;

/**
 * The results of one {@code q4m-bridge bench} invocation, written as JSON, Markdown and SVG.
 *
 * @param command the command line that produced it (password redacted)
 * @param jvmCommand the JVM's full command line, where the platform tells it
 * @param startedAt ISO-8601 start time (UTC)
 * @param totalSeconds wall-clock time of the whole invocation
 * @param mode what was measured
 * @param sink the broker
 * @param environment where it ran
 * @param parameters the settings that shape the figures (rows, rate, sweep…)
 * @param scenarios the measured scenarios
 * @param ratios throughput mode: the comparisons; else null
 * @param load latency mode: what the producers offered; else null
 * @param samples backlog mode: drain rate and heap over time; else empty
 * @param targets DESIGN.md §9 targets against this run
 * @param notes how to read the figures
 */
public record BenchReport(
    String command,
    String jvmCommand,
    String startedAt,
    double totalSeconds,
    String mode,
    String sink,
    Environment environment,
    Map<String, Object> parameters,
    List<ScenarioResult> scenarios,
    Ratios ratios,
    OfferedLoad load,
    List<BacklogSample> samples,
    List<TargetCheck> targets,
    List<String> notes) {

  public BenchReport {
    parameters = parameters == null ? Map.of() : parameters;
    scenarios = List.copyOf(scenarios);
    samples = samples == null ? List.of() : List.copyOf(samples);
    targets = targets == null ? List.of() : List.copyOf(targets);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** The base name of this run's files, e.g. {@code throughput-redis}. */
  public String baseName() {
    return mode + "-" + sink;
  }
}
