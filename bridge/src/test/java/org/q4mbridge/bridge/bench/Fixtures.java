package org.q4mbridge.bridge.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scenario results and reports for the unit tests (no servers). */
final class Fixtures {
  private Fixtures() {}

  static final ResourceUsage USAGE = new ResourceUsage(2.5, 0.8, 97.0, 120, 40, 256);

  static ScenarioResult scenario(String id, String kind, double jobsPerSecond, boolean defaults) {
    return new ScenarioResult(
        id,
        id,
        kind,
        4,
        100,
        defaults,
        100_000,
        100_000 / jobsPerSecond,
        jobsPerSecond,
        new LatencyStats("per batch", 1000, 5.0, 9.5, 12.25, 40.0),
        USAGE,
        List.of());
  }

  static List<ScenarioResult> throughputRun(
      double source, double sink, double baseline, double pumpDefault, double pumpOther) {
    return List.of(
        scenario("source-ceiling", ScenarioResult.SOURCE, source, false),
        scenario("sink-ceiling", ScenarioResult.SINK, sink, false),
        scenario("baseline", ScenarioResult.BASELINE, baseline, false),
        scenario("pump-4x100", ScenarioResult.PUMP, pumpDefault, true),
        new ScenarioResult(
            "pump-4x200",
            "pump",
            ScenarioResult.PUMP,
            4,
            200,
            false,
            100_000,
            100_000 / pumpOther,
            pumpOther,
            LatencyStats.none("insert → confirmed"),
            USAGE,
            List.of("3 rows were released to be retried")));
  }

  static Environment environment() {
    return new Environment(
        2, "Linux 6 amd64", "OpenJDK 17", 6000, "10.11.19-MariaDB", "Redis 7.0.15", 3.5, "shared");
  }

  static BenchReport throughputReport() {
    List<ScenarioResult> s = throughputRun(20_000, 30_000, 800, 16_000, 18_000);
    Ratios r = Ratios.of(s);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("rows per run", 100_000);
    parameters.put("sweep", "[4x100, 4x200]");
    return new BenchReport(
        "q4m-bridge bench --sink redis --out docs/bench",
        "java -jar q4m-bridge.jar bench",
        "2026-01-01T00:00:00Z",
        321.5,
        "throughput",
        "redis",
        environment(),
        parameters,
        s,
        r,
        null,
        null,
        Targets.throughput(SinkKind.REDIS, r),
        List.of("a note with a | pipe"));
  }
}
