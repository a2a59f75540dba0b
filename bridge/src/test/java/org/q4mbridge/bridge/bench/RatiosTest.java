package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {

  @Test
  void pumpIsComparedWithTheSlowerCeilingAndWithTheBaseline() {
    Ratios r = Ratios.of(Fixtures.throughputRun(20_000, 30_000, 800, 16_000, 18_000));

    assertThat(r.ceiling()).isEqualTo(20_000);
    assertThat(r.defaultOverCeiling()).isCloseTo(0.80, within(1e-9));
    assertThat(r.defaultOverSinkCeiling()).isCloseTo(16_000 / 30_000.0, within(1e-9));
    assertThat(r.defaultOverBaseline()).isCloseTo(20.0, within(1e-9));
    assertThat(r.sharedCoresBound()).isCloseTo(12_000, within(1e-6));
    assertThat(r.defaultOverSharedCoresBound()).isCloseTo(16_000 / 12_000.0, within(1e-9));
  }

  @Test
  void theSinkCeilingIsTheLimitWhenItIsTheSlowerOne() {
    Ratios r = Ratios.of(Fixtures.throughputRun(20_000, 5_000, 800, 4_000, 4_500));

    assertThat(r.ceiling()).isEqualTo(5_000);
    assertThat(r.defaultOverCeiling()).isCloseTo(0.80, within(1e-9));
  }

  @Test
  void theBestOfTheSweepIsTheFastestPumpWhateverItsSettings() {
    Ratios r = Ratios.of(Fixtures.throughputRun(20_000, 30_000, 800, 16_000, 18_000));

    assertThat(r.pumpDefault()).isEqualTo(16_000);
    assertThat(r.pumpBest()).isEqualTo(18_000);
    assertThat(r.pumpBestShape()).isEqualTo("4x200");
    assertThat(r.bestOverCeiling()).isCloseTo(0.90, within(1e-9));
    assertThat(r.bestOverBaseline()).isCloseTo(22.5, within(1e-9));
  }

  @Test
  void eachCeilingIsTheBestOfItsSettings() {
    List<ScenarioResult> runs =
        new java.util.ArrayList<>(Fixtures.throughputRun(20_000, 30_000, 800, 16_000, 18_000));
    runs.add(
        new ScenarioResult(
            "source-8x100",
            "source ceiling",
            ScenarioResult.SOURCE,
            8,
            100,
            false,
            1,
            1,
            25_000,
            LatencyStats.none("x"),
            Fixtures.USAGE,
            List.of()));
    runs.add(
        new ScenarioResult(
            "sink-1x100",
            "sink ceiling",
            ScenarioResult.SINK,
            1,
            100,
            false,
            1,
            1,
            10_000,
            LatencyStats.none("x"),
            Fixtures.USAGE,
            List.of()));

    Ratios r = Ratios.of(runs);

    assertThat(r.sourceCeiling()).isEqualTo(25_000);
    assertThat(r.sourceCeilingShape()).isEqualTo("8x100");
    assertThat(r.sinkCeiling()).isEqualTo(30_000);
    assertThat(r.ceiling()).isEqualTo(25_000);
    assertThat(r.defaultOverCeiling()).isCloseTo(0.64, within(1e-9));
  }

  @Test
  void aMissingScenarioLeavesItsRatiosEmptyRatherThanZeroOrInfinite() {
    Ratios r =
        Ratios.of(
            List.of(
                Fixtures.scenario("pump-4x100", ScenarioResult.PUMP, 10_000, true),
                Fixtures.scenario("baseline", ScenarioResult.BASELINE, 0, false)));

    assertThat(r.ceiling()).isNull();
    assertThat(r.defaultOverCeiling()).isNull();
    assertThat(r.baseline()).isNull();
    assertThat(r.defaultOverBaseline()).isNull();
    assertThat(r.pumpDefault()).isEqualTo(10_000);
  }

  @Test
  void withoutAPumpAtDefaultSettingsOnlyTheBestIsReported() {
    Ratios r =
        Ratios.of(
            List.of(
                Fixtures.scenario("source-ceiling", ScenarioResult.SOURCE, 10_000, false),
                Fixtures.scenario("sink-ceiling", ScenarioResult.SINK, 10_000, false),
                Fixtures.scenario("pump-8x100", ScenarioResult.PUMP, 9_000, false)));

    assertThat(r.pumpDefault()).isNull();
    assertThat(r.defaultOverCeiling()).isNull();
    assertThat(r.bestOverCeiling()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void eachSettingIsAlsoComparedWithItsOwnCeilings() {
    List<ScenarioResult> runs =
        List.of(
            Fixtures.scenario("source-4x100", ScenarioResult.SOURCE, 20_000, false),
            Fixtures.scenario("sink-4x100", ScenarioResult.SINK, 12_000, false),
            Fixtures.scenario("pump-4x100", ScenarioResult.PUMP, 9_000, true));

    Ratios.SettingRatio s = Ratios.of(runs).perSetting().get(0);

    assertThat(s.shape()).isEqualTo("4x100");
    assertThat(s.pumpOverCeiling()).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void repeatedRunsReportTheMedianRunAndKeepEveryRate() {
    ScenarioResult slow = Fixtures.scenario("pump-4x100", ScenarioResult.PUMP, 8_000, true);
    ScenarioResult mid = Fixtures.scenario("pump-4x100", ScenarioResult.PUMP, 10_000, true);
    ScenarioResult fast =
        new ScenarioResult(
            "pump-4x100",
            "pump",
            ScenarioResult.PUMP,
            4,
            100,
            true,
            1,
            1,
            15_000,
            LatencyStats.none("x"),
            Fixtures.USAGE,
            List.of("2 rows were released"));

    ScenarioResult m = ScenarioResult.median(List.of(fast, slow, mid));

    assertThat(m.jobsPerSecond()).isEqualTo(10_000);
    assertThat(m.runsPerSecond()).containsExactly(15_000.0, 8_000.0, 10_000.0);
    assertThat(m.anomalies()).containsExactly("run 1: 2 rows were released");
    assertThat(ScenarioResult.median(List.of(slow, fast)).jobsPerSecond()).isEqualTo(8_000);
  }
}
