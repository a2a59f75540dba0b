package org.q4mbridge.bridge.ops;

import java.time.Instant;
import java.util.List;

/**
 * What {@code /status} answers (as JSON, or as the HTML page of {@link StatusPage}) and what {@code
 * q4m-bridge status} prints. A snapshot: operations rebuilds it every second.
 *
 * @param version the bridge's version
 * @param generatedAt when this snapshot was taken
 * @param uptimeSeconds since the daemon started
 * @param state {@code running}, {@code reloading} or {@code stopping}
 * @param ready whether {@code /health/ready} answers 200
 * @param notReady why not, one line per reason (empty when ready)
 * @param lastReloadError why the last reload was refused, or null
 * @param queues every configured queue, in file order
 * @param sinks every configured sink
 */
public record Status(
    String version,
    Instant generatedAt,
    long uptimeSeconds,
    String state,
    boolean ready,
    List<String> notReady,
    String lastReloadError,
    List<Queue> queues,
    List<Sink> sinks) {

  public Status {
    notReady = List.copyOf(notReady);
    queues = List.copyOf(queues);
    sinks = List.copyOf(sinks);
  }

  /**
   * One queue.
   *
   * @param name {@code schema.table}
   * @param phase off, mirror, shadow or cutover
   * @param sourceTables the tables read (the tap in mirror and shadow)
   * @param destination where messages go in this phase
   * @param sinks required sinks
   * @param bestEffort best-effort sinks
   * @param consumers consumer threads
   * @param inFlight rows claimed and not yet settled
   * @param backlog rows in the table(s), waiting or in flight; null when unknown
   * @param oldestAgeSeconds age of the oldest row; null when unknown or not measurable
   * @param backlogError why the backlog is unknown, or null
   * @param ackedPerSecond rows confirmed per second over the last seconds
   * @param deadLetteredPerSecond rows dead-lettered per second over the last seconds
   * @param acknowledged rows confirmed since start
   * @param deadLettered rows dead-lettered since start
   * @param released rows handed back for a retry since start
   * @param secondsSinceProgress seconds since rows were last confirmed (or the queue started); null
   *     when off
   * @param ready whether this queue makes progress or has no backlog
   * @param notReadyReason why not, or null
   * @param lastErrors newest first
   */
  public record Queue(
      String name,
      String phase,
      List<String> sourceTables,
      String destination,
      List<String> sinks,
      List<String> bestEffort,
      int consumers,
      long inFlight,
      Long backlog,
      Long oldestAgeSeconds,
      String backlogError,
      double ackedPerSecond,
      double deadLetteredPerSecond,
      long acknowledged,
      long deadLettered,
      long released,
      Long secondsSinceProgress,
      boolean ready,
      String notReadyReason,
      List<Activity.Error> lastErrors) {}

  /**
   * One sink.
   *
   * @param name as configured
   * @param healthy false while it reports that it cannot accept messages
   * @param confirmed messages confirmed since start
   * @param rejected messages rejected since start
   * @param unknown messages not answered in time since start
   */
  public record Sink(String name, boolean healthy, long confirmed, long rejected, long unknown) {}
}
