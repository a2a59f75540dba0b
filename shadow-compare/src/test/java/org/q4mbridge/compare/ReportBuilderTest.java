package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {
  private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

  private static Finding.Mismatched mismatch(String key, String path, long at) {
    Observation l =
        new Observation(key, "ok", null, null, T0.plusSeconds(at), T0.plusSeconds(at), null);
    Observation c =
        new Observation(key, "ok", null, null, T0.plusSeconds(at), T0.plusSeconds(at), null);
    return new Finding.Mismatched(key, l, c, List.of(new FieldDiff(path, "1", "2")));
  }

  @Test
  void bucketsCoverTheWindowWithAtMost96Slices() {
    ReportBuilder b =
        new ReportBuilder(
            "q",
            new Window(T0, T0.plus(Duration.ofHours(24))),
            Rules.defaults(),
            ReportBuilder.Limits.DEFAULT);
    Report r = b.build(T0);
    assertThat(r.outcomes().overTime()).hasSize(96);
    assertThat(r.outcomes().overTime().get(1).start()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void mismatchesGroupBySignatureBiggestFirstWithExamples() {
    ReportBuilder b =
        new ReportBuilder(
            "q",
            new Window(T0, T0.plusSeconds(3600)),
            Rules.defaults(),
            ReportBuilder.Limits.DEFAULT);
    for (int i = 0; i < 7; i++) {
      b.add(mismatch("t" + i, "$.total", i));
    }
    b.add(mismatch("n0", "$.name", 1));
    List<Report.MismatchGroup> top = b.build(T0).outcomes().topMismatches();
    assertThat(top)
        .extracting(Report.MismatchGroup::signature)
        .containsExactly("$.total", "$.name");
    assertThat(top.get(0).count()).isEqualTo(7);
    assertThat(top.get(0).exampleKeys()).containsExactly("t0", "t1", "t2", "t3", "t4");
    assertThat(top.get(0).example().key()).isEqualTo("t0");
  }

  @Test
  void keyListsAndSignaturesAreCappedButCountsAreNot() {
    ReportBuilder b =
        new ReportBuilder(
            "q",
            new Window(T0, T0.plusSeconds(3600)),
            Rules.defaults(),
            new ReportBuilder.Limits(3, 2, 2, 1));
    for (int i = 0; i < 10; i++) {
      b.add(mismatch("k" + i, "$.f" + i, i));
    }
    Report.Outcomes o = b.build(T0).outcomes();
    assertThat(o.count(Category.MISMATCHED)).isEqualTo(10);
    assertThat(o.keys(Category.MISMATCHED).keys()).hasSize(3);
    assertThat(o.keys(Category.MISMATCHED).truncated()).isTrue();
    assertThat(o.topMismatches())
        .extracting(Report.MismatchGroup::signature)
        .contains("(other differences)");
    assertThat(o.topMismatches().stream().mapToLong(Report.MismatchGroup::count).max()).hasValue(8);
  }

  @Test
  void durationsFallIntoHistogramBinsPerSide() {
    List<Observation> legacy = new ArrayList<>();
    List<Observation> candidate = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      legacy.add(new Observation("k" + i, "ok", null, null, T0, T0.plusMillis(8), null));
      candidate.add(new Observation("k" + i, "ok", null, null, T0, T0.plusMillis(150), null));
    }
    Report r =
        ReportBuilder.of(
            "q",
            new Window(T0, T0.plusSeconds(60)),
            Rules.defaults(),
            Reconciler.reconcile(legacy, candidate, Rules.defaults()),
            null,
            T0);
    assertThat(r.outcomes().legacyDurations().quantile(0.99)).isEqualTo(Duration.ofMillis(10));
    assertThat(r.outcomes().candidateDurations().quantile(0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(r.outcomes().matchRate()).isEqualTo(1.0);
  }
}
