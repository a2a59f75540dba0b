package org.q4mbridge.bridge.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.bridge.config.Durations;

/**
 * One {@code q4m-bridge bench} invocation: creates the scratch database and the broker
 * destinations, runs the scenarios of the chosen mode one after the other (never two at once: they
 * would share the two cores), writes the report files and removes everything it created.
 *
 * <p>Blocking; runs on the caller's thread and starts its own worker threads per scenario. Progress
 * lines go to {@code out} as it goes.
 */
public final class Bench {
  private static final long MB = 1024 * 1024;

  private final BenchSettings settings;
  private final PrintWriter out;
  private final String command;

  /**
   * @param settings what to run
   * @param out where progress lines go
   * @param command the command line to record with the results
   */
  public Bench(BenchSettings settings, PrintWriter out, String command) {
    this.settings = settings;
    this.out = out;
    this.command = command;
  }

  /** Runs the mode's scenarios and writes the files; returns the report. */
  public BenchReport run() throws Exception {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    BenchDatabase db = new BenchDatabase(settings);
    String mysql;
    try {
      mysql = db.version();
    } catch (java.sql.SQLException e) {
      throw new BenchUnavailableException(
          "cannot reach MariaDB/MySQL at "
              + settings.mysqlUrl()
              + " as "
              + settings.user()
              + ": "
              + e.getMessage(),
          e);
    }
    try (SinkTarget target = open(settings)) {
      BenchContext ctx = new BenchContext(settings, db, target, out);
      ctx.say(
          "bench: %s mode, sink %s (%s), database %s (%s), scratch database %s",
          settings.mode().cliName(),
          settings.sink().cliName(),
          target.describe(),
          settings.mysqlUrl(),
          mysql,
          db.name());
      Environment env =
          new Environment(
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("os.name")
                  + " "
                  + System.getProperty("os.version")
                  + " "
                  + System.getProperty("os.arch"),
              System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
              ResourceMeter.heapMaxBytes() / MB,
              mysql,
              target.describe(),
              load,
              settings.note());
      db.create();
      Result r;
      try {
        r =
            switch (settings.mode()) {
              case THROUGHPUT -> throughput(ctx);
              case LATENCY -> latency(ctx);
              case BACKLOG -> backlog(ctx);
            };
      } finally {
        db.close();
      }
      List<String> notes = new ArrayList<>(commonNotes());
      notes.addAll(r.notes);
      BenchReport report =
          new BenchReport(
              command,
              ProcessHandle.current().info().commandLine().orElse(""),
              started.toString(),
              (System.nanoTime() - t0) / 1e9,
              settings.mode().cliName(),
              settings.sink().cliName(),
              env,
              r.parameters,
              r.scenarios,
              r.ratios,
              r.load,
              r.samples,
              r.targets,
              notes);
      List<Path> files = ReportFiles.write(report, settings.out());
      summary(ctx, report, files);
      return report;
    }
  }

  private static SinkTarget open(BenchSettings settings) {
    try {
      return SinkTarget.open(settings);
    } catch (Exception e) {
      throw new BenchUnavailableException(
          "cannot reach the " + settings.sink().cliName() + " broker: " + e.getMessage(), e);
    }
  }

  /** What a mode contributes to the report. */
  private static final class Result {
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final List<ScenarioResult> scenarios = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    Ratios ratios;
    OfferedLoad load;
    List<BacklogSample> samples = List.of();
    List<TargetCheck> targets = List.of();
  }

