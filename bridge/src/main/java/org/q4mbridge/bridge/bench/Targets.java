package org.q4mbridge.bridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.q4mbridge.bridge.bench.TargetCheck.Status;

/**
 * Checks a run against the targets of DESIGN.md §9. The thresholds are the design's; this class
 * only compares, and says why when a run cannot tell.
 */
public final class Targets {
  /** The pump must reach this share of the slower ceiling (and of the sink's, for brokers). */
  public static final double CEILING_SHARE = 0.70;

  /** The pump must be this many times the one-row loop. */
  public static final double BASELINE_FACTOR = 10.0;

  /** p99 insert → confirmed bound at a steady load. */
  public static final double P99_BOUND_MS = 50.0;

  /** The load the latency bound is stated for. */
  public static final double LATENCY_RATE = 1000.0;

  /** The heap bound through the backlog. */
  public static final long HEAP_BOUND_BYTES = 256L * 1024 * 1024;

  /** The backlog the heap bound is stated for. */
  public static final long BACKLOG_ROWS = 1_000_000;

  private Targets() {}

  /** Throughput targets: against both ceilings for Redis, against the sink's for the others. */
  public static List<TargetCheck> throughput(SinkKind sink, Ratios r) {
    List<TargetCheck> out = new ArrayList<>();
    String pump = "pump at default settings";
    if (sink == SinkKind.REDIS) {
      TargetCheck c =
          share(
              pump + " ≥ 70 % of min(source ceiling, sink ceiling), best setting of each",
              r.pumpDefault(),
              r.ceiling(),
              r.defaultOverCeiling(),
              r.bestOverCeiling(),
              r.pumpBestShape());
      Double boundShare = Ratios.divide(r.sharedCoresBound(), r.ceiling());
      if (c.status() == Status.NOT_MET
          && boundShare != null
          && boundShare < CEILING_SHARE
          && r.defaultOverSharedCoresBound() != null) {
        // Both ceilings were measured with the machine to themselves; sharing its cores, no pump
        // can pass 1 / (1/source + 1/sink) while both sides are CPU-bound.
        c =
            because(
                c,
                String.format(
                    Locale.ROOT,
                    "out of reach on this machine: with the database and the broker sharing its"
                        + " cores, no pump can pass the shared-cores bound of %,.0f jobs/s ="
                        + " %.1f %% of the ceiling; the pump reached %.1f %% of that bound",
                    r.sharedCoresBound(),
                    boundShare * 100,
                    r.defaultOverSharedCoresBound() * 100));
      }
      out.add(c);
      out.add(baseline(pump + " ≥ 10× the one-row-per-round-trip loop", r));
    } else {
      TargetCheck c =
          share(
              pump + " ≥ 70 % of the " + sink.cliName() + " publish ceiling (best setting)",
              r.pumpDefault(),
              r.sinkCeiling(),
              r.defaultOverSinkCeiling(),
              Ratios.divide(r.pumpBest(), r.sinkCeiling()),
              r.pumpBestShape());
      if (c.status() == Status.NOT_MET
          && r.sourceCeiling() != null
          && r.sinkCeiling() != null
          && r.sourceCeiling() < r.sinkCeiling()) {
        c =
            because(
                c,
                String.format(
                    Locale.ROOT,
                    "the source ceiling (%,.0f jobs/s) is below the sink's: the database, not"
                        + " the broker, limits this run",
                    r.sourceCeiling()));
      }
      out.add(c);
    }
    return out;
  }

  private static TargetCheck share(
      String target, Double pump, Double ceiling, Double ratio, Double bestRatio, String best) {
    if (ratio == null) {
      return new TargetCheck(
          target, "not measured", Status.NOT_APPLICABLE, "a scenario is missing");
    }
    String measured =
        String.format(Locale.ROOT, "%,.0f of %,.0f jobs/s = %.1f %%", pump, ceiling, ratio * 100);
    if (ratio >= CEILING_SHARE) {
      return new TargetCheck(target, measured, Status.MET, "");
    }
    String why =
        bestRatio != null && best != null && bestRatio > ratio
            ? String.format(
                Locale.ROOT, "the best sweep setting (%s) reached %.1f %%", best, bestRatio * 100)
            : "";
    return new TargetCheck(target, measured, Status.NOT_MET, why);
  }

