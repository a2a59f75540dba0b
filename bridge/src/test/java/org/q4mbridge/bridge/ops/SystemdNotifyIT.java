package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The packaged daemon ({@code java -jar target/q4m-bridge.jar run}) as systemd runs it: a fake
 * {@code NOTIFY_SOCKET} (a Unix datagram socket this test binds) receives READY only after the sink
 * probes, WATCHDOG while rows flow, RELOADING then READY on a real SIGHUP, STOPPING on a real
 * SIGTERM; the process then exits 0.
 */
@Tag("integration")
class SystemdNotifyIT {
  private static final Duration BOUND = Duration.ofSeconds(90);
  private static final Path JAR = Path.of("target", "q4m-bridge.jar");

  @TempDir Path dir;
  private TestDatabase db;
  private AFUNIXDatagramChannel socket;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Thread reader;
  private Process bridge;

  @BeforeEach
  void setUp() throws Exception {
    assertThat(JAR).as("the jar built by 'package' (run through mvn verify)").exists();
    db = TestDatabase.create("notify");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    TestBridge.createJobTable(db, "job_queue");
    socket = AFUNIXDatagramChannel.open();
    socket.bind(AFUNIXSocketAddress.of(dir.resolve("notify.sock")));
    reader = new Thread(this::read, "notify-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (socket.isOpen()) {
      try {
        buf.clear();
        socket.receive(buf);
        buf.flip();
        received.add(StandardCharsets.UTF_8.decode(buf).toString());
      } catch (IOException closed) {
        return;
      }
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    if (bridge != null && bridge.isAlive()) {
      bridge.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    socket.close();
    db.close();
  }

  private Process launch(String redisUri, String... prefix) throws IOException {
    int admin = TestBridge.freePort();
    Path config =
        TestBridge.config(
            dir,
            db,
            redisUri,
            admin,
            List.of(
                "table: job_queue\nmode: emulated\nphase: cutover\nforce: true\nsinks: [redis-main]\n"
                    + "destination: \"it:notify:"
                    + db.name()
                    + "\"\nconsumers: 1\nbatchSize: 20"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(prefix));
    command.addAll(List.of(java, "-jar", JAR.toString(), "run", "--config", config.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("bridge.log").toFile());
    pb.environment().put("NOTIFY_SOCKET", dir.resolve("notify.sock").toString());
    pb.environment().put("WATCHDOG_USEC", "1000000"); // a ping every 0.5 s
    pb.environment().remove("WATCHDOG_PID");
    return pb.start();
  }

  private int indexOf(String assignment, int from) {
    for (int i = from; i < received.size(); i++) {
      if (received.get(i).lines().anyMatch(assignment::equals)) {
        return i;
      }
    }
    return -1;
  }

  private void signal(String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(bridge.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("bridge.log"));
  }

  @Test
  void notifiesReadyWatchdogReloadingAndStoppingAcrossTheDaemonsLife() throws Exception {
    bridge = launch("redis://127.0.0.1:6379/0");
    await("READY=1").atMost(BOUND).until(() -> indexOf("READY=1", 0) >= 0);
    int ready = indexOf("READY=1", 0);
    assertThat(received.get(ready)).contains("STATUS=ready");
    assertThat(log())
        .as("this test's JVM passed on SIGHUP as ignored (run under nohup?): no reload can work")
        .doesNotContain("SIGHUP is ignored");
    // READY comes after the probes and after the admin listener started.
    assertThat(log()).contains("queue " + db.name() + ".job_queue: phase cutover");
    String adminUrl =
        log()
            .lines()
            .filter(l -> l.contains("admin listener on "))
            .map(l -> l.replaceAll(".*admin listener on (\\S+).*", "$1"))
            .findFirst()
            .orElseThrow();
    assertThat(TestBridge.get(adminUrl + "/health/live", "*/*").status()).isEqualTo(200);

    TestBridge.insertJobs(db, "job_queue", 200);
    await("WATCHDOG=1 pings while rows flow")
        .atMost(BOUND)
        .until(() -> received.stream().filter("WATCHDOG=1"::equals).count() >= 3);

    signal("HUP");
    await("RELOADING=1 on SIGHUP").atMost(BOUND).until(() -> indexOf("RELOADING=1", 0) >= 0);
    int reloading = indexOf("RELOADING=1", 0);
    assertThat(received.get(reloading)).containsPattern("MONOTONIC_USEC=\\d+");
    await("READY=1 again after the reload")
        .atMost(BOUND)
        .until(() -> indexOf("READY=1", reloading + 1) > reloading);

    signal("TERM");
    await("STOPPING=1 on SIGTERM").atMost(BOUND).until(() -> indexOf("STOPPING=1", 0) >= 0);
    assertThat(bridge.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(bridge.exitValue()).as(log()).isEqualTo(ExitCode.OK.code());
    List<String> order = new ArrayList<>();
    for (String m : received) {
      m.lines().filter(l -> l.matches("(READY|RELOADING|STOPPING)=1")).forEach(order::add);
    }
    assertThat(order).containsExactly("READY=1", "RELOADING=1", "READY=1", "STOPPING=1");
  }

  @Test
  void startedWithSighupIgnoredTheDaemonSaysThatAReloadWillNotWork() throws Exception {
    bridge = launch("redis://127.0.0.1:6379/0", "nohup"); // nohup starts it with SIGHUP ignored
    await("READY=1").atMost(BOUND).until(() -> indexOf("READY=1", 0) >= 0);

    // Said before READY=1: the handlers are in place (or known missing) before systemd may signal.
    assertThat(log())
        .as("the signal handlers are installed before READY=1")
        .contains(
            "SIGHUP is ignored by this process (inherited, e.g. from nohup): it will not"
                + " reload the configuration");
    assertThat(log()).doesNotContain("SIGTERM is ignored");
    signal("TERM");
    assertThat(bridge.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(bridge.exitValue()).as(log()).isEqualTo(ExitCode.OK.code());
  }

  @Test
  void sendsNoReadyWhenARequiredSinkFailsItsProbe() throws Exception {
    bridge = launch("redis://127.0.0.1:" + TestBridge.freePort() + "/0"); // nothing listens
    assertThat(bridge.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(bridge.exitValue()).as(log()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(received).noneMatch(m -> m.contains("READY=1"));
  }
}
