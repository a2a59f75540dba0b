package org.q4mbridge.bridge.e2e;

import com.codahale.metrics.MetricRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.MetricNames;

/**
 * The daemon in the test's JVM, started from a YAML file as {@code q4m-bridge run} would (minus the
 * signal handlers), with a metric registry of its own so every run's figures stand apart.
 */
final class RunningBridge implements AutoCloseable {
  private final Daemon daemon;
  private final MetricRegistry registry;
  private boolean stopped;

  private RunningBridge(Daemon daemon, MetricRegistry registry) {
    this.daemon = daemon;
    this.registry = registry;
  }

  /** Writes {@code yaml} to a temporary file; the caller deletes it. */
  static Path writeConfig(String yaml) throws Exception {
    Path f = Files.createTempFile("q4m-bridge-e2e", ".yml");
    Files.writeString(f, yaml);
    return f;
  }

  /** Validates the file and starts the daemon on it (sinks probed, pumps running). */
  static RunningBridge start(Path file) throws Exception {
    MetricRegistry registry = new MetricRegistry();
    return new RunningBridge(Daemon.start(file, ConfigLoader.load(file), registry), registry);
  }

  long acknowledged(String queue) {
    return registry.meter(MetricNames.rowsAcknowledged(queue)).getCount();
  }

  long released(String queue) {
    return registry.meter(MetricNames.rowsReleased(queue)).getCount();
  }

  long deadLettered(String queue) {
    return registry.meter(MetricNames.rowsDeadLettered(queue)).getCount();
  }

  long problems(String queue) {
    return registry.meter(MetricNames.problems(queue)).getCount();
  }

  long backPressure(String queue) {
    return registry.meter(MetricNames.backPressure(queue)).getCount();
  }

  long confirmed(String sink) {
    return registry.meter(MetricNames.sinkConfirmed(sink)).getCount();
  }

  long unknown(String sink) {
    return registry.meter(MetricNames.sinkUnknown(sink)).getCount();
  }

  long rejected(String sink) {
    return registry.meter(MetricNames.sinkRejected(sink)).getCount();
  }

  long skipped(String sink) {
    return registry.meter(MetricNames.sinkSkipped(sink)).getCount();
  }

  /** Whether the named sink reports itself healthy (started, connected, not blocked). */
  boolean healthy(String sink) {
    return daemon.bridge().sinks().get(sink).healthy();
  }

  /** As the first SIGTERM: stop claiming, settle what is in flight, close the sinks. */
  ExitCode stop() throws InterruptedException {
    if (stopped) {
      return ExitCode.OK;
    }
    stopped = true;
    daemon.bridge().requestStop();
    return daemon.bridge().awaitExit();
  }

  /**
   * As a crash: every unsettled row goes back to the queue at once, whatever its sinks already
   * received; then the sinks are closed (bounded by their close timeouts).
   */
  void crash() throws InterruptedException {
    stopped = true;
    daemon.bridge().forceStop();
    daemon.bridge().awaitExit();
  }

  /** Rows the queue's pump has claimed and not yet settled. */
  long inFlight(String queue) {
    var pump = daemon.bridge().pump(queue);
    return pump == null ? 0 : pump.inFlight();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
