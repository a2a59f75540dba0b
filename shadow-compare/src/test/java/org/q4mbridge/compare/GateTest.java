package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
  private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
  private static final Window DAY = new Window(T0, T0.plus(Duration.ofHours(24)));
  private static final Thresholds GATE = new Thresholds(1000, 0, 0.001, Duration.ofHours(24));

  /** A report with {@code n} jobs, the first ones spoiled as asked. */
  private static Report report(
      Window w, int n, int mismatched, int missing, int candidateTwice, List<TransportFinding> t) {
    List<Observation> legacy = new ArrayList<>();
    List<Observation> candidate = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = "k" + i;
      Instant s = w.from().plusSeconds(i % 3600);
      legacy.add(new Observation(key, "ok", null, "{\"v\":1}", s, s.plusMillis(20), null));
      if (i < missing) {
        continue;
      }
      String json = i < missing + mismatched ? "{\"v\":2}" : "{\"v\":1}";
      candidate.add(new Observation(key, "ok", null, json, s, s.plusMillis(30), null));
      if (i >= missing + mismatched && i < missing + mismatched + candidateTwice) {
        candidate.add(new Observation(key, "ok", null, json, s, s.plusMillis(30), null));
      }
    }
    Reconciliation r = Reconciler.reconcile(legacy, candidate, Rules.defaults());
    return ReportBuilder.of(
        "app.jobs", w, Rules.defaults(), r, new TransportReconciliation(t), w.to());
  }

  @Test
  void aCleanFullWindowPasses() {
    GateResult g = Gate.evaluate(report(DAY, 1200, 0, 0, 0, List.of()), GATE);
    assertThat(g.passed()).isTrue();
    assertThat(g.reasons()).isEmpty();
    assertThat(g.checks()).anyMatch(c -> c.contains("1,200 samples in the last 24h"));
    assertThat(g.summary()).isEqualTo("gate passed");
  }

  @Test
  void tooFewSamplesFailWithTheCountAndTheNeed() {
    GateResult g = Gate.evaluate(report(DAY, 412, 0, 0, 0, List.of()), GATE);
    assertThat(g.passed()).isFalse();
    assertThat(g.reasons())
        .containsExactly("only 412 samples in the last 24h, need at least 1,000");
  }

  @Test
  void missingJobsFailAndSaySide() {
    GateResult g = Gate.evaluate(report(DAY, 1200, 0, 3, 0, List.of()), GATE);
    assertThat(g.reasons())
        .containsExactly(
            "3 jobs missing in the last 24h (3 never ran on the candidate, 0 only on the"
                + " candidate), at most 0 allowed");
  }

  @Test
  void aMismatchRateAboveTheLimitFailsWithTheRateAndCounts() {
    GateResult g = Gate.evaluate(report(DAY, 1200, 12, 0, 0, List.of()), GATE);
    assertThat(g.reasons())
        .containsExactly(
            "mismatch rate 1.00% (12 of 1,200 compared jobs) in the last 24h, at most 0.10% allowed");
  }

  @Test
  void aShortWindowFails() {
    Window twoHours = new Window(T0, T0.plus(Duration.ofHours(2)));
    GateResult g = Gate.evaluate(report(twoHours, 1200, 0, 0, 0, List.of()), GATE);
    assertThat(g.reasons()).containsExactly("the report covers 2h, the gate needs 24h");
  }

  @Test
  void jobsTheCandidateRanTwiceFail() {
    GateResult g = Gate.evaluate(report(DAY, 1200, 0, 0, 2, List.of()), GATE);
    assertThat(g.reasons())
        .containsExactly(
            "2 jobs ran more than once on the candidate in the last 24h, at most 0 allowed");
  }

  @Test
  void nothingComparedFailsEvenWithNoSampleMinimum() {
    Thresholds lax = new Thresholds(0, 10, 1.0, Duration.ofHours(24));
    GateResult g = Gate.evaluate(report(DAY, 1, 0, 1, 0, List.of()), lax);
    assertThat(g.reasons())
        .containsExactly(
            "no job was recorded exactly once on both sides in the last 24h, so no mismatch rate"
                + " can be measured");
  }

  @Test
  void lostAndDuplicatedMessagesFailTheTransportChecks() {
    List<TransportFinding> t =
        List.of(
            new TransportFinding(
                "redis-main", "m1", TransportCategory.MISSING, 1, 0, null, "d", null, T0),
            new TransportFinding(
                "redis-main",
                "m2",
                TransportCategory.DUPLICATED,
                1,
                2,
                Duration.ofMillis(3),
                "d",
                "d",
                T0),
            new TransportFinding(
                "redis-main",
                "m3",
                TransportCategory.DELIVERED,
                1,
                1,
                Duration.ofMillis(3),
                "d",
                "d",
                T0));
    GateResult g = Gate.evaluate(report(DAY, 1200, 0, 0, 0, t), GATE);
    assertThat(g.reasons())
        .containsExactly(
            "transport: 1 message confirmed by a sink but never observed in the last 24h, at most 0"
                + " allowed",
            "transport: 1 message delivered more than once in the last 24h, at most 0 allowed");
  }
}
