package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated cases, seeded so a failure repeats: the categories account for every key once. */
class ReconcilerPropertyTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String[] OUTCOMES = {"ok", "ok", "ok", "failed"};
  private static final String[] RESULTS = {
    null, "{\"a\":1}", "{\"a\":1.0}", "{\"a\":2}", "{\"b\":[1,2]}", "not json"
  };

  @Test
  void everyObservedKeyLandsInExactlyOneCategoryOrIsSampledOut() {
    for (long seed = 1; seed <= 500; seed++) {
      Random rnd = new Random(seed);
      List<Observation> legacy = new ArrayList<>();
      List<Observation> candidate = new ArrayList<>();
      Set<String> observed = new HashSet<>();
      Map<String, int[]> runs = new HashMap<>();
      int keys = 1 + rnd.nextInt(60);
      for (int k = 0; k < keys; k++) {
        String key = "k" + rnd.nextInt(keys * 2);
        int l = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 1;
        int c = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 1;
        for (int i = 0; i < l; i++) {
          legacy.add(random(rnd, key));
        }
        for (int i = 0; i < c; i++) {
          candidate.add(random(rnd, key));
        }
        if (l + c > 0) {
          observed.add(key);
          int[] n = runs.computeIfAbsent(key, x -> new int[2]);
          n[0] += l;
          n[1] += c;
        }
      }
      double rate = rnd.nextBoolean() ? 1.0 : 0.05 + rnd.nextDouble() * 0.95;
      Rules rules =
          Rules.defaults().withSampleRate(rate).withLateAfter(Duration.ofSeconds(rnd.nextInt(20)));

      Reconciliation r = Reconciler.reconcile(legacy, candidate, rules);

      String why = "seed " + seed;
      List<String> findingKeys = r.findings().stream().map(Finding::key).toList();
      assertThat(findingKeys).as(why).doesNotHaveDuplicates();
      assertThat(findingKeys.size() + r.sampledOut()).as(why).isEqualTo(observed.size());
      assertThat(r.counts().values().stream().mapToLong(Long::longValue).sum())
          .as(why)
          .isEqualTo(findingKeys.size());
      for (Finding f : r.findings()) {
        assertThat(observed).as(why).contains(f.key());
        assertThat(rules.sampled(f.key())).as(why).isTrue();
        int[] n = runs.get(f.key());
        Category expectedShape =
            n[0] > 1 || n[1] > 1
                ? Category.DUPLICATED
                : n[1] == 0
                    ? Category.MISSING_ON_CANDIDATE
                    : n[0] == 0 ? Category.MISSING_ON_LEGACY : null;
        if (expectedShape != null) {
          assertThat(f.category()).as(why + " key " + f.key()).isEqualTo(expectedShape);
        } else {
          assertThat(f.category())
              .as(why + " key " + f.key())
              .isIn(Category.MATCHED, Category.MISMATCHED, Category.LATE);
        }
      }
      // And a report built from it counts the same keys.
      Report report =
          ReportBuilder.of(
              "q", new Window(T0, T0.plusSeconds(3600)), rules, r, null, T0.plusSeconds(3600));
      assertThat(report.outcomes().samples()).as(why).isEqualTo(findingKeys.size());
      assertThat(report.outcomes().sampledOut()).as(why).isEqualTo(r.sampledOut());
    }
  }

  @Test
  void everyTransportMessageLandsInExactlyOneCategory() {
    for (long seed = 1; seed <= 300; seed++) {
      Random rnd = new Random(seed);
      List<ForwardedMessage> forwarded = new ArrayList<>();
      List<TransportObservation> observed = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      int n = 1 + rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        String sink = rnd.nextBoolean() ? "redis" : "sqs";
        String key = "q:1:" + rnd.nextInt(n);
        int f = rnd.nextInt(5) == 0 ? rnd.nextInt(3) : 1;
        int o = rnd.nextInt(5) == 0 ? rnd.nextInt(3) : 1;
        for (int j = 0; j < f; j++) {
          forwarded.add(
              new ForwardedMessage(
                  "q",
                  key,
                  "c",
                  "d1",
                  "shadow",
                  sink,
                  T0.plusSeconds(rnd.nextInt(10)),
                  rnd.nextInt(6) == 0 ? null : T0.plusSeconds(11)));
        }
        for (int j = 0; j < o; j++) {
          observed.add(
              new TransportObservation(
                  "q",
                  sink,
                  "jobs",
                  key,
                  "c",
                  rnd.nextInt(8) == 0 ? "d2" : "d1",
                  T0.plusSeconds(rnd.nextInt(120))));
        }
        if (f + o > 0) {
          seen.add(sink + " " + key);
        }
      }
      TransportReconciliation r =
          TransportReconciler.reconcile(forwarded, observed, Duration.ofSeconds(60));
      List<String> keys = r.findings().stream().map(f -> f.sink() + " " + f.messageKey()).toList();
      assertThat(keys).as("seed " + seed).doesNotHaveDuplicates();
      assertThat(new HashSet<>(keys)).as("seed " + seed).isEqualTo(seen);
    }
  }

  private static Observation random(Random rnd, String key) {
    int start = rnd.nextInt(100);
    return new Observation(
        key,
        OUTCOMES[rnd.nextInt(OUTCOMES.length)],
        rnd.nextInt(5) == 0 ? "d" + rnd.nextInt(2) : null,
        RESULTS[rnd.nextInt(RESULTS.length)],
        T0.plusSeconds(start),
        T0.plusSeconds(start + rnd.nextInt(40)),
        null);
  }
}
