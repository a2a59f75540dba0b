package org.q4mbridge.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Matches legacy and candidate outcomes by correlation key. Pure: no I/O, no clock; immutable and
 * thread-safe. {@link #reconcile} works on lists in memory; {@code ReportQuery} streams rows from
 * the database through {@link #classify} one key at a time.
 */
public final class Reconciler {
  private final Rules rules;
  private final ResultDiff results;

  public Reconciler(Rules rules) {
    this.rules = rules;
    this.results = new ResultDiff(rules);
  }

  public Rules rules() {
    return rules;
  }

  /**
   * Reconciles everything observed on both sides. Every key observed on either side is either in
   * exactly one finding or, when {@link Rules#sampled} rejects it, counted in {@link
   * Reconciliation#sampledOut()}. Findings are ordered by key.
   */
  public static Reconciliation reconcile(
      List<Observation> legacy, List<Observation> candidate, Rules rules) {
    return new Reconciler(rules).reconcile(legacy, candidate);
  }

  /** {@link #reconcile(List, List, Rules)} with this reconciler's rules. */
  public Reconciliation reconcile(List<Observation> legacy, List<Observation> candidate) {
    Map<String, List<Observation>[]> byKey = new TreeMap<>();
    group(byKey, legacy, 0);
    group(byKey, candidate, 1);
    List<Finding> findings = new ArrayList<>(byKey.size());
    long sampledOut = 0;
    for (Map.Entry<String, List<Observation>[]> e : byKey.entrySet()) {
      if (!rules.sampled(e.getKey())) {
        sampledOut++;
        continue;
      }
      findings.add(classify(e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
    return new Reconciliation(findings, sampledOut);
  }

  @SuppressWarnings("unchecked")
  private static void group(
      Map<String, List<Observation>[]> byKey, List<Observation> obs, int side) {
    for (Observation o : obs) {
      byKey.computeIfAbsent(o.key(), k -> new List[] {new ArrayList<>(), new ArrayList<>()})[side]
          .add(o);
    }
  }

  /**
   * The finding for one key given all its runs (at least one on some side). Does not apply
   * sampling; callers that stream rows do.
   */
  public Finding classify(String key, List<Observation> legacy, List<Observation> candidate) {
    return classify(key, legacy, candidate, legacy.size(), candidate.size());
  }

  /**
   * As {@link #classify(String, List, List)} when the caller kept only some of a key's runs: the
   * counts are the numbers of runs recorded.
   */
  public Finding classify(
      String key,
      List<Observation> legacy,
      List<Observation> candidate,
      int legacyCount,
      int candidateCount) {
    if (legacyCount == 0 && candidateCount == 0) {
      throw new IllegalArgumentException("key " + key + " has no runs on either side");
    }
    if (legacyCount > 1 || candidateCount > 1) {
      return new Finding.Duplicated(key, legacy, candidate, legacyCount, candidateCount);
    }
    if (candidateCount == 0) {
      return new Finding.MissingOnCandidate(key, legacy.get(0));
    }
    if (legacyCount == 0) {
      return new Finding.MissingOnLegacy(key, candidate.get(0));
    }
    Observation l = legacy.get(0);
    Observation c = candidate.get(0);
    List<FieldDiff> diffs = results.diff(l, c);
    if (!l.outcome().equals(c.outcome()) || !diffs.isEmpty()) {
      return new Finding.Mismatched(key, l, c, diffs);
    }
    Duration behind = Duration.between(l.finishedAt(), c.finishedAt());
    if (behind.compareTo(rules.lateAfter()) > 0) {
      return new Finding.Late(key, l, c, behind.minus(rules.lateAfter()));
    }
    return new Finding.Matched(key, l, c);
  }
}
