package org.q4mbridge.bridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.Bridge;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.QueueConfig;

/**
 * (d) The real pump: a {@link Bridge} wired by {@link Assembly} from a bridge configuration, as
 * {@code q4m-bridge run} wires it (without the signal handlers, the admin listener and the phase
 * log, which a bench does not exercise), consuming the scratch queue in cutover.
 *
 * <p>Lifecycle: {@link #start} → wait on {@link #listener} → {@link #stop()} (settles in-flight
 * rows and closes the sinks) → {@link #close()} (deletes the destination). Main thread only.
 */
final class PumpRun implements AutoCloseable {
  static final String DRAIN_LATENCY =
      "insert → confirmed (created_at → delete committed); in a drain mostly the row's wait in"
          + " the backlog";

  final BenchListener listener = new BenchListener();
  final Sweep shape;
  final String id;
  private final BenchContext ctx;
  private final String destination;
  private final Bridge bridge;
  private ExitCode exit;

  private PumpRun(BenchContext ctx, String id, Sweep shape, String destination, BridgeConfig c) {
    this.ctx = ctx;
    this.id = id;
    this.shape = shape;
    this.destination = destination;
    this.bridge = Assembly.bridge(c, Assembly.sinks(c), listener);
  }

  /**
   * Starts a pump with {@code shape}; with {@code defaults} the configuration names no consumers or
   * batch size, so the defaults a user gets apply.
   */
  static PumpRun start(BenchContext ctx, String id, Sweep shape, boolean defaults)
      throws Exception {
    String destination = ctx.target.destination(id);
    ctx.target.prepare(destination);
    BridgeConfig config = ctx.config(destination, shape, defaults);
    QueueConfig q = config.queues().get(0);
    PumpRun run =
        new PumpRun(ctx, id, new Sweep(q.consumers(), q.batchSize()), destination, config);
    try {
      run.bridge.start(Assembly.plans(config));
    } catch (RuntimeException e) {
      ctx.target.cleanup(destination);
      throw e;
    }
    return run;
  }

  /**
   * Waits until {@code rows} rows are acknowledged, printing progress (and handing each line to
   * {@code sample}); fails when the bridge stopped on a fatal error or the timeout passed.
   */
  void awaitAcknowledged(long rows, long startNanos, Sampler sample) throws Exception {
    Duration every = ctx.settings.progressEvery();
    long deadline = startNanos + ctx.settings.timeout().toNanos();
    long[] last = {startNanos, 0};
    while (!listener.awaitAcknowledged(rows, every)) {
      long now = System.nanoTime();
      long acked = listener.acknowledged.get();
      double rate = (acked - last[1]) / Math.max(1e-9, (now - last[0]) / 1e9);
      Scenarios.progress(ctx, id, acked, rows, last);
      if (sample != null) {
        sample.sample((now - startNanos) / 1e9, acked, rate);
      }
      if (bridge.stopping()) {
        Throwable t = bridge.fatalCause();
        throw new IllegalStateException(
            id + ": the bridge stopped: " + (t == null ? "unknown cause" : t.getMessage()), t);
      }
      if (now - deadline > 0) {
        throw new IllegalStateException(
            id
                + " did not finish within "
                + org.q4mbridge.bridge.config.Durations.format(ctx.settings.timeout())
                + " (--timeout)");
      }
    }
  }

  /** Receives one progress sample. */
  @FunctionalInterface
  interface Sampler {
    void sample(double atSeconds, long acknowledged, double jobsPerSecond);
  }

  /** Stops claiming, settles, closes the sinks; idempotent. */
  ExitCode stop() throws InterruptedException {
    if (exit == null) {
      bridge.requestStop();
      exit = bridge.awaitExit();
    }
    return exit;
  }

  /** What did not go as planned: retried, dead-lettered or unconfirmed rows, problems. */
  List<String> anomalies() {
    List<String> out = new ArrayList<>();
    BenchListener l = listener;
    if (l.notConfirmed.get() > 0) {
      out.add(l.notConfirmed.get() + " messages were not confirmed at first (retried)");
    }
    if (l.released.get() > 0) {
      out.add(l.released.get() + " rows were released to be retried");
    }
    if (l.deadLettered.get() > 0) {
      out.add(l.deadLettered.get() + " rows were dead-lettered: " + l.lastProblem());
    }
    if (l.problems.get() > 0) {
      out.add(l.problems.get() + " recoverable problems, last: " + l.lastProblem());
    }
    if (exit != null && exit != ExitCode.OK) {
      out.add("the bridge exited with " + exit);
    }
    return out;
  }

  /** Preloads {@code rows}, drains them with the pump and reports (throughput mode). */
  static ScenarioResult drain(BenchContext ctx, Sweep shape, boolean defaults) throws Exception {
    String id = "pump-" + shape;
    long rows = ctx.settings.rows();
    Scenarios.preload(ctx, id, rows);
    Scenarios.gc();
    ResourceMeter meter = ResourceMeter.start();
    long start = System.nanoTime();
    try (PumpRun run = start(ctx, id, shape, defaults)) {
      run.awaitAcknowledged(rows, start, null);
      ResourceUsage usage = meter.stop();
      double seconds = run.listener.activeSeconds();
      long acked = run.listener.acknowledged.get();
      run.stop();
      List<String> anomalies = new ArrayList<>(run.anomalies());
      anomalies.addAll(Scenarios.leftovers(ctx));
      return new ScenarioResult(
          id,
          "pump",
          ScenarioResult.PUMP,
          run.shape.consumers(),
          run.shape.batchSize(),
          defaults,
          acked,
          seconds,
          acked / seconds,
          run.listener.endToEnd.stats(DRAIN_LATENCY),
          usage,
          anomalies);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stop();
    } finally {
      ctx.target.cleanup(destination);
    }
  }
}
