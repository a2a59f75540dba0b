package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  static Observation run(String key, String outcome, String json, long startSec, long endSec) {
    return new Observation(
        key, outcome, null, json, T0.plusSeconds(startSec), T0.plusSeconds(endSec), "w1");
  }

  private static Finding only(List<Observation> legacy, List<Observation> candidate, Rules rules) {
    Reconciliation r = Reconciler.reconcile(legacy, candidate, rules);
    assertThat(r.findings()).hasSize(1);
    return r.findings().get(0);
  }

  @Test
  void equalRunsOnBothSidesMatch() {
    Finding f =
        only(
            List.of(run("k", "ok", "{\"a\":1}", 0, 1)),
            List.of(run("k", "ok", "{\"a\":1.0}", 0, 2)),
            Rules.defaults());
    assertThat(f).isInstanceOf(Finding.Matched.class);
  }

  @Test
  void aDifferentResultIsAMismatchWithAFieldDiff() {
    Finding f =
        only(
            List.of(run("k", "ok", "{\"total\":110}", 0, 1)),
            List.of(run("k", "ok", "{\"total\":100}", 0, 1)),
            Rules.defaults());
    assertThat(f).isInstanceOf(Finding.Mismatched.class);
    Finding.Mismatched m = (Finding.Mismatched) f;
    assertThat(m.diffs()).containsExactly(new FieldDiff("$.total", "110", "100"));
    assertThat(m.outcomeDiffers()).isFalse();
    assertThat(m.signature()).isEqualTo("$.total");
  }

  @Test
  void aDifferentOutcomeIsAMismatchEvenWithEqualResults() {
    Finding f =
        only(
            List.of(run("k", "ok", null, 0, 1)),
            List.of(run("k", "failed", null, 0, 1)),
            Rules.defaults());
    assertThat(f).isInstanceOf(Finding.Mismatched.class);
    assertThat(((Finding.Mismatched) f).signature()).isEqualTo("outcome ok → failed");
  }

  @Test
  void aJobTheCandidateNeverRanIsMissingOnCandidate() {
    assertThat(only(List.of(run("k", "ok", null, 0, 1)), List.of(), Rules.defaults()))
        .isInstanceOf(Finding.MissingOnCandidate.class);
  }

  @Test
  void aJobOnlyTheCandidateRanIsMissingOnLegacy() {
    assertThat(only(List.of(), List.of(run("k", "ok", null, 0, 1)), Rules.defaults()))
        .isInstanceOf(Finding.MissingOnLegacy.class);
  }

  @Test
  void aJobRunTwiceOnASideIsDuplicatedEvenWhenTheRunsAgree() {
    Finding f =
        only(
            List.of(run("k", "ok", null, 0, 1)),
            List.of(run("k", "ok", null, 0, 1), run("k", "ok", null, 5, 6)),
            Rules.defaults());
    assertThat(f).isInstanceOf(Finding.Duplicated.class);
    assertThat(((Finding.Duplicated) f).candidateCount()).isEqualTo(2);
    assertThat(
            only(
                List.of(run("k", "ok", null, 0, 1), run("k", "ok", null, 0, 1)),
                List.of(),
                Rules.defaults()))
        .isInstanceOf(Finding.Duplicated.class);
  }

  @Test
  void aCandidateFinishingAfterTheSlaIsLate() {
    Rules rules = Rules.defaults().withLateAfter(Duration.ofSeconds(30));
    Finding f =
        only(List.of(run("k", "ok", null, 0, 10)), List.of(run("k", "ok", null, 0, 45)), rules);
    assertThat(f).isInstanceOf(Finding.Late.class);
    assertThat(((Finding.Late) f).by()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aCandidateFinishingExactlyAtTheSlaIsOnTime() {
    Rules rules = Rules.defaults().withLateAfter(Duration.ofSeconds(30));
    assertThat(
            only(List.of(run("k", "ok", null, 0, 10)), List.of(run("k", "ok", null, 0, 40)), rules))
        .isInstanceOf(Finding.Matched.class);
  }

  @Test
  void aLateMismatchCountsAsAMismatch() {
    Rules rules = Rules.defaults().withLateAfter(Duration.ZERO);
    assertThat(
            only(
                List.of(run("k", "ok", null, 0, 1)),
                List.of(run("k", "failed", null, 0, 99)),
                rules))
        .isInstanceOf(Finding.Mismatched.class);
  }

  @Test
  void ignoredPathsAndNumberRulesApplyBeforeMatching() {
    Rules rules =
        Rules.defaults()
            .ignoring("$.handledBy")
            .withNumbers(NumberMatching.BY_VALUE_AND_NUMERIC_TEXT);
    assertThat(
            only(
                List.of(run("k", "ok", "{\"n\":\"5\",\"handledBy\":\"php-3\"}", 0, 1)),
                List.of(run("k", "ok", "{\"handledBy\":\"java-1\",\"n\":5.0}", 0, 1)),
                rules))
        .isInstanceOf(Finding.Matched.class);
  }

  @Test
  void samplingKeepsOnlyKeysBelowTheRateAndCountsTheRest() {
    List<Observation> legacy = new ArrayList<>();
    List<Observation> candidate = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      legacy.add(run("key-" + i, "ok", null, 0, 1));
      candidate.add(run("key-" + i, "ok", null, 0, 1));
    }
    Rules rules = Rules.defaults().withSampleRate(0.25);
    Reconciliation r = Reconciler.reconcile(legacy, candidate, rules);
    assertThat(r.findings().size() + r.sampledOut()).isEqualTo(2000);
    assertThat(r.findings().size()).isBetween(400, 600);
    assertThat(r.findings())
        .allSatisfy(f -> assertThat(Rules.samplePoint(f.key())).isLessThan(0.25));
  }

  @Test
  void samplingIsTheSameOnEveryRun() {
    Rules rules = Rules.defaults().withSampleRate(0.1);
    assertThat(rules.sampled("job-1")).isEqualTo(rules.sampled("job-1"));
    // First 13 hex digits of SHA-256("job-1"), over 2^52; the same figure SQL computes.
    assertThat(Rules.samplePoint("job-1")).isBetween(0.0, 1.0);
  }

  @Test
  void findingsComeInKeyOrderWithTheCategoryOfEachKey() {
    Reconciliation r =
        Reconciler.reconcile(
            List.of(run("b", "ok", null, 0, 1), run("a", "ok", null, 0, 1)),
            List.of(run("a", "ok", null, 0, 1), run("c", "ok", null, 0, 1)),
            Rules.defaults());
    assertThat(r.findings()).extracting(Finding::key).containsExactly("a", "b", "c");
    assertThat(r.findings())
        .extracting(Finding::category)
        .containsExactly(
            Category.MATCHED, Category.MISSING_ON_CANDIDATE, Category.MISSING_ON_LEGACY);
  }
}
