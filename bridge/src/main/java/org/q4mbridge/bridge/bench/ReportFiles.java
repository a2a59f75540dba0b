package org.q4mbridge.bridge.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a report as {@code <mode>-<sink>.json}, {@code .md} and {@code .svg} in one directory
 * (created if missing); files of other modes and sinks in the same directory are left alone.
 */
public final class ReportFiles {
  private ReportFiles() {}

  /** The JSON form (also what tests read back). */
  public static ObjectMapper json() {
    return new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS);
  }

  /** Writes the three files; returns their paths. */
  public static List<Path> write(BenchReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = report.baseName();
    Path json = dir.resolve(base + ".json");
    Path md = dir.resolve(base + ".md");
    Path svg = dir.resolve(base + ".svg");
    Files.writeString(json, json().writeValueAsString(report) + "\n");
    Files.writeString(svg, chart(report));
    Files.writeString(md, MarkdownReport.render(report, svg.getFileName().toString()));
    return List.of(json, md, svg);
  }

  /** The chart of a run: jobs/s per scenario, latency percentiles, or the drain rate over time. */
  public static String chart(BenchReport r) {
    List<SvgChart.Bar> bars = new ArrayList<>();
    if (!r.samples().isEmpty()) {
      for (BacklogSample s : r.samples()) {
        bars.add(
            new SvgChart.Bar(
                String.format(
                    java.util.Locale.ROOT, "t=%.0fs, heap %d MB", s.atSeconds(), s.heapAfterGcMb()),
                s.jobsPerSecond(),
                false));
      }
      return SvgChart.bars(
          "Backlog drain to " + r.sink() + ": jobs/s per interval (heap after GC)", "jobs/s", bars);
    }
    if (r.load() != null && !r.scenarios().isEmpty()) {
      LatencyStats l = r.scenarios().get(0).latency();
      bars.add(new SvgChart.Bar("p50", l.p50Ms(), false));
      bars.add(new SvgChart.Bar("p95", l.p95Ms(), false));
      bars.add(new SvgChart.Bar("p99", l.p99Ms(), true));
      bars.add(new SvgChart.Bar("max", l.maxMs(), false));
      return SvgChart.bars(
          String.format(
              java.util.Locale.ROOT,
              "Insert → confirmed at %,.0f jobs/s to %s",
              r.load().achievedPerSecond(),
              r.sink()),
          "ms",
          bars);
    }
    for (ScenarioResult s : r.scenarios()) {
      bars.add(new SvgChart.Bar(s.title() + " " + s.shape(), s.jobsPerSecond(), s.defaults()));
    }
    return SvgChart.bars("Throughput to " + r.sink() + " (jobs/s)", "jobs/s", bars);
  }
}
