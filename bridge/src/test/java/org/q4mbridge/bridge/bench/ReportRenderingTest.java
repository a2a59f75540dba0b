package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportRenderingTest {

  @Test
  void markdownHasEverySectionOfAThroughputRunAndQuotesTheCommand() {
    String md = MarkdownReport.render(Fixtures.throughputReport(), "throughput-redis.svg");

    assertThat(md)
        .contains("# q4m-bridge bench: throughput, redis")
        .contains("```\nq4m-bridge bench --sink redis --out docs/bench\n```")
        .contains("## Environment", "## Parameters", "## Results", "## Ratios")
        .contains("## Targets (DESIGN.md §9)", "## How to read this")
        .contains("![chart](throughput-redis.svg)");
    assertThat(md).contains("| pump (default) / min(source, sink ceiling) | 80.0 % |");
    assertThat(md).contains("| pump (default) / baseline | 20.0× |");
    assertThat(md).contains("| pump-4x100 (defaults) | 4x100 | 100,000 | 6.3 | **16,000** |");
    assertThat(md).contains("- pump-4x200: 3 rows were released to be retried");
    assertThat(md).contains("**met**");
  }

  @Test
  void markdownCellsCannotBreakTheTable() {
    String md = MarkdownReport.render(Fixtures.throughputReport(), null);

    assertThat(md).contains("a note with a | pipe"); // notes are a list, not a table
    assertThat(MarkdownReport.cell("a|b\nc")).isEqualTo("a\\|b c");
    assertThat(md).doesNotContain("![chart]");
  }

  @Test
  void latencyAndBacklogRunsRenderTheirOwnSections() {
    BenchReport t = Fixtures.throughputReport();
    BenchReport latency =
        new BenchReport(
            t.command(),
            t.jvmCommand(),
            t.startedAt(),
            40,
            "latency",
            "redis",
            t.environment(),
            t.parameters(),
            List.of(t.scenarios().get(3)),
            null,
            new OfferedLoad(1000, 999.5, 4, 35_000, 0.3),
            null,
            Targets.latency(
                SinkKind.REDIS,
                new OfferedLoad(1000, 999.5, 4, 35_000, 0.3),
                t.scenarios().get(3).latency()),
            List.of());
    BenchReport backlog =
        new BenchReport(
            t.command(),
            t.jvmCommand(),
            t.startedAt(),
            40,
            "backlog",
            "redis",
            t.environment(),
            t.parameters(),
            List.of(t.scenarios().get(3)),
            null,
            null,
            List.of(new BacklogSample(5, 50_000, 10_000, 120, 35, 256)),
            List.of(),
            List.of());

    assertThat(MarkdownReport.render(latency, null))
        .contains("## Offered load", "| rate inserted (measured period) | 1,000 jobs/s |")
        .doesNotContain("## Ratios", "## Drain over time");
    assertThat(MarkdownReport.render(backlog, null))
        .contains("## Drain over time", "| 5 | 50,000 | 10,000 | 120 | 35 | 256 |")
        .doesNotContain("## Offered load");
    assertThat(ReportFiles.chart(latency)).contains(">p99<");
    assertThat(ReportFiles.chart(backlog)).contains("t=5s, heap 35 MB");
  }

  @Test
  void theChartIsWellFormedSvgWithOneBarPerScenario() throws Exception {
    String svg = ReportFiles.chart(Fixtures.throughputReport());

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // A background plus one bar per scenario.
    assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 5);
    assertThat(svg).contains("16,000 jobs/s");
  }

  @Test
  void labelsAreEscapedInTheChart() {
    String svg = SvgChart.bars("a <b> & \"c\"", "ms", List.of(new SvgChart.Bar("x<y", 1.5, false)));

    assertThat(svg).contains("a &lt;b&gt; &amp; &quot;c&quot;", "x&lt;y", "1.5 ms");
  }

  @Test
  void theThreeFilesAreNamedAfterModeAndSinkAndTheJsonReadsBack(@TempDir Path dir)
      throws Exception {
    List<Path> files = ReportFiles.write(Fixtures.throughputReport(), dir.resolve("out"));

    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("throughput-redis.json", "throughput-redis.md", "throughput-redis.svg");
    JsonNode json = ReportFiles.json().readTree(Files.readString(files.get(0)));
    assertThat(json.get("command").asText())
        .isEqualTo("q4m-bridge bench --sink redis --out docs/bench");
    assertThat(json.get("scenarios")).hasSize(5);
    assertThat(json.get("ratios").get("defaultOverCeiling").asDouble()).isEqualTo(0.8);
    assertThat(json.get("targets").get(0).get("status").asText()).isEqualTo("MET");
    assertThat(json.get("environment").get("cores").asInt()).isEqualTo(2);
  }
}
