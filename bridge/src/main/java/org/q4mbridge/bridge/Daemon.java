package org.q4mbridge.bridge;

import com.codahale.metrics.MetricRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.q4mbridge.bridge.cli.CliException;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.bridge.ops.Lifecycle;
import org.q4mbridge.bridge.ops.MetricNames;
import org.q4mbridge.bridge.ops.Operations;
import org.q4mbridge.bridge.phase.PhaseController;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.verify.TransportVerification;
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
  // Operations hooks (metrics, admin HTTP, systemd): told about start, reload and stop.
  private volatile Lifecycle lifecycle = Lifecycle.NONE;

  private final PhaseController phases;
  private final TransportVerification verification;

  private Daemon(
      Path file,
      BridgeConfig config,
      Bridge bridge,
      MetricRegistry registry,
      PhaseController phases,
      TransportVerification verification) {
    this.verification = verification;
    this.file = file;
    this.config = config;
    this.bridge = bridge;
    this.registry = registry;
    this.phases = phases;
  }

  /** Runs until stopped; returns the exit code. */
  public static ExitCode run(Path file, BridgeConfig config) throws InterruptedException {
    if (config.logging().format() == org.q4mbridge.bridge.config.LoggingConfig.Format.JSON) {
      org.q4mbridge.bridge.ops.LoggingSetup.json();
    }
    MetricRegistry registry = new MetricRegistry();
    // The handlers go in before READY=1: systemd may send SIGHUP the moment it sees READY, and
    // the JVM's own HUP handler would stop the process instead of reloading it.
    Daemon d = start(file, config, registry, Operations.Settings.service(), Daemon::installSignals);
    try {
      ExitCode code = d.bridge.awaitExit();
      Throwable fatal = d.bridge.fatalCause();
      if (code != ExitCode.OK && fatal != null) {
        // The one line a person running `run` (or reading journalctl) needs, with the exit code.
        throw new CliException(code, "stopped: " + fatal.getMessage(), fatal);
      }
      return code;
    } finally {
      d.lifecycle.stopped();
    }
  }

  /**
   * Starts a daemon without signal handlers (tests and the demo drive it directly), with metrics
   * but without the admin listener, JMX or systemd notifications.
   */
  public static Daemon start(Path file, BridgeConfig config, MetricRegistry registry) {
    return start(file, config, registry, Operations.Settings.embedded());
  }

  /**
   * Starts a daemon without signal handlers, with the operations {@code ops} asks for. Operations
   * are told the bridge is ready (systemd READY=1) only once every required sink passed its probe.
   */
  public static Daemon start(
      Path file, BridgeConfig config, MetricRegistry registry, Operations.Settings ops) {
    return start(file, config, registry, ops, d -> {});
  }

  private static Daemon start(
      Path file,
      BridgeConfig config,
      MetricRegistry registry,
      Operations.Settings ops,
      java.util.function.Consumer<Daemon> beforeReady) {
    // MySQL first: when it cannot be reached, that is the one thing to say (naming the server),
    // not a schema that cannot be read.
    requireDatabase(config);
    requireSchema(config);
    PhaseController phases = Assembly.phases(config);
    List<PhaseController.Change> changes;
    try {
      changes = phases.changes(config);
      List<String> refused = phases.refusals(changes);
      if (!refused.isEmpty()) {
        throw new CliException(ExitCode.CONFIG, String.join("\nq4m-bridge: ", refused));
      }
    } catch (SQLException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE, "cannot read the phase log: " + e.getMessage(), e);
    }
    Operations operations =
        Operations.open(config, registry, ops, Assembly.connections(config.database()));
    Map<String, Sink> sinks = Assembly.sinks(config);
    Bridge bridge = Assembly.bridge(config, sinks, operations.pumpListener());
    bridge.steps(phases);
    TransportVerification verification = Assembly.verification(config, sinks);
    bridge.forwardLogs(verification::forwardLog);
    bridge.closeOnExit(verification);
    registry.gauge(MetricNames.TRANSPORT_LEDGER_DROPPED, () -> verification::ledgerDropped);
    registry.gauge(
        MetricNames.TRANSPORT_OBSERVATIONS_DROPPED, () -> verification::observationsDropped);
    List<QueuePlan> plans = Assembly.plans(config);
    try {
      // Before the pumps: each verify group must exist before the first publish.
      verification.apply(plans, Assembly.selection(config));
      bridge.start(plans);
    } catch (RuntimeException e) {
      verification.close();
      operations.stopped();
      throw e;
    }
    phases.record(changes, digest(file));
    LOG.info("q4m-bridge running with {} queue(s) from {}", config.queues().size(), file);
    Daemon d = new Daemon(file, config, bridge, registry, phases, verification);
    d.lifecycle = operations;
    beforeReady.accept(d);
    operations.ready(bridge, d::lastReloadError);
    return d;
  }

  /** SHA-256 of the configuration file, written to the phase log with each transition. */
  public static String digest(Path file) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(java.nio.file.Files.readAllBytes(file));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      return "0".repeat(64);
    }
  }

  /** Operations of this daemon (the admin listener's address, the status snapshot). */
  public Operations operations() {
    return lifecycle instanceof Operations o ? o : null;
  }

  public Bridge bridge() {
    return bridge;
  }

  /** Transport verification: the ledger and the shadow consumers. */
  public TransportVerification verification() {
    return verification;
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
      List<PhaseController.Change> changes = phases.changes(next);
      List<String> refused = phases.refusals(changes);
      if (!refused.isEmpty()) {
        return reloadFailed(String.join("; ", refused) + " — nothing was changed");
      }
      List<QueuePlan> plans = Assembly.plans(next);
      // Verify groups of queues that start being verified exist before their pumps publish.
      verification.apply(plans, Assembly.selection(next));
      Bridge.ApplyResult applied = bridge.apply(plans);
      // The plans actually in force (a queue whose change failed kept its old plan).
      verification.apply(bridge.plans(), Assembly.selection(next));
      phases.record(
          changes.stream()
              .filter(c -> !applied.failed().containsKey(c.queue().table().toString()))
              .toList(),
          digest(file));
      if (!applied.failed().isEmpty()) {
        // Some queues kept their old settings; the file is not fully in force.
        List<String> why = new java.util.ArrayList<>();
        applied.failed().forEach((q, m) -> why.add("queue " + q + ": " + m));
        return reloadFailed(String.join("; ", why));
      }
      List<String> restarted = applied.restarted();
      config = next;
      lastReloadError = null;
      registry.counter(MetricNames.RELOADS_APPLIED).inc();
      LOG.info("reloaded {}: restarted queues {}", file, restarted);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reloadFailed("interrupted while draining queues");
    } catch (SQLException e) {
      return reloadFailed("cannot read the phase log: " + e.getMessage());
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

  /** SIGHUP: a reload between the lifecycle's reloading and reloaded (systemd RELOADING/READY). */
  private void reloadOnSignal() {
    lifecycle.reloading();
    boolean applied = false;
    try {
      applied = reload();
    } finally {
      lifecycle.reloaded(applied, lastReloadError);
    }
  }

  private void installSignals() {
    AtomicInteger terms = new AtomicInteger();
    sun.misc.SignalHandler term =
        sig -> {
          if (terms.incrementAndGet() == 1) {
            LOG.info(
                "SIG{}: stopping — settling in-flight rows (again to release them now)",
                sig.getName());
            lifecycle.stopping();
            bridge.requestStop();
          } else {
            LOG.warn("SIG{} again: releasing every unsettled row now", sig.getName());
            bridge.forceStop();
          }
        };
    warnIfIgnored(Signal.handle(new Signal("TERM"), term), "TERM", "stop gracefully");
    // INT is ignored in every background job of a script; only an interactive Ctrl-C needs it.
    Signal.handle(new Signal("INT"), term);
    warnIfIgnored(
        Signal.handle(
            new Signal("HUP"),
            sig -> {
              Thread t = new Thread(this::reloadOnSignal, "reload");
              t.setDaemon(true);
              t.start();
            }),
        "HUP",
        "reload the configuration");
  }

  /**
   * The JVM leaves a shutdown signal that the process inherited as ignored (nohup ignores HUP)
   * ignored, and installs no handler: say so, or a reload or stop would silently do nothing.
   */
  private static void warnIfIgnored(sun.misc.SignalHandler previous, String name, String what) {
    if (previous == sun.misc.SignalHandler.SIG_IGN) {
      LOG.warn(
          "SIG{} is ignored by this process (inherited, e.g. from nohup): it will not {}; start"
              + " the bridge without ignoring it (systemd does)",
          name,
          what);
    }
  }
}
