package org.q4mbridge.bridge.pump;

import java.util.List;

/**
 * Everything the daemon needs to run one queue, derived from the configuration (and the phase). Two
 * plans that are equal run identically, which is how a reload finds the queues it must restart.
 *
 * @param name the queue's name ({@code schema.table}) for logs, metrics and status
 * @param phase the migration phase, as configured
 * @param source where rows come from (the table itself, or its tap in mirror/shadow)
 * @param settings pump settings, including the destination for this phase
 * @param mapping row → message mapping
 * @param requiredSinks sink names that hold the ack
 * @param bestEffortSinks sink names that are published to but never hold the ack
 */
public record QueuePlan(
    String name,
    String phase,
    SourceSpec source,
    QueuePump.Settings settings,
    Mapping mapping,
    List<String> requiredSinks,
    List<String> bestEffortSinks) {
  public QueuePlan {
    requiredSinks = List.copyOf(requiredSinks);
    bestEffortSinks = List.copyOf(bestEffortSinks);
  }

  /** A plan for a queue the bridge does not consume ({@code phase: off}). */
  public boolean idle() {
    return "off".equals(phase);
  }
}
