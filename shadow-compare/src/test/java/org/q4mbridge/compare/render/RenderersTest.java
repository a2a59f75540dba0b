package org.q4mbridge.compare.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.Gate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Thresholds;

class RenderersTest {
  private static final Report DAY = SampleReports.day();
  private static final GateResult GATE =
      Gate.evaluate(DAY, new Thresholds(1000, 0, 0.001, Duration.ofHours(24)));

  @Test
  void theSampleDayHasEveryKindOfProblem() {
    Report.Outcomes o = DAY.outcomes();
    assertThat(o.count(Category.MISMATCHED)).isGreaterThan(10);
    assertThat(o.count(Category.MISSING_ON_CANDIDATE)).isPositive();
    assertThat(o.count(Category.DUPLICATED)).isPositive();
    assertThat(o.count(Category.LATE)).isPositive();
    assertThat(GATE.passed()).isFalse();
  }

  @Test
  void htmlIsSelfContainedWithChartsAndEscapesUserData() {
    String page = HtmlReport.render(DAY, GATE);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("id=\"chart-match-rate\"", "id=\"chart-durations\"", "id=\"chart-categories\"")
        .contains("id=\"chart-transport\"", "id=\"chart-transport-latency\"")
        .contains("Gate failed")
        .doesNotContain("<script", "<link", "src=", "@import", "url(")
        .doesNotContain(SampleReports.HOSTILE_KEY, "php-pool&\"7\"", "<relay denied>")
        .contains(
            "&lt;script&gt;alert(&#39;key&#39;)&lt;/script&gt;", "php-pool&amp;&quot;7&quot;");
    // The only URL is the SVG namespace.
    assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
  }

  @Test
  void htmlShowsTheTopMismatchWithItsFieldDiff() {
    String page = HtmlReport.render(DAY, GATE);
    assertThat(page).contains("$.lines[*].qty, $.total").contains("<code>&quot;1&quot;</code>");
  }

  @Test
  void markdownHasTheGateReasonsAndADiffTableThatUserDataCannotBreak() {
    String md = MarkdownReport.render(DAY, GATE);
    assertThat(md)
        .contains("**Gate: FAILED**")
        .contains("| path | legacy | candidate |")
        .contains("| `$.total` |")
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert('key')&lt;/script&gt;\\|'x'");
    for (String line : md.split("\n")) {
      if (line.startsWith("| `$")) {
        assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count())
            .as(line)
            .isEqualTo(4);
      }
    }
  }

  @Test
  void jsonCarriesCountsRatesDiffsAndTheGate() throws Exception {
    JsonNode j = new ObjectMapper().readTree(JsonReport.render(DAY, GATE));
    assertThat(j.at("/queue").asText()).isEqualTo("app.jobs");
    assertThat(j.at("/window/seconds").asLong()).isEqualTo(86_400);
    assertThat(j.at("/outcomes/counts/mismatched").asLong())
        .isEqualTo(DAY.outcomes().count(Category.MISMATCHED));
    assertThat(j.at("/outcomes/samples").asLong()).isEqualTo(DAY.outcomes().samples());
    assertThat(j.at("/outcomes/topMismatches/0/example/diffs/0/path").asText()).startsWith("$.");
    assertThat(j.at("/outcomes/overTime")).hasSize(96);
    assertThat(j.at("/gate/passed").asBoolean()).isFalse();
    assertThat(j.at("/gate/reasons").size()).isEqualTo(GATE.reasons().size());
    assertThat(j.at("/transport/counts/missing").asLong()).isEqualTo(1);
    assertThat(j.at("/outcomes/keys/mismatched/keys").size())
        .isEqualTo((int) DAY.outcomes().count(Category.MISMATCHED));
  }
}