  private static TargetCheck baseline(String target, Ratios r) {
    if (r.defaultOverBaseline() == null) {
      return new TargetCheck(
          target, "not measured", Status.NOT_APPLICABLE, "a scenario is missing");
    }
    String measured =
        String.format(
            Locale.ROOT,
            "%,.0f vs %,.0f jobs/s = %.1f×",
            r.pumpDefault(),
            r.baseline(),
            r.defaultOverBaseline());
    return r.defaultOverBaseline() >= BASELINE_FACTOR
        ? new TargetCheck(target, measured, Status.MET, "")
        : new TargetCheck(target, measured, Status.NOT_MET, "");
  }

  /** The latency target: p99 insert → confirmed ≤ 50 ms at a steady 1,000 jobs/s to Redis. */
  public static List<TargetCheck> latency(SinkKind sink, OfferedLoad load, LatencyStats latency) {
    String target = "p99 insert → confirmed ≤ 50 ms at a steady 1,000 jobs/s to Redis";
    if (latency == null || latency.count() == 0) {
      return List.of(
          new TargetCheck(
              target, "nothing measured", Status.NOT_APPLICABLE, "no row was confirmed"));
    }
    String measured =
        String.format(
            Locale.ROOT,
            "p99 %.1f ms at %,.0f jobs/s offered (%,.0f asked)",
            latency.p99Ms(),
            load.achievedPerSecond(),
            load.targetPerSecond());
    List<String> conditions = new ArrayList<>();
    if (sink != SinkKind.REDIS) {
      conditions.add("the target is stated for Redis, this run used " + sink.cliName());
    }
    if (load.targetPerSecond() < LATENCY_RATE) {
      conditions.add(
          String.format(
              Locale.ROOT,
              "the rate asked for (%,.0f/s) is below 1,000/s",
              load.targetPerSecond()));
    }
    if (load.achievedPerSecond() < 0.95 * load.targetPerSecond()) {
      conditions.add(
          String.format(
              Locale.ROOT,
              "the producers offered only %,.0f of %,.0f jobs/s",
              load.achievedPerSecond(),
              load.targetPerSecond()));
    }
    if (!conditions.isEmpty()) {
      return List.of(
          new TargetCheck(target, measured, Status.NOT_APPLICABLE, String.join("; ", conditions)));
    }
    // Producers run on a schedule; inserts that start late mean MariaDB (or the machine) stalled,
    // and the rows then arrive in a catch-up burst rather than as the steady load asked for.
    String why =
        load.lateP99Ms() > P99_BOUND_MS
            ? String.format(
                Locale.ROOT,
                "the load was not steady: 1 %% of the producers' inserts started %.0f ms or more"
                    + " behind schedule (the database stalled), and rows inserted in the catch-up"
                    + " bursts queued behind each other",
                load.lateP99Ms())
            : "";
    return List.of(
        new TargetCheck(
            target, measured, latency.p99Ms() <= P99_BOUND_MS ? Status.MET : Status.NOT_MET, why));
  }

  /** The memory target: heap ≤ 256 MB through a 1,000,000-row backlog. */
  public static List<TargetCheck> backlog(
      long rows, long acknowledged, ResourceUsage usage, long heapMaxBytes) {
    String target = "heap ≤ 256 MB through a 1,000,000-row backlog";
    String measured =
        String.format(
            Locale.ROOT,
            "%,d of %,d rows drained with -Xmx %d MB; heap after GC peaked at %d MB (in use %d MB)",
            acknowledged,
            rows,
            heapMaxBytes / (1024 * 1024),
            usage.heapAfterGcMb(),
            usage.heapPeakUsedMb());
    if (acknowledged < rows) {
      return List.of(
          new TargetCheck(target, measured, Status.NOT_MET, "the backlog was not fully drained"));
    }
    List<String> conditions = new ArrayList<>();
    if (rows < BACKLOG_ROWS) {
      conditions.add(String.format(Locale.ROOT, "the backlog had only %,d rows", rows));
    }
    if (heapMaxBytes > HEAP_BOUND_BYTES) {
      conditions.add(
          "the JVM's heap limit was above 256 MB: run with --heap 256m (the default) and without"
              + " --no-fork");
    }
    if (!conditions.isEmpty()) {
      return List.of(
          new TargetCheck(target, measured, Status.NOT_APPLICABLE, String.join("; ", conditions)));
    }
    return List.of(
        new TargetCheck(
            target, measured, Status.MET, "the whole drain ran inside a heap limit of 256 MB"));
  }

  /** {@code c} with one more reason after those it has. */
  private static TargetCheck because(TargetCheck c, String reason) {
    return new TargetCheck(c.target(), c.measured(), c.status(), join(c.why(), reason));
  }

  private static String join(String a, String b) {
    return a == null || a.isEmpty() ? b : a + "; " + b;
  }
}
