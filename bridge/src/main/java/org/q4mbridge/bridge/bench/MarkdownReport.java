package org.q4mbridge.bridge.bench;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link BenchReport} as a Markdown page (the README quotes these pages). */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** The page; {@code chartFile} is the SVG's file name next to it, or null for none. */
  public static String render(BenchReport r, String chartFile) {
    StringBuilder md = new StringBuilder();
    md.append("# q4m-bridge bench: ").append(r.mode()).append(", ").append(r.sink()).append("\n\n");
    md.append("Produced by:\n\n```\n").append(r.command()).append("\n```\n\n");
    md.append(
        String.format(
            Locale.ROOT, "Started %s, took %.0f s.%n%n", r.startedAt(), r.totalSeconds()));

    Environment e = r.environment();
    md.append("## Environment\n\n| | |\n|---|---|\n");
    row(md, "Cores", Integer.toString(e.cores()));
    row(md, "OS", e.os());
    row(md, "Java", e.java());
    row(md, "JVM heap limit", e.jvmMaxHeapMb() + " MB");
    row(md, "Database", e.mysql());
    row(md, "Broker", e.broker());
    row(
        md,
        "Load average at start (1 min)",
        String.format(Locale.ROOT, "%.2f", e.loadAverageAtStart()));
    if (!e.note().isBlank()) {
      row(md, "Note", e.note());
    }
    md.append('\n');

    if (!r.parameters().isEmpty()) {
      md.append("## Parameters\n\n| | |\n|---|---|\n");
      for (Map.Entry<String, Object> p : r.parameters().entrySet()) {
        row(md, p.getKey(), String.valueOf(p.getValue()));
      }
      md.append('\n');
    }

    md.append("## Results\n\n");
    md.append(
        "| Scenario | Setting | Jobs | Seconds | Jobs/s | Each run (jobs/s) | Latency of | p50 ms |"
            + " p95 ms | p99 ms | CPU (cores) | Machine busy | Heap after GC / max (MB) |\n");
    md.append("|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|\n");
    for (ScenarioResult s : r.scenarios()) {
      LatencyStats l = s.latency();
      ResourceUsage u = s.resources();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %.1f | **%,.0f** | %s | %s | %s | %s | %s | %.2f | %s | %d / %d |%n",
              cell(s.title() + (s.defaults() ? " (defaults)" : "")),
              s.shape(),
              s.jobs(),
              s.seconds(),
              s.jobsPerSecond(),
              runs(s),
              cell(l.measures()),
              ms(l.count(), l.p50Ms()),
              ms(l.count(), l.p95Ms()),
              ms(l.count(), l.p99Ms()),
              u.processCores(),
              u.systemBusyPercent() == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.0f %%", u.systemBusyPercent()),
              u.heapAfterGcMb(),
              u.heapMaxMb()));
    }
    md.append('\n');
    boolean anomalies = r.scenarios().stream().anyMatch(s -> !s.anomalies().isEmpty());
    if (anomalies) {
      md.append("Anomalies:\n\n");
      for (ScenarioResult s : r.scenarios()) {
        for (String a : s.anomalies()) {
          md.append("- ").append(s.id()).append(": ").append(a).append('\n');
        }
      }
      md.append('\n');
    }

    Ratios ratios = r.ratios();
    if (ratios != null) {
      md.append("## Ratios\n\n| | |\n|---|---|\n");
      row(md, "source ceiling" + shape(ratios.sourceCeilingShape()), rate(ratios.sourceCeiling()));
      row(md, "sink ceiling" + shape(ratios.sinkCeilingShape()), rate(ratios.sinkCeiling()));
      row(md, "one-row baseline", rate(ratios.baseline()));
      row(md, "pump, default settings", rate(ratios.pumpDefault()));
      row(md, "pump, best setting" + shape(ratios.pumpBestShape()), rate(ratios.pumpBest()));
      row(md, "pump (default) / min(source, sink ceiling)", percent(ratios.defaultOverCeiling()));
      row(md, "pump (default) / sink ceiling", percent(ratios.defaultOverSinkCeiling()));
      row(
          md,
          "shared-cores bound 1 / (1/source + 1/sink) (see below)",
          rate(ratios.sharedCoresBound()));
      row(md, "pump (default) / shared-cores bound", percent(ratios.defaultOverSharedCoresBound()));
      row(md, "pump (default) / baseline", times(ratios.defaultOverBaseline()));
      row(md, "pump (best) / min(source, sink ceiling)", percent(ratios.bestOverCeiling()));
      row(md, "pump (best) / baseline", times(ratios.bestOverBaseline()));
      md.append('\n');
      if (!ratios.perSetting().isEmpty()) {
        md.append("Each setting against its own ceilings:\n\n");
        md.append("| Setting | Source ceiling | Sink ceiling | Pump | Pump / min(ceilings) |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (Ratios.SettingRatio s : ratios.perSetting()) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %,.0f | %,.0f | %,.0f | %.1f %% |%n",
                  s.shape(),
                  s.source(),
                  s.sink(),
                  s.pump(),
                  s.pumpOverCeiling() * 100));
        }
        md.append('\n');
      }
    }

    OfferedLoad load = r.load();
    if (load != null) {
      md.append("## Offered load\n\n| | |\n|---|---|\n");
      row(md, "rate asked for", rate(load.targetPerSecond()));
      row(md, "rate inserted (measured period)", rate(load.achievedPerSecond()));
      row(md, "producer connections", Integer.toString(load.producers()));
      row(
          md,
          "rows inserted (warm-up included)",
          String.format(Locale.ROOT, "%,d", load.inserted()));
      row(
          md,
          "inserts late against schedule, p99",
          String.format(Locale.ROOT, "%.1f ms", load.lateP99Ms()));
      md.append('\n');
    }

    if (!r.samples().isEmpty()) {
      md.append("## Drain over time\n\n");
      md.append(
          "| t (s) | Acknowledged | Jobs/s (interval) | Heap in use (MB) | Heap after GC (MB) | Heap max (MB) |\n");
      md.append("|---:|---:|---:|---:|---:|---:|\n");
      for (BacklogSample s : r.samples()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %.0f | %,d | %,.0f | %d | %d | %d |%n",
                s.atSeconds(),
                s.acknowledged(),
                s.jobsPerSecond(),
                s.heapUsedMb(),
                s.heapAfterGcMb(),
                s.heapMaxMb()));
      }
      md.append('\n');
    }

    if (!r.targets().isEmpty()) {
      md.append(
          "## Targets (DESIGN.md §9)\n\n| Target | Measured | Status | Why |\n|---|---|---|---|\n");
      for (TargetCheck t : r.targets()) {
        md.append("| ")
            .append(cell(t.target()))
            .append(" | ")
            .append(cell(t.measured()))
            .append(" | ")
            .append(status(t.status()))
            .append(" | ")
            .append(cell(t.why()))
            .append(" |\n");
      }
      md.append('\n');
    }

    if (!r.notes().isEmpty()) {
      md.append("## How to read this\n\n");
      for (String n : r.notes()) {
        md.append("- ").append(n).append('\n');
      }
      md.append('\n');
    }
    if (chartFile != null) {
      md.append("![chart](").append(chartFile).append(")\n");
    }
    return md.toString();
  }

  private static String runs(ScenarioResult s) {
    StringBuilder b = new StringBuilder();
    for (Double r : s.runsPerSecond()) {
      b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", r));
    }
    return b.toString();
  }

  private static String shape(String s) {
    return s == null ? "" : " (" + s + ")";
  }

  private static void row(StringBuilder md, String k, String v) {
    md.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n");
  }

  static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }

  private static String ms(long count, double v) {
    return count == 0 ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String rate(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%,.0f jobs/s", v);
  }

  private static String percent(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f %%", v * 100);
  }

  private static String times(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f×", v);
  }

  private static String status(TargetCheck.Status s) {
    return switch (s) {
      case MET -> "**met**";
      case NOT_MET -> "**not met**";
      case NOT_APPLICABLE -> "not applicable";
    };
  }
}
