package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.bench.TargetCheck.Status;

class TargetsTest {
  private static final long MB = 1024 * 1024;

  @Test
  void redisNeedsSeventyPercentOfTheSlowerCeilingAndTenTimesTheBaseline() {
    Ratios r = Ratios.of(Fixtures.throughputRun(20_000, 30_000, 800, 16_000, 18_000));

    List<TargetCheck> checks = Targets.throughput(SinkKind.REDIS, r);

    assertThat(checks).extracting(TargetCheck::status).containsExactly(Status.MET, Status.MET);
    assertThat(checks.get(0).measured()).isEqualTo("16,000 of 20,000 jobs/s = 80.0 %");
    assertThat(checks.get(1).measured()).isEqualTo("16,000 vs 800 jobs/s = 20.0×");
  }

  @Test
  void aMissedTargetSaysWhatTheBestSweepSettingReached() {
    Ratios r = Ratios.of(Fixtures.throughputRun(20_000, 200_000, 2_000, 12_000, 15_000));

    List<TargetCheck> checks = Targets.throughput(SinkKind.REDIS, r);

    assertThat(checks.get(0).status()).isEqualTo(Status.NOT_MET);
    assertThat(checks.get(0).why()).isEqualTo("the best sweep setting (4x200) reached 75.0 %");
    assertThat(checks.get(1).status()).isEqualTo(Status.NOT_MET);
  }

  @Test
  void aRatioJustUnderTheTargetIsShownWithItsDecimalNotRoundedUpToIt() {
    Ratios r = Ratios.of(Fixtures.throughputRun(29_027, 77_392, 656, 20_176, 22_621));

    TargetCheck c = Targets.throughput(SinkKind.REDIS, r).get(0);

    assertThat(c.status()).isEqualTo(Status.NOT_MET);
    assertThat(c.measured()).isEqualTo("20,176 of 29,027 jobs/s = 69.5 %");
  }

  @Test
  void aTargetBeyondTheSharedCoresBoundSaysSoWithTheShareOfTheBoundReached() {
    // source 42,000 and sink 79,000 alone: sharing the cores, at most 27,421 jobs/s = 65.3 %.
    Ratios r = Ratios.of(Fixtures.throughputRun(42_000, 79_000, 900, 24_000, 30_000));

    TargetCheck c = Targets.throughput(SinkKind.REDIS, r).get(0);

    assertThat(c.status()).isEqualTo(Status.NOT_MET);
    assertThat(c.why())
        .contains("the best sweep setting (4x200) reached 71.4 %")
        .contains("shared-cores bound of 27,421 jobs/s = 65.3 % of the ceiling")
        .contains("the pump reached 87.5 % of that bound");
  }

  @Test
  void brokersAreComparedWithTheirOwnCeilingAndBlameTheSourceWhenItIsSlower() {
    Ratios r = Ratios.of(Fixtures.throughputRun(6_000, 10_000, 500, 5_000, 5_500));

    List<TargetCheck> checks = Targets.throughput(SinkKind.RABBITMQ, r);

    assertThat(checks).hasSize(1);
    assertThat(checks.get(0).target()).contains("rabbitmq publish ceiling");
    assertThat(checks.get(0).status()).isEqualTo(Status.NOT_MET);
    assertThat(checks.get(0).why()).contains("source ceiling (6,000 jobs/s) is below the sink's");
  }

  @Test
  void latencyIsMetAtTheStatedLoadAndBoundOnly() {
    OfferedLoad load = new OfferedLoad(1000, 998, 4, 35_000, 0.4);

    assertThat(Targets.latency(SinkKind.REDIS, load, stats(49.9)).get(0).status())
        .isEqualTo(Status.MET);
    assertThat(Targets.latency(SinkKind.REDIS, load, stats(50.1)).get(0).status())
        .isEqualTo(Status.NOT_MET);
  }

  @Test
  void aMissedLatencyTargetSaysWhenTheDatabaseStalledTheProducers() {
    OfferedLoad stalled = new OfferedLoad(1000, 1010, 4, 35_000, 3371);

    TargetCheck c = Targets.latency(SinkKind.REDIS, stalled, stats(376)).get(0);

    assertThat(c.status()).isEqualTo(Status.NOT_MET);
    assertThat(c.why()).contains("3371 ms or more behind schedule");
    assertThat(
            Targets.latency(SinkKind.REDIS, new OfferedLoad(1000, 1000, 4, 35_000, 2), stats(60))
                .get(0)
                .why())
        .isEmpty();
  }

  @Test
  void latencyCannotBeJudgedWhenTheProducersFellShortOrTheRateWasLower() {
    TargetCheck shortfall =
        Targets.latency(SinkKind.REDIS, new OfferedLoad(1000, 700, 4, 25_000, 900), stats(10))
            .get(0);
    TargetCheck lowRate =
        Targets.latency(SinkKind.REDIS, new OfferedLoad(500, 500, 4, 17_500, 0.1), stats(10))
            .get(0);

    assertThat(shortfall.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(shortfall.why()).contains("offered only 700 of 1,000 jobs/s");
    assertThat(lowRate.status()).isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void backlogHeapIsMetOnlyForAFullDrainInsideA256MegabyteHeap() {
    ResourceUsage usage = new ResourceUsage(30, 0.9, 99.0, 200, 60, 256);

    assertThat(Targets.backlog(1_000_000, 1_000_000, usage, 256 * MB).get(0).status())
        .isEqualTo(Status.MET);
    assertThat(Targets.backlog(1_000_000, 999_000, usage, 256 * MB).get(0).status())
        .isEqualTo(Status.NOT_MET);
    TargetCheck bigHeap = Targets.backlog(1_000_000, 1_000_000, usage, 6_000 * MB).get(0);
    assertThat(bigHeap.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(bigHeap.why()).contains("--heap 256m");
    assertThat(Targets.backlog(10_000, 10_000, usage, 256 * MB).get(0).status())
        .isEqualTo(Status.NOT_APPLICABLE);
  }

  private static LatencyStats stats(double p99) {
    return new LatencyStats("insert → confirmed", 30_000, 5, 20, p99, p99 + 10);
  }
}