  private Result throughput(BenchContext ctx) throws Exception {
    Result r = new Result();
    Sweep defaults = ctx.defaultShape();
    List<Sweep> shapes = new ArrayList<>();
    shapes.add(defaults);
    for (Sweep s : settings.sweep()) {
      if (!shapes.contains(s)) {
        shapes.add(s);
      }
    }
    r.parameters.put("rows per run", settings.rows());
    r.parameters.put("baseline rows", settings.baselineRows());
    r.parameters.put("pump defaults (consumers x batch)", defaults.toString());
    r.parameters.put("poll.maxInterval", pollSetting());
    r.parameters.put("settings (consumers x batch)", shapes.toString());

    r.parameters.put("rounds (median reported)", settings.repeat());

    warmUp(ctx, defaults);
    // Round after round, and setting by setting within a round, so that the ceilings and the pump
    // of one setting run close together in time: the machine's other load drifts, and comparing
    // runs minutes apart would measure the drift. Each scenario reports its median round.
    Map<String, List<ScenarioResult>> rounds = new LinkedHashMap<>();
    for (int round = 1; round <= settings.repeat(); round++) {
      if (settings.repeat() > 1) {
        ctx.say("[round %d/%d]", round, settings.repeat());
      }
      add(rounds, reported(ctx, Baseline.run(ctx)));
      for (Sweep s : shapes) {
        add(rounds, reported(ctx, SourceCeiling.run(ctx, s)));
        add(rounds, reported(ctx, SinkCeiling.run(ctx, s)));
        add(rounds, reported(ctx, PumpRun.drain(ctx, s, s.equals(defaults))));
      }
    }
    for (List<ScenarioResult> runs : rounds.values()) {
      r.scenarios.add(ScenarioResult.median(runs));
    }
    r.ratios = Ratios.of(r.scenarios);
    r.targets = Targets.throughput(settings.sink(), r.ratios);
    r.notes.add(
        "Before the first scenario a tenth of the rows (at least 1,000) go through the pump"
            + " unreported, so that no scenario pays for JIT compilation that the others do not.");
    r.notes.add(
        "Source ceiling: the emulated source alone (claim up to a batch with SELECT … FOR UPDATE SKIP"
            + " LOCKED, delete, commit) at each setting; nothing is published. The ceiling in the"
            + " ratios is the best setting's.");
    r.notes.add(
        "Sink ceiling: as many publishers as the setting has consumers send batches of its size"
            + " through the same sink (same configuration, so the same confirms, persistence and"
            + " dedup) and wait for every verdict; nothing is read from MySQL. The ceiling in the"
            + " ratios is the best setting's.");
    r.notes.add(
        "Baseline: what q4m-forward does — claim one row, publish it, wait for the confirm, delete"
            + " and commit, one row at a time.");
    r.notes.add(
        "Pump: the real bridge (Assembly → Bridge → QueuePump) draining a preloaded table; jobs/s"
            + " is counted from its first claim to its last acknowledgement. The ratios compare the"
            + " pump at default settings with the best ceilings of any setting — stricter than"
            + " comparing it with the ceilings of its own setting; the other settings show what"
            + " tuning buys.");
    r.notes.add(
        "Shared-cores bound: each ceiling is measured alone, with the whole machine to itself. When"
            + " the database, the broker and the bridge share the cores and each ceiling is"
            + " CPU-bound, a job costs the CPU of its claim plus the CPU of its publish, so no pump"
            + " can exceed 1 / (1/source + 1/sink) — two thirds of min(source, sink) when the sink"
            + " is twice as fast. The target is stated against min(source, sink) and is checked"
            + " against it; the bound explains the gap.");
    r.notes.add(
        "In a drain every row waits in the backlog, so the pump's insert → confirmed latency here"
            + " is mostly that wait; latency under a steady load is what --mode latency measures.");
    return r;
  }

  private static void add(Map<String, List<ScenarioResult>> rounds, ScenarioResult s) {
    rounds.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
  }

  /**
   * Drains a tenth of a run's rows through the pump, unreported, so the JIT has compiled the JDBC,
   * mapping and sink paths before the first measured scenario: otherwise whichever ran first would
   * look slower for reasons that have nothing to do with it.
   */
  private void warmUp(BenchContext ctx, Sweep defaults) throws Exception {
    long rows = Math.max(1000, settings.rows() / 10);
    ctx.say("[warm-up] draining %,d rows through the pump (not reported)", rows);
    ctx.db.preload(rows, n -> {});
    try (PumpRun run = PumpRun.start(ctx, "warm-up", defaults, true)) {
      run.awaitAcknowledged(rows, System.nanoTime(), null);
    }
    Scenarios.leftovers(ctx);
  }

