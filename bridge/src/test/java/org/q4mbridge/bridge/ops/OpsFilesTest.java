package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations files shipped beside the code: the systemd unit passes {@code systemd-analyze
 * verify}, the alert rules pass {@code promtool check rules}, the compose file and the Grafana
 * dashboard parse, and everything they and the README name is a metric the bridge declares.
 */
class OpsFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path UNIT = ROOT.resolve("bridge/src/main/dist/q4m-bridge.service");
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final Pattern METRIC = Pattern.compile("\\bq4m_bridge_[a-z_]+");

  /**
   * Warnings {@code systemd-analyze verify} may print that are about the machine running the test,
   * not the unit: the JVM is not at /usr/bin/java there (the unit names Debian's path).
   */
  private static final List<String> ACCEPTED_VERIFY_LINES =
      List.of("Command /usr/bin/java is not executable");

  private record Run(int exit, String output) {}

  private static Run run(Path dir, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static String require(String tool, String debianPackage) throws IOException {
    String path = StatusPageScreenshotIT.which(tool);
    if (path == null) {
      fail(
          tool
              + " is needed by this test: apt-get install -y "
              + debianPackage
              + " (Debian's "
              + debianPackage
              + " package)");
    }
    return path;
  }

  @Test
  void unitFilePassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
    String analyze = require("systemd-analyze", "systemd");
    Path unit = Files.copy(UNIT, dir.resolve("q4m-bridge.service"));
    Run r = run(dir, analyze, "verify", "--man=no", unit.toString());
    List<String> problems = new ArrayList<>();
    for (String line : r.output().lines().toList()) {
      if (!line.isBlank() && ACCEPTED_VERIFY_LINES.stream().noneMatch(line::contains)) {
        problems.add(line);
      }
    }
    assertThat(problems).as("systemd-analyze verify output").isEmpty();
    if (Files.isExecutable(Path.of("/usr/bin/java"))) {
      assertThat(r.exit()).as(r.output()).isZero();
    }
  }

  @Test
  void unitFileIsANotifyServiceWithWatchdogReloadAndHardening() throws IOException {
    String unit = Files.readString(UNIT);
    assertThat(unit)
        .contains("Type=notify")
        .contains("NotifyAccess=main")
        .containsPattern("WatchdogSec=\\d+s")
        .contains("ExecReload=/bin/kill -HUP $MAINPID")
        .contains("TimeoutStopSec=60s")
        .contains("User=q4m-bridge")
        .contains("NoNewPrivileges=yes")
        .contains("ProtectSystem=strict")
        .contains("ProtectHome=yes")
        .contains("PrivateTmp=yes");
    // TimeoutStopSec must cover the default shutdown.grace (30s) and closing the sinks.
    assertThat(60).isGreaterThan(30 + 10);
  }

  @Test
  void alertRulesPassPromtool(@TempDir Path dir) throws Exception {
    String promtool = require("promtool", "prometheus");
    Run rules =
        run(dir, promtool, "check", "rules", DOCKER.resolve("prometheus/alerts.yml").toString());
    assertThat(rules.exit()).as(rules.output()).isZero();
    assertThat(rules.output()).contains("SUCCESS: 8 rules found");

    // The Prometheus configuration too, with its rule file where this test can read it.
    Files.copy(DOCKER.resolve("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
    Files.writeString(
        dir.resolve("prometheus.yml"),
        Files.readString(DOCKER.resolve("prometheus/prometheus.yml"))
            .replace("/etc/prometheus/alerts.yml", dir.resolve("alerts.yml").toString()));
    Run config = run(dir, promtool, "check", "config", dir.resolve("prometheus.yml").toString());
    assertThat(config.exit()).as(config.output()).isZero();
  }

  @Test
  void composeFileParsesAndDescribesTheFullStack() throws IOException {
    JsonNode compose = new YAMLMapper().readTree(DOCKER.resolve("compose.yml").toFile());
    JsonNode services = compose.path("services");
    for (String s :
        List.of(
            "mysql",
            "redis",
            "rabbitmq",
            "elasticmq",
            "bridge",
            "bridge-migrate",
            "prometheus",
            "grafana")) {
      assertThat(services.has(s)).as("service " + s).isTrue();
    }
    assertThat(services.path("mysql").path("build").asText()).isEqualTo("./q4m");
    assertThat(services.path("bridge-migrate").path("build").path("dockerfile").asText())
        .isEqualTo("docker/bridge/Dockerfile");
    assertThat(ROOT.resolve("docker/bridge/Dockerfile")).exists();
    // Every file mounted into a container is in the repository.
    for (JsonNode service : services) {
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asText().split(":")[0];
        assertThat(DOCKER.resolve(source).normalize()).as(volume.asText()).exists();
      }
    }
    new YAMLMapper().readTree(DOCKER.resolve("bridge/bridge.yml").toFile());
  }

  @Test
  void dashboardParsesAndEveryPanelQueriesADeclaredMetric() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(DOCKER.resolve("grafana/q4m-bridge.json").toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("q4m-bridge");
    Set<String> used = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode t : panel.path("targets")) {
        used.addAll(metrics(t.path("expr").asText()));
      }
    }
    assertThat(declared()).containsAll(used);
    assertThat(used)
        .contains(
            "q4m_bridge_queue_backlog",
            "q4m_bridge_queue_oldest_age_seconds",
            "q4m_bridge_rows_acknowledged_total",
            "q4m_bridge_rows_dead_lettered_total",
            "q4m_bridge_queue_phase",
            "q4m_bridge_reload_failed_total");
  }

  @Test
  void alertRulesUseOnlyDeclaredMetrics() throws IOException {
    assertThat(declared())
        .containsAll(metrics(Files.readString(DOCKER.resolve("prometheus/alerts.yml"))));
  }

  @Test
  void readmeListsEveryMetricName() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (MetricNames.Family f : MetricNames.FAMILIES) {
      assertThat(readme).contains("`" + exported(f) + "`").contains("`" + f.prefix() + ".");
    }
    for (String[] single : MetricNames.SINGLE) {
      assertThat(readme).contains("`" + single[0] + "`");
    }
  }

  private static String exported(MetricNames.Family f) {
    return f.prometheusName() + (f.kind().equals("meter") ? "_total" : "");
  }

  /** Every Prometheus series name the bridge exports. */
  private static Set<String> declared() {
    Set<String> out = new HashSet<>();
    for (MetricNames.Family f : MetricNames.FAMILIES) {
      String n = f.prometheusName();
      out.add(exported(f));
      out.add(n + "_count");
      out.add(n + "_sum");
    }
    for (String[] single : MetricNames.SINGLE) {
      String n = single[0].replace('.', '_');
      out.add(single[1].equals("counter") ? n + "_total" : n);
    }
    return out;
  }

  private static Set<String> metrics(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
