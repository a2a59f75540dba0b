package org.q4mbridge.compare;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Reconciler#reconcile}: one finding per sampled key, ordered by key.
 *
 * @param findings one per key observed on either side and in the sample
 * @param sampledOut keys observed but left out by sampling
 */
public record Reconciliation(List<Finding> findings, long sampledOut) {
  public Reconciliation {
    findings = List.copyOf(findings);
  }

  /** Keys per category (every category present, zero when none). */
  public Map<Category, Long> counts() {
    Map<Category, Long> m = new EnumMap<>(Category.class);
    for (Category c : Category.values()) {
      m.put(c, 0L);
    }
    for (Finding f : findings) {
      m.merge(f.category(), 1L, Long::sum);
    }
    return m;
  }

  public long count(Category c) {
    return findings.stream().filter(f -> f.category() == c).count();
  }

  /** The findings of one category, in key order. */
  public List<Finding> findings(Category c) {
    return findings.stream().filter(f -> f.category() == c).toList();
  }

  /** The keys of one category, in key order. */
  public List<String> keys(Category c) {
    return findings(c).stream().map(Finding::key).toList();
  }
}
