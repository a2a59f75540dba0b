package org.q4mbridge.bridge.ops;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.q4mbridge.bridge.cli.CliException;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.pump.PumpListener;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.pump.QueuePump;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that lets people and machines watch the daemon, wired in one place: the pump listener
 * behind the metrics, the backlog sampler, per-queue gauges, the admin HTTP listener, JMX, and
 * systemd notifications (READY, RELOADING, STOPPING, WATCHDOG tied to progress, STATUS).
 *
 * <p>Lifecycle: {@link #open} (binds the admin port, so a taken port fails the start before any row
 * is claimed) → the daemon builds the bridge with {@link #pumpListener()} and starts it (sinks
 * probed) → {@link #ready} (sampler, HTTP, JMX, first snapshot, then READY=1) → the {@link
 * Lifecycle} callbacks → {@link #stopped()}.
 *
 * <p>Threading: one "ops" thread refreshes the {@link Status} snapshot every second, keeps the
 * per-queue gauges in step with the plans in force, pings the watchdog and updates STATUS; it is
 * the only thread that reads the bridge's pumps. HTTP requests read the snapshot only.
 */
public final class Operations implements Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
  private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

  /**
   * What to run besides metrics.
   *
   * @param adminHttp serve {@code admin.listen}
   * @param jmx report the registry as MBeans (domain {@code q4m_bridge})
   * @param systemd notify {@code $NOTIFY_SOCKET} when set
   * @param progressWindow how long a queue with backlog may go without a confirmed row and still
   *     count as making progress (readiness and watchdog)
   * @param sampleInterval how often the backlog is measured
   */
  public record Settings(
      boolean adminHttp,
      boolean jmx,
      boolean systemd,
      Duration progressWindow,
      Duration sampleInterval) {

    /** {@code q4m-bridge run}: everything on; 30 s progress window, backlog every 5 s. */
    public static Settings service() {
      return new Settings(true, true, true, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /**
     * An in-process bridge (the demo, tests): metrics and backlog only, no listener, no JMX, no
     * systemd — several may run in one JVM.
     */
    public static Settings embedded() {
      return new Settings(false, false, false, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }
  }

  private final BridgeConfig config;
  private final MetricRegistry registry;
  private final Settings settings;
  private final ConnectionFactory connections;
  private final Activity activity;
  private final AdminServer admin;
  private final SystemdNotifier systemd;
  private final Clock clock = Clock.systemUTC();
  private final long startedNanos = System.nanoTime();
  private final Instant startedAt = clock.instant();
  private final String version;

  // Owned by the ops thread (and by ready() before that thread starts).
  private final Map<String, Long> queueSeen = new HashMap<>();
  private final Map<String, QueuePump> queuePump = new HashMap<>();
  private final Map<String, Deque<long[]>> rateSamples = new HashMap<>();
  private final Set<String> gauges = new HashSet<>();
  private long lastWatchdogNanos;
  private String lastStatusLine = "";
  private boolean stoppingSeen;

  private volatile BridgeView bridge;
  private volatile Supplier<String> lastReloadError = () -> null;
  private volatile Status snapshot;
  private volatile String state = "starting";
  private volatile boolean stoppingSent;
  private ScheduledExecutorService thread;
  private BacklogSampler sampler;
  private JmxReporter jmx;
  private boolean closed;

  private Operations(
      BridgeConfig config,
      MetricRegistry registry,
      Settings settings,
      ConnectionFactory connections,
      InetSocketAddress adminAddress,
      SystemdNotifier systemd)
      throws IOException {
    this.config = config;
    this.registry = registry;
    this.settings = settings;
    this.connections = connections;
    this.admin =
        adminAddress == null
            ? null
            : new AdminServer(adminAddress, this::status, new PrometheusMetrics(registry));
    this.systemd = systemd;
    this.activity = new Activity(new MetricsListener(registry), System::nanoTime, clock);
    String v = Operations.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  /**
   * Prepares operations for a daemon about to start; binds the admin port when asked.
   *
   * @param connections connections for the backlog sampler (one, opened on first use)
   * @throws CliException UNAVAILABLE when {@code admin.listen} cannot be bound
   */
  public static Operations open(
      BridgeConfig config,
      MetricRegistry registry,
      Settings settings,
      ConnectionFactory connections) {
    InetSocketAddress address =
        settings.adminHttp()
            ? new InetSocketAddress(config.admin().host(), config.admin().port())
            : null;
    SystemdNotifier systemd =
        settings.systemd()
            ? SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid())
            : SystemdNotifier.NONE;
    try {
      return new Operations(config, registry, settings, connections, address, systemd);
    } catch (IOException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "admin.listen " + config.admin().listen() + ": cannot listen: " + e.getMessage(),
          e);
    }
  }

  /** Give this to the bridge: it feeds metrics, readiness and the status page. */
  public PumpListener pumpListener() {
    return activity;
  }

  /** Where the admin listener answers, or null when it does not run. */
  public URI adminUri() {
    if (admin == null) {
      return null;
    }
    InetSocketAddress a = admin.address();
    String host =
        a.getHostString().contains(":") ? "[" + a.getHostString() + "]" : a.getHostString();
    return URI.create("http://" + host + ":" + a.getPort());
  }

  /**
   * The bridge started and every required sink answered its probe: starts measuring, serving and
   * reporting, then tells systemd READY=1.
   */
  public synchronized void ready(BridgeView bridge, Supplier<String> lastReloadError) {
    this.bridge = bridge;
    this.lastReloadError = lastReloadError;
    this.state = "running";
    sampler =
        new BacklogSampler(connections, bridge::plans, registry, settings.sampleInterval(), clock);
    sampler.start();
    registry.gauge(MetricNames.READY, () -> () -> snapshot != null && snapshot.ready() ? 1 : 0);
    // Counters exist from the start at 0, so Prometheus' increase() sees their first step.
    registry.counter(MetricNames.RELOADS_APPLIED);
    registry.counter(MetricNames.RELOADS_FAILED);
    refresh();
    if (admin != null) {
      admin.start();
      LOG.info("admin listener on {} (/metrics, /health/live, /health/ready, /status)", adminUri());
    }
    if (settings.jmx()) {
      jmx = JmxReporter.forRegistry(registry).inDomain(MetricNames.PREFIX).build();
      jmx.start();
    }
    Duration tick = Duration.ofSeconds(1);
    if (systemd.watchdogInterval() != null && systemd.watchdogInterval().compareTo(tick) < 0) {
      tick = systemd.watchdogInterval();
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ops");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    systemd.ready(statusLine(snapshot));
  }

  /** The latest snapshot (refreshed every second), or null before {@link #ready}. */
  public Status status() {
    return snapshot;
  }

  @Override
  public void reloading() {
    state = "reloading";
    systemd.reloading("reloading " + config.source());
  }

  @Override
  public void reloaded(boolean applied, String error) {
    state = "running";
    systemd.ready(
        applied
            ? "reloaded " + config.source()
            : "reload refused, running configuration unchanged: " + error);
  }

  @Override
  public void stopping() {
    state = "stopping";
    if (!stoppingSent) {
      stoppingSent = true;
      systemd.stopping("stopping: settling in-flight rows");
    }
  }

  @Override
  public synchronized void stopped() {
    if (closed) {
      return;
    }
    closed = true;
    if (thread != null) {
      thread.shutdownNow();
    }
    if (sampler != null) {
      sampler.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (jmx != null) {
      jmx.stop();
    }
    systemd.close();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("operations tick failed: {}", e.toString());
    }
  }

  private void tick() {
    BridgeView b = bridge;
    if (b.stopping() && !stoppingSeen) {
      // Also covers a stop caused by a fatal error, which no signal handler reports.
      stoppingSeen = true;
      stopping();
      if (!settings.adminHttp()) {
        // Nobody can look any more, and nobody calls stopped() on an embedded bridge: stop
        // measuring and ticking with its pumps.
        sampler.close();
        thread.shutdown();
        return;
      }
    }
    refresh();
    Status s = snapshot;
    Duration every = systemd.watchdogInterval();
    long now = System.nanoTime();
    if (every != null && now - lastWatchdogNanos >= every.toNanos() - every.toNanos() / 10) {
      // Only while making progress: a bridge stuck with backlog stops pinging and systemd restarts
      // it after WatchdogSec.
      if (s.queues().stream().allMatch(Status.Queue::ready)) {
        systemd.watchdog();
        lastWatchdogNanos = now;
      }
    }
    String line = statusLine(s);
    if (!line.equals(lastStatusLine)) {
      systemd.status(line);
      lastStatusLine = line;
    }
  }

  /** Rebuilds the snapshot. Runs on the ops thread (or in {@link #ready} before it starts). */
  private void refresh() {
    BridgeView b = bridge;
    long now = System.nanoTime();
    List<QueuePlan> plans = b.plans();
    syncGauges(plans, b.sinks());
    List<Status.Queue> queues = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (QueuePlan p : plans) {
      Status.Queue q = queue(b, p, now);
      queues.add(q);
      if (!q.ready()) {
        notReady.add(q.name() + ": " + q.notReadyReason());
      }
    }
    List<Status.Sink> sinks = new ArrayList<>();
    for (Map.Entry<String, Sink> e : b.sinks().entrySet()) {
      String n = e.getKey();
      sinks.add(
          new Status.Sink(
              n,
              e.getValue().healthy(),
              registry.meter(MetricNames.sinkConfirmed(n)).getCount(),
              registry.meter(MetricNames.sinkRejected(n)).getCount(),
              registry.meter(MetricNames.sinkUnknown(n)).getCount()));
    }
    String st = b.stopping() ? "stopping" : state;
    if (st.equals("stopping")) {
      notReady.add(0, "stopping");
    }
    snapshot =
        new Status(
            version,
            clock.instant(),
            Duration.ofNanos(now - startedNanos).toSeconds(),
            st,
            notReady.isEmpty(),
            notReady,
            lastReloadError.get(),
            queues,
            sinks);
  }

  private Status.Queue queue(BridgeView b, QueuePlan p, long now) {
    String name = p.name();
    List<String> tables =
        p.source().subscriptions().stream().map(Subscription::table).map(Object::toString).toList();
    long acked = registry.meter(MetricNames.rowsAcknowledged(name)).getCount();
    long dead = registry.meter(MetricNames.rowsDeadLettered(name)).getCount();
    long released = registry.meter(MetricNames.rowsReleased(name)).getCount();
    double[] rates = rates(name, now, acked, dead);
    if (p.idle()) {
      return new Status.Queue(
          name,
          p.phase(),
          tables,
          null,
          p.requiredSinks(),
          p.bestEffortSinks(),
          0,
          0,
          null,
          null,
          null,
          rates[0],
          rates[1],
          acked,
          dead,
          released,
          null,
          true,
          null,
          activity.errors(name));
    }
    QueuePump pump = b.pump(name);
    // A queue restarted by a reload starts its progress window afresh.
    if (queuePump.get(name) != pump) {
      queuePump.put(name, pump);
      queueSeen.put(name, now);
    }
    long since = queueSeen.get(name);
    Long lastAck = activity.lastAckNanos(name);
    if (lastAck != null && lastAck - since > 0) {
      since = lastAck;
    }
    Duration sinceProgress = Duration.ofNanos(Math.max(0, now - since));
    BacklogSampler.Backlog backlog = sampler.backlog(name);
    Long rows = backlog == null ? null : backlog.rows();
    String backlogError = backlog == null ? null : backlog.error();
    List<String> unhealthy = new ArrayList<>();
    for (String s : p.requiredSinks()) {
      Sink sink = b.sinks().get(s);
      if (sink != null && !sink.healthy()) {
        unhealthy.add(s);
      }
    }
    String reason =
        Readiness.notReadyReason(
            rows, backlogError, sinceProgress, settings.progressWindow(), unhealthy);
    return new Status.Queue(
        name,
        p.phase(),
        tables,
        p.settings().destination(),
        p.requiredSinks(),
        p.bestEffortSinks(),
        p.settings().consumers(),
        pump == null ? 0 : pump.inFlight(),
        rows,
        backlog == null ? null : backlog.oldestAgeSeconds(),
        backlogError,
        rates[0],
        rates[1],
        acked,
        dead,
        released,
        sinceProgress.toSeconds(),
        reason == null,
        reason,
        activity.errors(name));
  }

  /** Acked/s and dead-lettered/s over the last {@link #RATE_WINDOW}: exact, unlike EWMA rates. */
  private double[] rates(String queue, long now, long acked, long dead) {
    Deque<long[]> d = rateSamples.computeIfAbsent(queue, q -> new ArrayDeque<>());
    d.addLast(new long[] {now, acked, dead});
    while (d.size() > 2 && now - d.peekFirst()[0] > RATE_WINDOW.toNanos()) {
      d.pollFirst();
    }
    long[] first = d.peekFirst();
    double seconds = (now - first[0]) / 1e9;
    if (seconds < 0.5) {
      return new double[] {0, 0};
    }
    return new double[] {(acked - first[1]) / seconds, (dead - first[2]) / seconds};
  }

  /** Registers the gauges of queues and sinks that appeared; removes those of queues that left. */
  private void syncGauges(List<QueuePlan> plans, Map<String, Sink> sinks) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (QueuePlan p : plans) {
      String q = p.name();
      wanted.put(MetricNames.phase(q), q);
      if (!p.idle()) {
        // Meters from the start at 0, so increase() sees the first dead letter too.
        registry.meter(MetricNames.rowsClaimed(q));
        registry.meter(MetricNames.rowsAcknowledged(q));
        registry.meter(MetricNames.rowsReleased(q));
        registry.meter(MetricNames.rowsDeadLettered(q));
        wanted.put(MetricNames.inFlight(q), q);
        wanted.put(MetricNames.backlog(q), q);
        wanted.put(MetricNames.oldestAgeSeconds(q), q);
        wanted.put(MetricNames.secondsSinceProgress(q), q);
      }
    }
    for (String s : sinks.keySet()) {
      wanted.put(MetricNames.sinkHealthy(s), s);
    }
    for (String g : new ArrayList<>(gauges)) {
      if (!wanted.containsKey(g)) {
        registry.remove(g);
        gauges.remove(g);
      }
    }
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (gauges.add(e.getKey())) {
        registry.register(e.getKey(), gauge(e.getKey(), e.getValue(), sinks));
      }
    }
  }

  private Gauge<Double> gauge(String metric, String subject, Map<String, Sink> sinks) {
    if (metric.equals(MetricNames.sinkHealthy(subject))) {
      Sink sink = sinks.get(subject);
      return () -> sink.healthy() ? 1.0 : 0.0;
    }
    if (metric.equals(MetricNames.phase(subject))) {
      return () -> field(subject, q -> (double) phaseNumber(q.phase()));
    }
    if (metric.equals(MetricNames.inFlight(subject))) {
      return () -> field(subject, q -> (double) q.inFlight());
    }
    if (metric.equals(MetricNames.backlog(subject))) {
      return () -> field(subject, q -> q.backlog() == null ? Double.NaN : q.backlog());
    }
    if (metric.equals(MetricNames.oldestAgeSeconds(subject))) {
      return () ->
          field(subject, q -> q.oldestAgeSeconds() == null ? Double.NaN : q.oldestAgeSeconds());
    }
    return () ->
        field(
            subject, q -> q.secondsSinceProgress() == null ? Double.NaN : q.secondsSinceProgress());
  }

  private double field(String queue, java.util.function.ToDoubleFunction<Status.Queue> f) {
    Status s = snapshot;
    if (s == null) {
      return Double.NaN;
    }
    for (Status.Queue q : s.queues()) {
      if (q.name().equals(queue)) {
        return f.applyAsDouble(q);
      }
    }
    return Double.NaN;
  }

  static int phaseNumber(String phase) {
    return switch (phase.toLowerCase(Locale.ROOT)) {
      case "mirror" -> 1;
      case "shadow" -> 2;
      case "cutover" -> 3;
      default -> 0;
    };
  }

  /** One line for systemd's STATUS (what {@code systemctl status} shows). */
  static String statusLine(Status s) {
    StringBuilder b = new StringBuilder(s.ready() ? "ready" : "NOT READY");
    if (!s.state().equals("running")) {
      b.append(" (").append(s.state()).append(')');
    }
    for (Status.Queue q : s.queues()) {
      b.append("; ").append(q.name()).append(' ').append(q.phase());
      if (!q.phase().equals("off")) {
        b.append(" backlog ")
            .append(q.backlog() == null ? "?" : q.backlog().toString())
            .append(String.format(Locale.ROOT, " %.0f acked/s", q.ackedPerSecond()));
      }
    }
    if (s.lastReloadError() != null) {
      b.append("; last reload refused");
    }
    return b.toString();
  }
}
