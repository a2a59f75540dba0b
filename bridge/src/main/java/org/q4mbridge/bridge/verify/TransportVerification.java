package org.q4mbridge.bridge.verify;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.q4mbridge.bridge.pump.ForwardLog;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.sink.ShadowReader;
import org.q4mbridge.compare.jdbc.LedgerWriter;
import org.q4mbridge.compare.jdbc.WriterStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport verification in the daemon (DESIGN.md §6.2): the ledger of what the pumps forwarded and
 * one shadow consumer per sink reading it back, both written through one {@link LedgerWriter}.
 *
 * <p>Which queues: those whose plan {@link Selection#covers} (by default the phases mirror and
 * shadow), through their required sinks that can be read back ({@link Readers} returns a reader),
 * and whose destination is fixed (a queue that takes its routing key from a column is not verified:
 * its messages go to destinations nobody listed). Ledger rows are written only for these sinks — a
 * sink nobody reads back would show every message as missing.
 *
 * <p>Lifecycle: {@link #apply} at start, <em>before</em> the pumps start (so each Redis group
 * exists before the first publish), and again after each reload; the {@link ForwardLog}s it hands
 * out follow the latest apply. {@link #close()} after the pumps stopped: shadow consumers stop, the
 * ledger writes what is queued (bounded), idempotent.
 *
 * <p>Threading: {@link #apply} and {@link #close()} are serialised; forward logs are called from
 * consumer threads and only read an immutable snapshot.
 */
public final class TransportVerification implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransportVerification.class);

  /** Builds the shadow reader of a sink, or null when its broker has none (SQS). */
  @FunctionalInterface
  public interface Readers {
    ShadowReader reader(String sink, Set<String> destinations, String group);
  }

  /**
   * What is verified.
   *
   * @param enabled false: nothing
   * @param phases phases (YAML names) whose queues are verified
   * @param group the bridge's consumer group / verify queue prefix
   */
  public record Selection(boolean enabled, Set<String> phases, String group) {
    public Selection {
      phases = Set.copyOf(phases);
      Objects.requireNonNull(group, "group");
    }

    boolean covers(QueuePlan p) {
      return enabled
          && !p.idle()
          && phases.contains(p.phase())
          && p.mapping().routingKeyColumn() == null;
    }
  }

  /** The queues verified, by name: their phase and the sinks read back. */
  private record Verified(String phase, Set<String> sinks) {}

  private final LedgerWriter writer;
  private final LedgerFeed feed;
  private final Readers readers;
  private final Clock clock;
  private final Map<String, ShadowConsumer> consumers = new LinkedHashMap<>();
  private final Map<String, Set<String>> consumerTargets = new LinkedHashMap<>();
  private final Set<String> everVerified = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Map<String, Verified> verified = Map.of();
  private String group;
  private boolean closed;

  /**
   * @param writer the writer of the ledger and observation tables; closed by {@link #close()}
   */
  public TransportVerification(LedgerWriter writer, Readers readers, Clock clock) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.readers = Objects.requireNonNull(readers, "readers");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.feed = new LedgerFeed(writer);
  }

  /**
   * Starts or widens shadow consumers for the plans in force. A consumer keeps reading what it read
   * before (a queue that left verification may still have copies on their way, which must not show
   * as missing) and is restarted only when it has new destinations or the group changed; the group
   * keeps its position, so nothing published meanwhile is missed.
   */
  public synchronized void apply(List<QueuePlan> plans, Selection selection) {
    if (closed) {
      return;
    }
    if (!selection.group().equals(group)) {
      for (String sink : List.copyOf(consumers.keySet())) {
        stop(sink);
      }
      consumerTargets.clear();
      group = selection.group();
    }
    Map<String, Set<String>> wanted = new LinkedHashMap<>();
    Map<String, Verified> next = new LinkedHashMap<>();
    for (QueuePlan p : plans) {
      if (!selection.covers(p)) {
        continue;
      }
      Set<String> sinks = new LinkedHashSet<>();
      for (String s : p.requiredSinks()) {
        wanted.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(p.settings().destination());
        sinks.add(s);
      }
      next.put(p.name(), new Verified(p.phase(), sinks));
    }
    for (Map.Entry<String, Set<String>> e : wanted.entrySet()) {
      String sink = e.getKey();
      Set<String> target = new LinkedHashSet<>(consumerTargets.getOrDefault(sink, Set.of()));
      target.addAll(e.getValue());
      if (consumers.containsKey(sink) && target.equals(consumerTargets.get(sink))) {
        continue;
      }
      stop(sink);
      ShadowReader r = readers.reader(sink, Set.copyOf(target), group);
      if (r == null) {
        LOG.info(
            "transport verification: sink {} cannot be read back (no shadow consumer for its"
                + " broker); its messages are not verified",
            sink);
        continue;
      }
      ShadowConsumer c = new ShadowConsumer(sink, r, writer, everVerified::contains, clock);
      consumers.put(sink, c);
      consumerTargets.put(sink, target);
      LOG.info("transport verification: reading back {} from {} as '{}'", sink, target, group);
    }
    Map<String, Verified> snapshot = new LinkedHashMap<>();
    next.forEach(
        (q, v) -> {
          Set<String> sinks = new LinkedHashSet<>(v.sinks());
          sinks.retainAll(consumers.keySet());
          if (!sinks.isEmpty()) {
            snapshot.put(q, new Verified(v.phase(), Set.copyOf(sinks)));
            everVerified.add(q);
          }
        });
    verified = Map.copyOf(snapshot);
    // Started last: a consumer records only queues known as verified.
    for (ShadowConsumer c : consumers.values()) {
      c.startOnce();
    }
  }

  private void stop(String sink) {
    ShadowConsumer c = consumers.remove(sink);
    if (c != null) {
      c.close();
    }
  }

  private boolean isVerified(String queue) {
    return verified.containsKey(queue);
  }

  /** The forward log for a queue's pump: it records only while the queue is verified. */
  public ForwardLog forwardLog(QueuePlan plan) {
    String queue = plan.name();
    return (sink, rows, messages, verdicts, publishedAtMillis) -> {
      Verified v = verified.get(queue);
      if (v == null || !v.sinks().contains(sink)) {
        return;
      }
      feed.offer(
          new LedgerFeed.Batch(
              queue,
              v.phase(),
              sink,
              rows,
              messages,
              verdicts,
              publishedAtMillis,
              System.currentTimeMillis()));
    };
  }

  /** Ledger rows dropped so far (queues full), by the feed and by the writer. */
  public long ledgerDropped() {
    WriterStats f = writer.forwardedStats();
    return feed.dropped() + f.dropped() + f.failed();
  }

  /** Observation rows dropped so far (queue full, or given up after failed writes). */
  public long observationsDropped() {
    WriterStats o = writer.observedStats();
    return o.dropped() + o.failed();
  }

  /** Deliveries read back from {@code sink} so far (0 when it has no shadow consumer). */
  public synchronized long observed(String sink) {
    ShadowConsumer c = consumers.get(sink);
    return c == null ? 0 : c.observed();
  }

  /** Stops the shadow consumers, then writes what is queued and closes the writer. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String sink : List.copyOf(consumers.keySet())) {
      stop(sink);
    }
    verified = Map.of();
    feed.close();
    writer.close();
  }
}
