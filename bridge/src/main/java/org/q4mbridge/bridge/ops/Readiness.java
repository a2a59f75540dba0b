package org.q4mbridge.bridge.ops;

import java.time.Duration;
import java.util.List;

/**
 * The readiness rule (DESIGN.md §5: ready means progress, not "the process is up"): a consumed
 * queue is ready while rows were confirmed within the progress window, or while it has no backlog.
 * A queue that has just started counts as having progressed at its start, so a fresh daemon is
 * ready for one window before it must prove progress. The same rule gates systemd watchdog pings.
 */
public final class Readiness {
  private Readiness() {}

  /**
   * Why a queue is not ready, or null when it is.
   *
   * @param backlog rows waiting or in flight, or null when unknown
   * @param backlogError why the backlog is unknown, or null
   * @param sinceProgress time since rows were last confirmed (or since the queue started)
   * @param window the progress window
   * @param unhealthySinks required sinks that report themselves unhealthy
   */
  public static String notReadyReason(
      Long backlog,
      String backlogError,
      Duration sinceProgress,
      Duration window,
      List<String> unhealthySinks) {
    if (sinceProgress.compareTo(window) <= 0) {
      return null;
    }
    if (backlog != null && backlog == 0) {
      return null;
    }
    String what =
        backlog != null
            ? backlog + " row(s) waiting"
            : "backlog unknown ("
                + (backlogError == null ? "not measured yet" : backlogError)
                + ")";
    String reason = what + " and nothing confirmed for " + sinceProgress.toSeconds() + " s";
    if (!unhealthySinks.isEmpty()) {
      reason += "; required sink(s) unhealthy: " + String.join(", ", unhealthySinks);
    }
    return reason;
  }
}
