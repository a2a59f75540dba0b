package org.q4mbridge.bridge;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.q4mbridge.bridge.cli.CliException;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.ops.BridgeView;
import org.q4mbridge.bridge.pump.ForwardLog;
import org.q4mbridge.bridge.pump.PumpListener;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.pump.QueuePump;
import org.q4mbridge.bridge.pump.RowMapper;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.q4m.QueueSourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running bridge: its sinks and one {@link QueuePump} per active queue.
 *
 * <p>Lifecycle: {@link #start} (start and probe every sink — failing fast with one clear line —
 * then start the pumps) → {@link #apply} on reload (only queues whose plan changed are drained and
 * restarted) → {@link #requestStop()} (first SIGTERM: stop claiming, finish and settle in-flight
 * work within the grace period) or {@link #forceStop()} (second SIGTERM or grace exceeded: hand
 * every unsettled row back) → {@link #awaitExit()} returns the exit code. The first fatal cause (a
 * queue table that vanished, a missing privilege) wins and takes the same stop path.
 *
 * <p>Thread-safe; {@link #apply} and stop requests are serialised.
 */
public final class Bridge implements BridgeView {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

  /** How often a best-effort sink that could not start at start-up is tried again. */
  static final Duration BEST_EFFORT_RETRY = Duration.ofSeconds(5);

  private final Map<String, Sink> sinks;
  private final Function<QueuePlan, QueuePump.SourceOpener> sources;
  private final PumpListener listener;
  private final Duration grace;
  private final ZoneId zone;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Set<String> started = new java.util.HashSet<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private volatile boolean forced;
  private volatile List<QueuePlan> plans = List.of();

  private record Running(QueuePlan plan, QueuePump pump) {}

  /**
   * What happens around a queue's restart when its plan changes (phase steps: the tap). {@code
   * before} is null for a queue that was not running, {@code after} null for one that goes away.
   */
  public interface TransitionSteps {
    /** While the old pump still runs (e.g. stop the tap and let the pump empty it). */
    default void beforeDrain(QueuePlan before, QueuePlan after) throws Exception {}

    /** After the old pump settled everything, before the new one starts (e.g. install the tap). */
    default void beforeStart(QueuePlan before, QueuePlan after) throws Exception {}

    TransitionSteps NONE = new TransitionSteps() {};
  }

  private volatile TransitionSteps steps = TransitionSteps.NONE;

  /** Sets the phase steps run around restarts. */
  public void steps(TransitionSteps steps) {
    this.steps = steps;
  }

  private volatile Function<QueuePlan, ForwardLog> forwardLogs = p -> ForwardLog.NONE;
  private final List<AutoCloseable> closeOnExit = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Sets where pumps started from now on record what they forwarded (transport verification). */
  public void forwardLogs(Function<QueuePlan, ForwardLog> forwardLogs) {
    this.forwardLogs = forwardLogs;
  }

  /**
   * Closes {@code c} on exit, after every pump stopped and before the sinks close (in the order
   * registered).
   */
  public void closeOnExit(AutoCloseable c) {
    closeOnExit.add(c);
  }

  public Bridge(
      Map<String, Sink> sinks,
      Function<QueuePlan, QueuePump.SourceOpener> sources,
      PumpListener listener,
      Duration grace,
      ZoneId zone) {
    this.sinks = Map.copyOf(sinks);
    this.sources = sources;
    this.listener = listener;
    this.grace = grace;
    this.zone = zone;
  }

  /**
   * Starts and probes the sinks the plans use, then starts a pump per active queue.
   *
   * @throws CliException (UNAVAILABLE) naming the sink and the problem
   */
  public synchronized void start(List<QueuePlan> initial) {
    Map<String, Set<String>> destinations = new LinkedHashMap<>();
    for (QueuePlan p : initial) {
      if (p.idle()) {
        continue;
      }
      for (String s : concat(p.requiredSinks(), p.bestEffortSinks())) {
        destinations.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(p.settings().destination());
      }
    }
    for (Map.Entry<String, Set<String>> e : destinations.entrySet()) {
      boolean required =
          initial.stream().anyMatch(p -> !p.idle() && p.requiredSinks().contains(e.getKey()));
      try {
        startSink(e.getKey(), e.getValue());
      } catch (SinkException ex) {
        if (required) {
          throw new CliException(ExitCode.UNAVAILABLE, ex.getMessage(), ex);
        }
        // A best-effort sink under evaluation must not keep the migration from running; nor may
        // an outage at start-up keep it unused until the next restart (it never reports itself
        // healthy before it started, so the pumps skip it): keep trying in the background.
        LOG.warn(
            "best-effort sink {} is not available: {}; trying again every {}",
            e.getKey(),
            ex.getMessage(),
            BEST_EFFORT_RETRY);
        retryInBackground(e.getKey(), sink(e.getKey()), Set.copyOf(e.getValue()));
      }
    }
    for (QueuePlan p : initial) {
      try {
        steps.beforeStart(null, p);
      } catch (Exception e) {
        throw new CliException(ExitCode.FAILED, "queue " + p.name() + ": " + e.getMessage(), e);
      }
      startQueue(p);
    }
    plans = List.copyOf(initial);
  }

  /** Starts a sink on first use and probes the destinations a plan sends to. */
  private void startSink(String name, Set<String> destinations) throws SinkException {
    Sink sink = sink(name);
    if (started.add(name)) {
      try {
        sink.start();
      } catch (SinkException e) {
        started.remove(name);
        throw e;
      }
    }
    sink.probe(destinations);
  }

  /**
   * A queue that starts consuming on reload (e.g. off → mirror) may use sinks nothing used before:
   * start and probe them first; a required sink that fails keeps the queue from starting.
   */
  private void ensureSinks(QueuePlan p) throws SinkException {
    if (p.idle()) {
      return;
    }
    for (String s : p.requiredSinks()) {
      startSink(s, Set.of(p.settings().destination()));
    }
    for (String s : p.bestEffortSinks()) {
      try {
        startSink(s, Set.of(p.settings().destination()));
      } catch (SinkException e) {
        LOG.warn(
            "best-effort sink {} is not available: {}; trying again every {}",
            s,
            e.getMessage(),
            BEST_EFFORT_RETRY);
        retryInBackground(s, sink(s), Set.of(p.settings().destination()));
      }
    }
  }

  /**
   * Starts and probes a best-effort sink that failed to, every {@link #BEST_EFFORT_RETRY} until it
   * works or a stop is requested, on a daemon thread of its own. A start that races with the final
   * close fails on the closed sink, and the stop ends the loop.
   */
  private void retryInBackground(String name, Sink sink, Set<String> destinations) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!stopRequested.await(BEST_EFFORT_RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
                  try {
                    sink.start();
                    sink.probe(destinations);
                    LOG.info("best-effort sink {} is available now", name);
                    return;
                  } catch (SinkException | RuntimeException ex) {
                    LOG.debug("best-effort sink {} still not available: {}", name, ex.getMessage());
                  }
                }
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            },
            "sink-retry-" + name);
    t.setDaemon(true);
    t.start();
  }

  private void startQueue(QueuePlan p) {
    if (p.idle()) {
      running.put(p.name(), new Running(p, null));
      LOG.info("queue {}: phase off, not consumed", p.name());
      return;
    }
    QueuePump pump =
        new QueuePump(
            p.settings(),
            sources.apply(p),
            new RowMapper(p.mapping(), zone),
            p.requiredSinks().stream().map(this::sink).toList(),
            p.bestEffortSinks().stream().map(this::sink).toList(),
            listener,
            forwardLogs.apply(p),
            this::fatal);
    // The pump's threads inherit the MDC of the thread that starts them: logs carry the phase.
    MDC.put("phase", p.phase());
    try {
      pump.start();
    } finally {
      MDC.remove("phase");
    }
    running.put(p.name(), new Running(p, pump));
    LOG.info(
        "queue {}: phase {}, {} consumer(s), batch {}, to {} via {}",
        p.name(),
        p.phase(),
        p.settings().consumers(),
        p.settings().batchSize(),
        p.settings().destination(),
        p.requiredSinks());
  }

  private Sink sink(String name) {
    Sink s = sinks.get(name);
    if (s == null) {
      throw new CliException(ExitCode.CONFIG, "unknown sink '" + name + "'");
    }
    return s;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Applies new plans: queues whose plan is unchanged keep running; changed, added and removed
   * queues are drained (in-flight rows settled) and restarted with the new plan.
   *
   * @return the names of the queues that were restarted
   */
  /** What {@link #apply} did: queues restarted, and queues whose change failed (with why). */
  public record ApplyResult(List<String> restarted, Map<String, String> failed) {}

  public synchronized ApplyResult apply(List<QueuePlan> next) throws InterruptedException {
    List<String> changed = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    Map<String, QueuePlan> byName = new LinkedHashMap<>();
    next.forEach(p -> byName.put(p.name(), p));
    Map<String, QueuePlan> previous = new LinkedHashMap<>();
    for (Map.Entry<String, Running> e : new ArrayList<>(running.entrySet())) {
      QueuePlan wanted = byName.get(e.getKey());
      QueuePlan before = e.getValue().plan();
      if (wanted == null || !wanted.equals(before)) {
        try {
          steps.beforeDrain(before, wanted);
        } catch (Exception ex) {
          failures.put(e.getKey(), ex.getMessage() + " (kept running as before)");
          byName.put(e.getKey(), before);
          continue;
        }
        drain(e.getKey(), e.getValue());
        running.remove(e.getKey());
        previous.put(e.getKey(), before);
        changed.add(e.getKey());
      }
    }
    for (Map.Entry<String, Running> e : new ArrayList<>(running.entrySet())) {
      if (!byName.containsKey(e.getKey())) {
        running.remove(e.getKey());
      }
    }
    for (QueuePlan p : byName.values()) {
      if (!running.containsKey(p.name())) {
        QueuePlan before = previous.get(p.name());
        try {
          ensureSinks(p);
          steps.beforeStart(before, p);
          startQueue(p);
        } catch (Exception ex) {
          failures.put(p.name(), ex.getMessage());
          if (before != null) {
            LOG.error("queue {}: {}; restarting it as it was", p.name(), ex.getMessage());
            startQueue(before);
            byName.put(p.name(), before);
          }
        }
        if (!changed.contains(p.name())) {
          changed.add(p.name());
        }
      }
    }
    for (Map.Entry<String, QueuePlan> gone : previous.entrySet()) {
      if (!byName.containsKey(gone.getKey())) {
        try {
          steps.beforeStart(gone.getValue(), null);
        } catch (Exception ex) {
          failures.put(gone.getKey(), ex.getMessage());
        }
      }
    }
    plans = List.copyOf(byName.values());
    changed.removeAll(failures.keySet());
    return new ApplyResult(changed, failures);
  }

  private void drain(String name, Running r) throws InterruptedException {
    if (r.pump() == null) {
      return;
    }
    r.pump().requestStop();
    if (!r.pump().awaitStopped(grace)) {
      LOG.warn("queue {}: drain exceeded {}; releasing unsettled rows", name, grace);
      r.pump().forceStop();
      r.pump().awaitStopped(Duration.ofSeconds(10));
    }
  }

  /** The plans in force. */
  @Override
  public List<QueuePlan> plans() {
    return plans;
  }

  /** The pump of a queue, or null when the queue is off or unknown. */
  @Override
  public synchronized QueuePump pump(String queue) {
    Running r = running.get(queue);
    return r == null ? null : r.pump();
  }

  /** The sinks by name. */
  @Override
  public Map<String, Sink> sinks() {
    return sinks;
  }

  private void fatal(Throwable t) {
    if (fatal.compareAndSet(null, t)) {
      LOG.error("stopping: {}", t.getMessage());
      requestStop();
    }
  }

  /** First SIGTERM: stop claiming and settle. Idempotent. */
  public void requestStop() {
    stopRequested.countDown();
  }

  /** Second SIGTERM: give every unsettled row back now. */
  public void forceStop() {
    forced = true;
    stopRequested.countDown();
    List<Running> rs;
    synchronized (this) {
      rs = List.copyOf(running.values());
    }
    for (Running r : rs) {
      if (r.pump() != null) {
        r.pump().forceStop();
      }
    }
  }

  /** True once a stop was requested (by a signal or a fatal error). */
  @Override
  public boolean stopping() {
    return stopRequested.getCount() == 0;
  }

  /** Blocks until a stop is requested, drains within the grace period, closes sinks. */
  public ExitCode awaitExit() throws InterruptedException {
    stopRequested.await();
    List<Running> rs;
    synchronized (this) {
      rs = List.copyOf(running.values());
    }
    for (Running r : rs) {
      if (r.pump() != null) {
        r.pump().requestStop();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Running r : rs) {
      if (r.pump() == null) {
        continue;
      }
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      if (forced || !r.pump().awaitStopped(left)) {
        LOG.warn("queue {}: grace period over; releasing unsettled rows", r.plan().name());
        r.pump().forceStop();
        r.pump().awaitStopped(Duration.ofSeconds(10));
      }
    }
    for (AutoCloseable c : closeOnExit) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", c, e.toString());
      }
    }
    for (Sink s : sinks.values()) {
      s.close();
    }
    Throwable t = fatal.get();
    if (t == null) {
      LOG.info("stopped: every claimed row settled");
      return ExitCode.OK;
    }
    if (t instanceof QueueSourceException q) {
      return switch (q.kind()) {
        case PRIVILEGE -> ExitCode.PRIVILEGE;
        case UNKNOWN_TABLE, INVALID -> ExitCode.CONFIG;
        default -> ExitCode.FAILED;
      };
    }
    return ExitCode.FAILED;
  }

  /** The first fatal cause, if any. */
  public Throwable fatalCause() {
    return fatal.get();
  }
}