  private ScenarioResult reported(BenchContext ctx, ScenarioResult s) {
    LatencyStats l = s.latency();
    ctx.say(
        "[%s] %,d jobs in %.1f s = %,.0f jobs/s; %s p50 %.1f / p95 %.1f / p99 %.1f ms;"
            + " CPU %.2f cores%s; heap after GC %d MB (max %d MB)%s",
        s.id(),
        s.jobs(),
        s.seconds(),
        s.jobsPerSecond(),
        l.measures(),
        l.p50Ms(),
        l.p95Ms(),
        l.p99Ms(),
        s.resources().processCores(),
        s.resources().systemBusyPercent() == null
            ? ""
            : String.format(
                Locale.ROOT, " (machine %.0f %% busy)", s.resources().systemBusyPercent()),
        s.resources().heapAfterGcMb(),
        s.resources().heapMaxMb(),
        s.anomalies().isEmpty() ? "" : "; " + String.join("; ", s.anomalies()));
    return s;
  }

  private Result latency(BenchContext ctx) throws Exception {
    Result r = new Result();
    Sweep defaults = ctx.defaultShape();
    int producers = settings.producers();
    double rate = settings.rate();
    r.parameters.put("rate (jobs/s)", rate);
    r.parameters.put("duration", Durations.format(settings.duration()));
    r.parameters.put("warm-up", Durations.format(settings.warmup()));
    r.parameters.put("producers", producers);
    r.parameters.put("pump (consumers x batch)", defaults + " (defaults)");
    r.parameters.put("poll.maxInterval", pollSetting());
    String id = "pump-" + defaults + "-steady";
    AtomicLong inserted = new AtomicLong();
    AtomicLong measured = new AtomicLong();
    LatencyRecorder late = new LatencyRecorder();
    Scenarios.gc();
    ResourceMeter meter = ResourceMeter.start();
    try (PumpRun run = PumpRun.start(ctx, id, defaults, true)) {
      long start = System.nanoTime();
      long from = start + settings.warmup().toNanos();
      long end = from + settings.duration().toNanos();
      run.listener.recordFrom(from);
      ctx.say(
          "[%s] offering %,.0f jobs/s from %d producers: %s warm-up, then %s measured",
          id,
          rate,
          producers,
          Durations.format(settings.warmup()),
          Durations.format(settings.duration()));
      ExecutorService pool = Executors.newFixedThreadPool(producers);
      List<Future<?>> work = new ArrayList<>();
      try {
        for (int p = 0; p < producers; p++) {
          long offset = p;
          work.add(
              pool.submit(
                  () -> {
                    produce(
                        ctx,
                        rate / producers,
                        offset,
                        producers,
                        end,
                        from,
                        inserted,
                        measured,
                        late);
                    return null;
                  }));
        }
        long[] last = {start, 0};
        for (Future<?> f : work) {
          while (true) {
            try {
              f.get(settings.progressEvery().toNanos(), TimeUnit.NANOSECONDS);
              break;
            } catch (TimeoutException e) {
              long now = System.nanoTime();
              LatencyStats so = run.listener.endToEnd.stats("");
              ctx.say(
                  "[%s] t=%.0fs inserted %,d (%,.0f/s), acknowledged %,d; insert → confirmed so far"
                      + " p50 %.0f / p99 %.0f ms",
                  id,
                  (now - start) / 1e9,
                  inserted.get(),
                  (inserted.get() - last[1]) / ((now - last[0]) / 1e9),
                  run.listener.acknowledged.get(),
                  so.p50Ms(),
                  so.p99Ms());
              last[0] = now;
              last[1] = inserted.get();
            } catch (ExecutionException e) {
              Throwable cause = e.getCause() == null ? e : e.getCause();
              throw new IllegalStateException("a producer failed: " + cause.getMessage(), cause);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
      long total = inserted.get();
      run.awaitAcknowledged(total, System.nanoTime(), null);
      ResourceUsage usage = meter.stop();
      run.stop();
      List<String> anomalies = new ArrayList<>(run.anomalies());
      anomalies.addAll(Scenarios.leftovers(ctx));
      double measuredSeconds = settings.duration().toNanos() / 1e9;
      LatencyStats stats =
          run.listener.endToEnd.stats(
              "insert → confirmed (created_at → delete committed), after the warm-up");
      double seconds = run.listener.activeSeconds();
      long acked = run.listener.acknowledged.get();
      r.scenarios.add(
          reported(
              ctx,
              new ScenarioResult(
                  id,
                  "pump at a steady load",
                  ScenarioResult.PUMP,
                  run.shape.consumers(),
                  run.shape.batchSize(),
                  true,
                  acked,
                  seconds,
                  acked / seconds,
                  stats,
                  usage,
                  anomalies)));
      r.load =
          new OfferedLoad(
              rate, measured.get() / measuredSeconds, producers, total, late.stats("").p99Ms());
      r.targets = Targets.latency(settings.sink(), r.load, stats);
    }
    r.notes.add(
        "Latency is measured by the pump itself, per row: from the row's created_at (DATETIME(3)"
            + " DEFAULT CURRENT_TIMESTAMP(3), set by MariaDB at the INSERT) to the moment its delete"
            + " committed, which happens only after the broker confirmed the message. 1 ms"
            + " resolution; MariaDB and the bridge read the same clock here (same machine) — across"
            + " machines, clock offset would add to it.");
    r.notes.add(
        "Producers insert one row per statement with autocommit (as PHP producers do), each on its"
            + " own connection, paced by schedule: a slow insert is followed by a catch-up, so the"
            + " offered rate holds on average and lateness is reported instead of hidden.");
    r.notes.add(
        "Jobs/s and CPU cover the warm-up too; the latency percentiles only rows acknowledged"
            + " after it. CPU includes the producers' threads, which run in the bench's JVM.");
    return r;
  }

  private void produce(
      BenchContext ctx,
      double perSecond,
      long offset,
      int producers,
      long end,
      long from,
      AtomicLong inserted,
      AtomicLong measured,
      LatencyRecorder late)
      throws Exception {
    RateLimiter limiter = RateLimiter.of(perSecond);
    try (Connection c = ctx.db.connect();
        PreparedStatement ps = BenchDatabase.insertOne(c)) {
      for (long i = 0; ; i++) {
        long lateNanos = limiter.acquire();
        long now = System.nanoTime();
        if (now - end >= 0) {
          return;
        }
        long n = i * producers + offset;
        ps.setString(1, BenchDatabase.type(n));
        ps.setString(2, BenchDatabase.payload(n));
        ps.executeUpdate();
        inserted.incrementAndGet();
        if (now - from >= 0) {
          measured.incrementAndGet();
          late.recordNanos(lateNanos);
        }
      }
    }
  }

  private Result backlog(BenchContext ctx) throws Exception {
    Result r = new Result();
    Sweep defaults = ctx.defaultShape();
    long rows = settings.rows();
    String id = "pump-" + defaults + "-backlog";
    r.parameters.put("backlog rows", rows);
    r.parameters.put("pump (consumers x batch)", defaults + " (defaults)");
    r.parameters.put("heap limit", settings.heap());
    r.parameters.put("poll.maxInterval", pollSetting());
    Scenarios.preload(ctx, id, rows);
    Scenarios.gc();
    List<BacklogSample> samples = new ArrayList<>();
    ResourceMeter meter = ResourceMeter.start();
    long start = System.nanoTime();
    try (PumpRun run = PumpRun.start(ctx, id, defaults, true)) {
      run.awaitAcknowledged(rows, start, (at, acked, rate) -> samples.add(sample(at, acked, rate)));
      ResourceUsage usage = meter.stop();
      long acked = run.listener.acknowledged.get();
      double seconds = run.listener.activeSeconds();
      samples.add(
          sample(
              (System.nanoTime() - start) / 1e9,
              acked,
              samples.isEmpty()
                  ? acked / seconds
                  : (acked - samples.get(samples.size() - 1).acknowledged())
                      / Math.max(
                          1e-9,
                          (System.nanoTime() - start) / 1e9
                              - samples.get(samples.size() - 1).atSeconds())));
      run.stop();
      List<String> anomalies = new ArrayList<>(run.anomalies());
      anomalies.addAll(Scenarios.leftovers(ctx));
      r.scenarios.add(
          reported(
              ctx,
              new ScenarioResult(
                  id,
                  "pump draining a backlog",
                  ScenarioResult.PUMP,
                  run.shape.consumers(),
                  run.shape.batchSize(),
                  true,
                  acked,
                  seconds,
                  acked / seconds,
                  run.listener.endToEnd.stats(PumpRun.DRAIN_LATENCY),
                  usage,
                  anomalies)));
      r.samples = samples;
      r.targets = Targets.backlog(rows, acked, usage, ResourceMeter.heapMaxBytes());
    }
    r.notes.add(
        "The backlog is preloaded with multi-row INSERTs before the bridge starts; the drain is the"
            + " real bridge at default settings. Heap 'after GC' is what the most recent collection"
            + " left (the live set); 'in use' includes garbage not yet collected.");
    r.notes.add(
        "The drain ran in a JVM whose heap limit is shown as 'Heap max': the bench relaunches itself"
            + " with -Xmx"
            + settings.heap()
            + " for this mode unless --no-fork, so finishing at all proves the bridge fits.");
    return r;
  }

  private String pollSetting() {
    return settings.pollMaxInterval() == null
        ? "default (50ms)"
        : Durations.format(settings.pollMaxInterval());
  }

  private static BacklogSample sample(double at, long acked, double rate) {
    return new BacklogSample(
        at,
        acked,
        rate,
        ResourceMeter.heapUsedBytes() / MB,
        ResourceMeter.heapAfterLastGcBytes() / MB,
        ResourceMeter.heapMaxBytes() / MB);
  }

  private List<String> commonNotes() {
    List<String> n = new ArrayList<>();
    n.add(
        "MariaDB, the broker and the bench share this machine: the bridge competes with them for"
            + " the cores. 'CPU (cores)' is the bench JVM's own CPU time per second (pump, sink"
            + " client and the bench's threads); 'Machine busy' is every process on every core —"
            + " near 100 % means the machine, not the bridge, was the limit.");
    n.add(
        "Each scenario publishes to its own destination (names start with q4m-bench) that is"
            + " deleted afterwards; the scratch database q4m_bench is dropped at the end.");
    if (settings.sink() == SinkKind.REDIS) {
      n.add(
          "Redis sink at its defaults: dedup on (marker check + XADD + marker set in one Lua"
              + " script call per run of up to 100 messages to one stream), pipelined, one flush"
              + " per batch; a message counts when Redis answered with its entry id.");
    } else if (settings.sink() == SinkKind.RABBITMQ) {
      n.add(
          "RabbitMQ sink at its defaults: persistent, mandatory messages to a durable classic queue"
              + " through the default exchange, publisher confirms; a message counts when the broker"
              + " acknowledged it.");
    } else {
      n.add(
          "SQS sink at its defaults: SendMessageBatch in chunks of 10, at most 8 requests in"
              + " flight; a message counts when the batch result listed it as successful.");
    }
    return n;
  }

  private void summary(BenchContext ctx, BenchReport report, List<Path> files) {
    Ratios ratios = report.ratios();
    if (ratios != null) {
      ctx.say(
          "bench: pump (defaults) %,.0f jobs/s = %s of min(source %,.0f, sink %,.0f) and %s the"
              + " one-row baseline (%,.0f jobs/s)",
          orZero(ratios.pumpDefault()),
          ratios.defaultOverCeiling() == null
              ? "–"
              : String.format(Locale.ROOT, "%.0f %%", ratios.defaultOverCeiling() * 100),
          orZero(ratios.sourceCeiling()),
          orZero(ratios.sinkCeiling()),
          ratios.defaultOverBaseline() == null
              ? "–"
              : String.format(Locale.ROOT, "%.1f×", ratios.defaultOverBaseline()),
          orZero(ratios.baseline()));
    }
    for (TargetCheck t : report.targets()) {
      ctx.say(
          "bench: target %s: %s — %s%s",
          t.target(),
          t.status().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          t.measured(),
          t.why().isEmpty() ? "" : " (" + t.why() + ")");
    }
    for (Path f : files) {
      ctx.say("bench: wrote %s", f);
    }
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }
}
