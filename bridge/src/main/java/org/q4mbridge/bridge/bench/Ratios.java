package org.q4mbridge.bridge.bench;

import java.util.List;

/**
 * The comparisons DESIGN.md §9 asks for, computed from the scenarios of one run. A figure that
 * could not be computed (its scenario was not run or moved nothing) is null.
 *
 * @param sourceCeiling jobs/s of the source ceiling: the best of its settings
 * @param sourceCeilingShape the setting that reached it
 * @param sinkCeiling jobs/s of the sink ceiling: the best of its settings
 * @param sinkCeilingShape the setting that reached it
 * @param ceiling {@code min(sourceCeiling, sinkCeiling)}: what a perfect pump could reach when the
 *     source and the sink do not compete for the same cores
 * @param sharedCoresBound {@code 1 / (1 / sourceCeiling + 1 / sinkCeiling)}: what a perfect pump
 *     could reach when they do (database, broker and bridge on one machine, every ceiling
 *     CPU-bound): each job then costs the CPU of its claim plus the CPU of its publish
 * @param baseline jobs/s of the one-row-per-round-trip loop
 * @param pumpDefault jobs/s of the pump at default settings
 * @param pumpBest jobs/s of the fastest pump setting of the sweep
 * @param pumpBestShape that setting, e.g. {@code 4x200}
 * @param defaultOverCeiling {@code pumpDefault / ceiling}
 * @param defaultOverSinkCeiling {@code pumpDefault / sinkCeiling}
 * @param defaultOverSharedCoresBound {@code pumpDefault / sharedCoresBound}
 * @param defaultOverBaseline {@code pumpDefault / baseline}
 * @param bestOverCeiling {@code pumpBest / ceiling}
 * @param bestOverBaseline {@code pumpBest / baseline}
 * @param perSetting for each setting measured with both ceilings and the pump: the pump against the
 *     slower ceiling of the same setting
 */
public record Ratios(
    Double sourceCeiling,
    String sourceCeilingShape,
    Double sinkCeiling,
    String sinkCeilingShape,
    Double ceiling,
    Double sharedCoresBound,
    Double baseline,
    Double pumpDefault,
    Double pumpBest,
    String pumpBestShape,
    Double defaultOverCeiling,
    Double defaultOverSinkCeiling,
    Double defaultOverSharedCoresBound,
    Double defaultOverBaseline,
    Double bestOverCeiling,
    Double bestOverBaseline,
    List<SettingRatio> perSetting) {

  /**
   * One setting's pump against its own ceilings.
   *
   * @param shape consumers x batch
   * @param source the source ceiling at this setting, jobs/s
   * @param sink the sink ceiling at this setting, jobs/s
   * @param pump the pump at this setting, jobs/s
   * @param pumpOverCeiling {@code pump / min(source, sink)}
   */
  public record SettingRatio(
      String shape, double source, double sink, double pump, double pumpOverCeiling) {}

  public Ratios {
    perSetting = perSetting == null ? List.of() : List.copyOf(perSetting);
  }

  /** Computes the ratios from a run's scenarios. */
  public static Ratios of(List<ScenarioResult> scenarios) {
    ScenarioResult sourceBest = best(scenarios, ScenarioResult.SOURCE);
    ScenarioResult sinkBest = best(scenarios, ScenarioResult.SINK);
    ScenarioResult baselineBest = best(scenarios, ScenarioResult.BASELINE);
    Double source = sourceBest == null ? null : sourceBest.jobsPerSecond();
    Double sink = sinkBest == null ? null : sinkBest.jobsPerSecond();
    Double baseline = baselineBest == null ? null : baselineBest.jobsPerSecond();
    Double ceiling = source == null || sink == null ? null : Math.min(source, sink);
    Double shared = source == null || sink == null ? null : 1 / (1 / source + 1 / sink);
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
        sourceBest == null ? null : sourceBest.shape(),
        sink,
        sinkBest == null ? null : sinkBest.shape(),
        ceiling,
        shared,
        baseline,
        pumpDefault,
        pumpBest,
        best == null ? null : best.shape(),
        divide(pumpDefault, ceiling),
        divide(pumpDefault, sink),
        divide(pumpDefault, shared),
        divide(pumpDefault, baseline),
        divide(pumpBest, ceiling),
        divide(pumpBest, baseline),
        perSetting(scenarios));
  }

  private static List<SettingRatio> perSetting(List<ScenarioResult> scenarios) {
    List<SettingRatio> out = new java.util.ArrayList<>();
    for (ScenarioResult pump : scenarios) {
      if (!ScenarioResult.PUMP.equals(pump.kind())) {
        continue;
      }
      ScenarioResult source = find(scenarios, ScenarioResult.SOURCE, pump.shape());
      ScenarioResult sink = find(scenarios, ScenarioResult.SINK, pump.shape());
      if (source == null || sink == null) {
        continue;
      }
      double ceiling = Math.min(source.jobsPerSecond(), sink.jobsPerSecond());
      if (ceiling > 0) {
        out.add(
            new SettingRatio(
                pump.shape(),
                source.jobsPerSecond(),
                sink.jobsPerSecond(),
                pump.jobsPerSecond(),
                pump.jobsPerSecond() / ceiling));
      }
    }
    return out;
  }

  private static ScenarioResult find(List<ScenarioResult> scenarios, String kind, String shape) {
    for (ScenarioResult s : scenarios) {
      if (kind.equals(s.kind()) && shape.equals(s.shape())) {
        return s;
      }
    }
    return null;
  }

  /** The fastest scenario of a kind: a ceiling is the most any setting reached. */
  private static ScenarioResult best(List<ScenarioResult> scenarios, String kind) {
    ScenarioResult best = null;
    for (ScenarioResult s : scenarios) {
      if (kind.equals(s.kind())
          && s.jobsPerSecond() > 0
          && (best == null || s.jobsPerSecond() > best.jobsPerSecond())) {
        best = s;
      }
    }
    return best;
  }

  static Double divide(Double a, Double b) {
    return a == null || b == null || !(b > 0) ? null : a / b;
  }
}
