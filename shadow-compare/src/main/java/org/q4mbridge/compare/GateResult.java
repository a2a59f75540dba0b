package org.q4mbridge.compare;

import java.util.List;

/**
 * The gate's verdict.
 *
 * @param passed whether every check passed
 * @param reasons one line per failed check, saying what was found and what is needed (empty when
 *     passed)
 * @param checks one line per check with its figure, passed or not, for logs and reports
 */
public record GateResult(boolean passed, List<String> reasons, List<String> checks) {
  public GateResult {
    reasons = List.copyOf(reasons);
    checks = List.copyOf(checks);
    if (passed != reasons.isEmpty()) {
      throw new IllegalArgumentException("a gate passes exactly when it has no reasons to fail");
    }
  }

  /** {@code gate passed} or {@code gate failed: reason; reason}. */
  public String summary() {
    return passed ? "gate passed" : "gate failed: " + String.join("; ", reasons);
  }
}
