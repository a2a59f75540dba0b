package org.q4mbridge.bridge.phase;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.q4mbridge.bridge.Bridge;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.Phase;
import org.q4mbridge.bridge.config.QueueConfig;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.IdleWait;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.tap.Tap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks and carries out phase transitions (DESIGN.md §6): validates each queue's change against
 * {@link PhaseRules} before anything is touched, installs and removes the tap around the pump's
 * restart, and writes every applied transition to the {@link PhaseLog}.
 *
 * <p>On {@code mirror|shadow → cutover} the tap's trigger is dropped first, the still-running tap
 * pump forwards the copies left in the twin to the shadow destination, and only then is the pump
 * drained and the twin dropped — no copy is lost for the comparison, and the legacy table's rows go
 * to the live destination from then on.
 */
public final class PhaseController implements Bridge.TransitionSteps {
  private static final Logger LOG = LoggerFactory.getLogger(PhaseController.class);

  private final ConnectionFactory connections;
  private final PhaseLog log;
  private final GateCheck gate;
  private final Duration tapDrainTimeout;

  public PhaseController(
      ConnectionFactory connections, PhaseLog log, GateCheck gate, Duration tapDrainTimeout) {
    this.connections = connections;
    this.log = log;
    this.gate = gate;
    this.tapDrainTimeout = tapDrainTimeout;
  }

  public PhaseLog log() {
    return log;
  }

  /** A queue's change of phase. */
  public record Change(QueueConfig queue, Phase from, Phase to) {}

  /** The phase changes {@code next} asks for, from where the phase log says each queue is. */
  public List<Change> changes(BridgeConfig next) throws SQLException {
    // The phase log, not the previous file, says where a queue is: a reload that applied only
    // partly, or a restart with an edited file, is then judged against what really happened.
    List<Change> out = new ArrayList<>();
    for (QueueConfig q : next.queues()) {
      Phase from =
          log.lastPhase(q.table().toString())
              .map(s -> Phase.valueOf(s.toUpperCase(Locale.ROOT)))
              .orElse(Phase.OFF);
      if (from != q.phase()) {
        out.add(new Change(q, from, q.phase()));
      }
    }
    return out;
  }

  /** One line per refused change; empty when every change may apply. */
  public List<String> refusals(List<Change> changes) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Change c : changes) {
      String name = c.queue().table().toString();
      boolean drained = false;
      if (PhaseRules.guard(c.from(), c.to()) == PhaseRules.Guard.DRAIN_BACK) {
        Optional<PhaseLog.Entry> cut =
            log.list(name, PhaseLog.TRANSITION, 50).stream()
                .filter(e -> "cutover".equals(e.to()))
                .findFirst();
        Optional<PhaseLog.Entry> back = log.last(name, PhaseLog.DRAIN_BACK);
        Instant since = cut.map(PhaseLog.Entry::at).orElse(Instant.EPOCH);
        drained = back.isPresent() && !back.get().at().isBefore(since);
      }
      PhaseRules.refusal(name, c.from(), c.to(), c.queue().force(), gate, drained)
          .ifPresent(out::add);
    }
    return out;
  }

  /** Writes the applied changes to the phase log. */
  public void record(List<Change> changes, String digest) {
    for (Change c : changes) {
      try {
        boolean guarded = PhaseRules.guard(c.from(), c.to()) != PhaseRules.Guard.NONE;
        log.append(
            c.queue().table().toString(),
            PhaseLog.TRANSITION,
            c.from().yamlName(),
            c.to().yamlName(),
            digest,
            guarded && c.queue().force(),
            guarded && c.queue().force() ? "forced by force: true" : null);
        LOG.info(
            "queue {}: phase {} -> {}{}",
            c.queue().table(),
            c.from().yamlName(),
            c.to().yamlName(),
            guarded && c.queue().force() ? " (FORCED)" : "");
      } catch (SQLException e) {
        LOG.error("queue {}: cannot write the phase log: {}", c.queue().table(), e.getMessage());
      }
    }
  }

  private static Phase phase(QueuePlan p) {
    return p == null ? Phase.OFF : Phase.valueOf(p.phase().toUpperCase(Locale.ROOT));
  }

  private static Tap tap(QueuePlan p) {
    return new Tap(TableRef.parse(p.name(), null));
  }

  @Override
  public void beforeDrain(QueuePlan before, QueuePlan after) throws Exception {
    if (PhaseRules.readsTap(phase(before)) && phase(after) == Phase.CUTOVER) {
      Tap tap = tap(before);
      try (Connection c = connections.open()) {
        tap.stop(c);
        try {
          waitUntilEmpty(c, tap);
        } catch (Exception e) {
          // Cutover postponed: copy again, so the phase that keeps running keeps its data.
          tap.install(c);
          throw e;
        }
      }
    }
  }

  private void waitUntilEmpty(Connection c, Tap tap) throws SQLException, InterruptedException {
    IdleWait wait = new IdleWait(Duration.ofMillis(20), Duration.ofMillis(500));
    long deadline = System.nanoTime() + tapDrainTimeout.toNanos();
    long left;
    long nextReport = System.nanoTime();
    while ((left = tap.backlog(c)) > 0) {
      if (System.nanoTime() >= nextReport) {
        LOG.info(
            "cutover of {}: forwarding the last {} copies from the tap first", tap.table(), left);
        nextReport = System.nanoTime() + 10_000_000_000L;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the tap "
                + tap.twin()
                + " still holds "
                + left
                + " copies after "
                + tapDrainTimeout
                + "; the tap copies again and the phase is unchanged — reload again to retry");
      }
      wait.pause(deadline - System.nanoTime());
    }
  }

  @Override
  public void beforeStart(QueuePlan before, QueuePlan after) throws Exception {
    Phase from = phase(before);
    Phase to = phase(after);
    QueuePlan any = after != null ? after : before;
    if (any == null) {
      return;
    }
    Tap tap = tap(any);
    try (Connection c = connections.open()) {
      if (PhaseRules.readsTap(to)) {
        if (tap.install(c)) {
          LOG.info("queue {}: tap installed ({} copies every insert)", any.name(), tap.twin());
        }
      } else if (PhaseRules.readsTap(from) || tap.twinExists(c)) {
        // cutover or off: the copies are no longer wanted (on cutover they were forwarded first).
        tap.remove(c);
        LOG.info("queue {}: tap removed", any.name());
      }
    }
  }
}
