package org.q4mbridge.bridge;

import com.codahale.metrics.MetricRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.q4mbridge.bridge.cli.CliException;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.bridge.ops.MetricNames;
import org.q4mbridge.bridge.ops.MetricsListener;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.q4m.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code q4m-bridge run}: validate → connect to MySQL → check the bridge schema → start and probe
 * the sinks → consume, until SIGTERM (graceful) or a second SIGTERM (immediate release). SIGHUP
 * reloads the file: an invalid file changes nothing and is reported; a valid one restarts only the
 * queues whose plan changed.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final Path file;
  private final Bridge bridge;
  private final MetricRegistry registry;
  private volatile BridgeConfig config;
  private volatile String lastReloadError;

  private Daemon(Path file, BridgeConfig config, Bridge bridge, MetricRegistry registry) {
    this.file = file;
    this.config = config;
    this.bridge = bridge;
    this.registry = registry;
  }

  /** Runs until stopped; returns the exit code. */
  public static ExitCode run(Path file, BridgeConfig config) throws InterruptedException {
    MetricRegistry registry = new MetricRegistry();
    Daemon d = start(file, config, registry);
    d.installSignals();
    return d.bridge.awaitExit();
  }

  /** Starts a daemon without signal handlers (tests and the demo drive it directly). */
  public static Daemon start(Path file, BridgeConfig config, MetricRegistry registry) {
    // MySQL first: when it cannot be reached, that is the one thing to say (naming the server),
    // not a schema that cannot be read.
    requireDatabase(config);
    requireSchema(config);
    Bridge bridge = Assembly.bridge(config, Assembly.sinks(config), new MetricsListener(registry));
    bridge.start(Assembly.plans(config));
    LOG.info("q4m-bridge running with {} queue(s) from {}", config.queues().size(), file);
    return new Daemon(file, config, bridge, registry);
  }

  public Bridge bridge() {
    return bridge;
  }

  public MetricRegistry registry() {
    return registry;
  }

  public BridgeConfig config() {
    return config;
  }

  /** The last reload's error, or null when the last reload succeeded (or none happened). */
  public String lastReloadError() {
    return lastReloadError;
  }

  static void requireSchema(BridgeConfig c) {
    try {
      new BridgeSchema(
              Assembly.plainUrl(c.database().url()),
              c.database().user(),
              c.database().password().map(s -> s.reveal()).orElse(null),
              c.database().schema())
          .requireCurrent();
    } catch (IllegalStateException e) {
      ExitCode code =
          e.getMessage().contains("run 'q4m-bridge migrate'")
              ? ExitCode.SCHEMA
              : ExitCode.UNAVAILABLE;
      throw new CliException(code, CliException.reason(e), e);
    }
  }

  static void requireDatabase(BridgeConfig c) {
    try (Connection conn = Assembly.connections(c.database()).open()) {
      conn.isValid(5);
    } catch (SQLException e) {
      throw new CliException(
          SqlErrors.privilege(e) ? ExitCode.PRIVILEGE : ExitCode.UNAVAILABLE,
          "cannot connect to "
              + c.database().url()
              + " as "
              + c.database().user()
              + ": "
              + CliException.reason(e),
          e);
    }
  }

  /**
   * Re-reads the file and applies it. An invalid file or a plan that cannot be applied changes
   * nothing; the error is logged, counted and kept for the status page.
   *
   * @return true when the new configuration is in force
   */
  public synchronized boolean reload() {
    BridgeConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (ConfigException e) {
      return reloadFailed(
          "invalid configuration, keeping the running one: " + String.join("; ", e.errors()));
    }
    if (!next.sinks().equals(config.sinks()) || !next.database().equals(config.database())) {
      return reloadFailed(
          "sinks or database changed: restart the service to apply them (queues were not changed)");
    }
    try {
      List<QueuePlan> plans = Assembly.plans(next);
      List<String> restarted = bridge.apply(plans);
      config = next;
      lastReloadError = null;
      registry.counter(MetricNames.RELOADS_APPLIED).inc();
      LOG.info("reloaded {}: restarted queues {}", file, restarted);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reloadFailed("interrupted while draining queues");
    } catch (RuntimeException e) {
      return reloadFailed(e.getMessage());
    }
  }

  private boolean reloadFailed(String why) {
    lastReloadError = why;
    registry.counter(MetricNames.RELOADS_FAILED).inc();
    LOG.error("reload of {} refused: {}", file, why);
    return false;
  }

  private void installSignals() {
    AtomicInteger terms = new AtomicInteger();
    sun.misc.SignalHandler term =
        sig -> {
          if (terms.incrementAndGet() == 1) {
            LOG.info(
                "SIG{}: stopping — settling in-flight rows (again to release them now)",
                sig.getName());
            bridge.requestStop();
          } else {
            LOG.warn("SIG{} again: releasing every unsettled row now", sig.getName());
            bridge.forceStop();
          }
        };
    Signal.handle(new Signal("TERM"), term);
    Signal.handle(new Signal("INT"), term);
    Signal.handle(
        new Signal("HUP"),
        sig -> {
          Thread t = new Thread(this::reload, "reload");
          t.setDaemon(true);
          t.start();
        });
  }
}
