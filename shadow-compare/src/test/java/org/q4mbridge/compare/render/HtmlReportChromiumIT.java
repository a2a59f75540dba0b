package org.q4mbridge.compare.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.Gate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Thresholds;

/**
 * The HTML report opened in a real headless Chromium (Debian's {@code chromium} package): the page
 * renders, its charts are in the DOM, a screenshot is written to {@code
 * target/html-report/report.png} for a person to look at. Without Chromium this test fails and says
 * how to install it; it never passes silently. {@code Q4M_TEST_CHROMIUM} names another binary.
 */
class HtmlReportChromiumIT {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
  private static Path chromium;
  private static Path dir;
  private static Path page;

  @BeforeAll
  static void renderPage() throws IOException {
    chromium = findChromium();
    dir = Path.of("target", "html-report").toAbsolutePath();
    Files.createDirectories(dir);
    Report day = SampleReports.day();
    GateResult gate = Gate.evaluate(day, new Thresholds(1000, 0, 0.001, Duration.ofHours(24)));
    page = dir.resolve("report.html");
    Files.writeString(page, HtmlReport.render(day, gate));
  }

  @Test
  void thePageRendersToANonTrivialScreenshot() throws Exception {
    Path png = dir.resolve("report.png");
    Files.deleteIfExists(png);
    run("--screenshot=" + png, "--window-size=1280,2000");
    assertThat(png).exists();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).as("screenshot size").isGreaterThan(30_000);
    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
    assertThat(ihdr.getInt()).as("width").isEqualTo(1280);
    assertThat(ihdr.getInt()).as("height").isEqualTo(2000);
  }

  @Test
  void theRenderedDomHoldsEveryChartAndTheGateVerdict() throws Exception {
    String dom = run("--dump-dom");
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<svg id=\"([a-z-]+)\"").matcher(dom);
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "chart-match-rate",
            "chart-durations",
            "chart-categories",
            "chart-transport-latency",
            "chart-transport");
    assertThat(dom).contains("Gate failed", "Top mismatches", "$.lines[*].qty, $.total");
    assertThat(Pattern.compile("<rect ").matcher(dom).results().count()).isGreaterThan(50);
  }

  /** Runs Chromium on the page with the given extra flags; returns what it printed. */
  private static String run(String... extra) throws Exception {
    Path profile = Files.createTempDirectory("q4m-chromium-");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  chromium.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--user-data-dir=" + profile));
      cmd.addAll(List.of(extra));
      cmd.add(page.toUri().toString());
      Path out = profile.resolve("stdout.txt");
      Path err = profile.resolve("stderr.txt");
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("chromium did not finish within " + RUN_LIMIT + ": " + Files.readString(err));
      }
      assertThat(p.exitValue())
          .as("chromium exit code; stderr: %s", Files.readString(err))
          .isZero();
      return Files.readString(out);
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static Path findChromium() {
    String override = System.getenv("Q4M_TEST_CHROMIUM");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        Path p = Path.of(dirName, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return fail(
        "chromium not found on PATH: the HTML report test needs a real headless Chromium."
            + " Install it (Debian: apt-get install -y chromium) or set Q4M_TEST_CHROMIUM to its path.");
  }
}
