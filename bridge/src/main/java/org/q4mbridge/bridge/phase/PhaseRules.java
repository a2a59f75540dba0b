package org.q4mbridge.bridge.phase;

import java.util.Optional;
import org.q4mbridge.bridge.config.Phase;

/**
 * The phase state machine (DESIGN.md §6, README "Migration phases"):
 *
 * <pre>
 *   off ──▶ mirror ◀──▶ shadow ──(gate)──▶ cutover
 *    ▲        ▲            ▲                 │
 *    └────────┴────────────┴─(acknowledged)──┘   then drain-back
 * </pre>
 *
 * <ul>
 *   <li>Entering {@code cutover} from any phase requires the cutover gate to pass, or {@code force:
 *       true} (logged as forced).
 *   <li>Leaving {@code cutover} strands the jobs the broker still holds until drain-back returns
 *       them to the table. Drain-back cannot run before the switch (the bridge would forward the
 *       drained jobs straight back), so leaving cutover must be acknowledged with {@code force:
 *       true} ({@code set-phase --force}); runbooks/04-rollback.md then runs drain-back. A
 *       drain-back that already ran after the cutover also satisfies the guard.
 *   <li>Every other move is allowed.
 * </ul>
 */
public final class PhaseRules {
  private PhaseRules() {}

  /** What a transition needs before it may apply. */
  public enum Guard {
    NONE,
    GATE,
    DRAIN_BACK
  }

  /** The guard of {@code from → to}. */
  public static Guard guard(Phase from, Phase to) {
    if (from == to) {
      return Guard.NONE;
    }
    if (to == Phase.CUTOVER) {
      return Guard.GATE;
    }
    if (from == Phase.CUTOVER) {
      return Guard.DRAIN_BACK;
    }
    return Guard.NONE;
  }

  /** True when the phase reads the tap rather than the table. */
  public static boolean readsTap(Phase p) {
    return p == Phase.MIRROR || p == Phase.SHADOW;
  }

  /** The reason a guarded transition is refused, or empty when it may apply. */
  public static Optional<String> refusal(
      String queue,
      Phase from,
      Phase to,
      boolean force,
      GateCheck gate,
      boolean drainedBackSinceCutover) {
    switch (guard(from, to)) {
      case GATE -> {
        if (force) {
          return Optional.empty();
        }
        GateCheck.Result r = gate.check(queue);
        return r.passed()
            ? Optional.empty()
            : Optional.of(
                from.yamlName()
                    + " → cutover refused for "
                    + queue
                    + ": the cutover gate did not pass ("
                    + String.join("; ", r.reasons())
                    + "); run 'q4m-bridge gate --queue "
                    + queue
                    + "', or set force: true on the queue to override (logged as forced)");
      }
      case DRAIN_BACK -> {
        if (force || drainedBackSinceCutover) {
          return Optional.empty();
        }
        return Optional.of(
            "cutover → "
                + to.yamlName()
                + " refused for "
                + queue
                + ": leaving cutover strands the jobs the broker still holds; stop the new"
                + " workers, acknowledge with force: true (q4m-bridge set-phase --force), reload,"
                + " then run 'q4m-bridge drain-back --queue "
                + queue
                + "' (runbooks/04-rollback.md)");
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
