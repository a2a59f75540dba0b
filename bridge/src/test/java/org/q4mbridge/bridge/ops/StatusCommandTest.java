package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.cli.Main;
import picocli.CommandLine;

/** {@code q4m-bridge status} against an admin listener serving a fixed status. */
class StatusCommandTest {

  private static String[] run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void printsOneLinePerQueueWithPhaseBacklogAndRates() throws Exception {
    try (AdminServer server =
        new AdminServer(
            new InetSocketAddress("127.0.0.1", 0),
            () -> AdminServerTest.status(false),
            new PrometheusMetrics(new com.codahale.metrics.MetricRegistry()))) {
      server.start();
      String[] r = run("status", "--url", "http://127.0.0.1:" + server.address().getPort());
      assertThat(r[0]).isEqualTo("0");
      assertThat(r[1])
          .contains("q4m-bridge 1.0: NOT READY, running")
          .contains("not ready: app.job_queue: 1234 row(s) waiting")
          .contains("last reload refused: invalid configuration")
          .containsPattern("QUEUE\\s+PHASE\\s+BACKLOG\\s+OLDEST\\s+IN-FLIGHT\\s+ACKED/S")
          .containsPattern("app.job_queue\\s+cutover \\(stuck\\)\\s+1,234\\s+1m35s\\s+200\\s+0.0")
          .containsPattern("redis-main\\s+UNHEALTHY\\s+10,000\\s+0\\s+2");
    }
  }

  @Test
  void exitsUnavailableWithOneLineWhenTheDaemonDoesNotAnswer() throws Exception {
    String url = "http://127.0.0.1:" + TestBridge.freePort();
    String[] r = run("status", "--url", url);
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCode.UNAVAILABLE.code()));
    assertThat(r[1]).isEmpty();
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2]).startsWith("q4m-bridge: no answer from " + url + "/status");
  }
}
