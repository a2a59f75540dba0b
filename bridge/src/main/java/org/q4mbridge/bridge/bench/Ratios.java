package org.q4mbridge.bridge.bench;

import java.util.List;

/**
 * The comparisons DESIGN.md §9 asks for, computed from the scenarios of one run. A figure that
 * could not be computed (its scenario was not run or moved nothing) is null.
 *
 * @param sourceCeiling jobs/s of the source ceiling
 * @param sinkCeiling jobs/s of the sink ceiling
 * @param ceiling {@code min(sourceCeiling, sinkCeiling)}: what a perfect pump could reach
 * @param baseline jobs/s of the one-row-per-round-trip loop
 * @param pumpDefault jobs/s of the pump at default settings
 * @param pumpBest jobs/s of the fastest pump setting of the sweep
 * @param pumpBestShape that setting, e.g. {@code 4x200}
 * @param defaultOverCeiling {@code pumpDefault / ceiling}
 * @param defaultOverSinkCeiling {@code pumpDefault / sinkCeiling}
 * @param defaultOverBaseline {@code pumpDefault / baseline}
 * @param bestOverCeiling {@code pumpBest / ceiling}
 * @param bestOverBaseline {@code pumpBest / baseline}
 */
public record Ratios(
    Double sourceCeiling,
    Double sinkCeiling,
    Double ceiling,
    Double baseline,
    Double pumpDefault,
    Double pumpBest,
    String pumpBestShape,
    Double defaultOverCeiling,
    Double defaultOverSinkCeiling,
    Double defaultOverBaseline,
    Double bestOverCeiling,
    Double bestOverBaseline) {

  /** Computes the ratios from a run's scenarios. */
  public static Ratios of(List<ScenarioResult> scenarios) {
    Double source = rate(scenarios, ScenarioResult.SOURCE);
    Double sink = rate(scenarios, ScenarioResult.SINK);
    Double baseline = rate(scenarios, ScenarioResult.BASELINE);
    Double ceiling = source == null || sink == null ? null : Math.min(source, sink);
    Double pumpDefault = null;
    ScenarioResult best = null;
    for (ScenarioResult s : scenarios) {
      if (!ScenarioResult.PUMP.equals(s.kind()) || !(s.jobsPerSecond() > 0)) {
        continue;
      }
      if (s.defaults()) {
        pumpDefault = s.jobsPerSecond();
      }
      if (best == null || s.jobsPerSecond() > best.jobsPerSecond()) {
        best = s;
      }
    }
    Double pumpBest = best == null ? null : best.jobsPerSecond();
    return new Ratios(
        source,
        sink,
        ceiling,
        baseline,
        pumpDefault,
        pumpBest,
        best == null ? null : best.shape(),
        divide(pumpDefault, ceiling),
        divide(pumpDefault, sink),
        divide(pumpDefault, baseline),
        divide(pumpBest, ceiling),
        divide(pumpBest, baseline));
  }

  private static Double rate(List<ScenarioResult> scenarios, String kind) {
    for (ScenarioResult s : scenarios) {
      if (kind.equals(s.kind()) && s.jobsPerSecond() > 0) {
        return s.jobsPerSecond();
      }
    }
    return null;
  }

  static Double divide(Double a, Double b) {
    return a == null || b == null || !(b > 0) ? null : a / b;
  }
}
