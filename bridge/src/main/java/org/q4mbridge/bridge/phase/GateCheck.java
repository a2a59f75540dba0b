package org.q4mbridge.bridge.phase;

import java.util.List;

/** Decides whether a queue may enter cutover (the shadow-compare gate). */
@FunctionalInterface
public interface GateCheck {
  /** The verdict and its reasons. */
  record Result(boolean passed, List<String> reasons) {}

  Result check(String queue);

  /** Refuses everything: used until comparison data is wired in (force still works). */
  GateCheck NO_DATA =
      q -> new Result(false, List.of("no comparison data recorded for " + q + " yet"));
}
