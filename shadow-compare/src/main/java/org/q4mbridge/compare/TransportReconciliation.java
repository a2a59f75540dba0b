package org.q4mbridge.compare;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The result of {@link TransportReconciler#reconcile}: one finding per (sink, message key). */
public record TransportReconciliation(List<TransportFinding> findings) {
  public TransportReconciliation {
    findings = List.copyOf(findings);
  }

  /** Messages per category (every category present). */
  public Map<TransportCategory, Long> counts() {
    Map<TransportCategory, Long> m = new EnumMap<>(TransportCategory.class);
    for (TransportCategory c : TransportCategory.values()) {
      m.put(c, 0L);
    }
    for (TransportFinding f : findings) {
      m.merge(f.category(), 1L, Long::sum);
    }
    return m;
  }

  public List<TransportFinding> findings(TransportCategory c) {
    return findings.stream().filter(f -> f.category() == c).toList();
  }
}
