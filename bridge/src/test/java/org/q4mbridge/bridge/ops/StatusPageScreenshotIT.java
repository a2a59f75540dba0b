package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The {@code /status} HTML page of a running bridge, rendered by headless Chromium (Debian's {@code
 * chromium} package) into {@code target/status-page.png}: three queues — one flowing, one slower
 * than its producers (backlog), one off — with their phase, rates and backlog.
 */
@Tag("integration")
class StatusPageScreenshotIT {
  static final String CHROMIUM = System.getenv().getOrDefault("Q4M_TEST_CHROMIUM", "chromium");
  private static final Path PNG = Path.of("target", "status-page.png");

  @Test
  void statusPageShowsPhaseRatesAndBacklogOfARunningBridge(@TempDir Path dir) throws Exception {
    String chromium = which(CHROMIUM);
    if (chromium == null) {
      fail(
          "headless Chromium is needed for the status page screenshot: apt-get install -y"
              + " chromium (Debian's chromium package), or set Q4M_TEST_CHROMIUM");
    }
    ScheduledExecutorService producers = Executors.newSingleThreadScheduledExecutor();
    AtomicReference<Exception> producerFailure = new AtomicReference<>();
    AtomicReference<String> lastStatus = new AtomicReference<>("none yet");
    try (TestDatabase db = TestDatabase.create("page")) {
      new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
      TestBridge.createJobTable(db, "mail_queue");
      TestBridge.createJobTable(db, "image_queue");
      TestBridge.createJobTable(db, "legacy_queue");
      Path file =
          TestBridge.config(
              dir,
              db,
              "redis://127.0.0.1:6379/0",
              TestBridge.freePort(),
              List.of(
                  "table: mail_queue\nmode: emulated\nphase: cutover\nforce: true\nsinks: [redis-main]\n"
                      + "destination: \"it:page:mail:"
                      + db.name()
                      + "\"",
                  // One consumer taking 2 rows at a time cannot keep up: the backlog grows.
                  "table: image_queue\nmode: emulated\nphase: mirror\nsinks: [redis-main]\n"
                      + "consumers: 1\nbatchSize: 2\nshadowDestination: \"it:page:img:"
                      + db.name()
                      + "\"",
                  "table: legacy_queue\nmode: emulated\nphase: off"));
      // Mirror reads the tap; make it the same shape so the demo queue has something to read.
      TestBridge.createJobTable(db, "image_queue__tap");
      Daemon daemon =
          Daemon.start(
              file,
              ConfigLoader.load(file),
              new MetricRegistry(),
              new Operations.Settings(
                  true, false, false, Duration.ofSeconds(30), Duration.ofMillis(500)));
      try {
        // A backlog that one consumer taking 2 rows at a time needs several seconds to work off,
        // however fast this machine is today.
        for (int i = 0; i < 10; i++) {
          TestBridge.insertJobs(db, "image_queue__tap", 1000);
        }
        producers.scheduleAtFixedRate(
            () -> {
              try {
                TestBridge.insertJobs(db, "mail_queue", 40);
                TestBridge.insertJobs(db, "image_queue__tap", 40);
              } catch (Exception e) {
                producerFailure.compareAndSet(null, e);
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
        try {
          await("rates and a backlog to show")
              .atMost(Duration.ofSeconds(90))
              .failFast("a producer failed", () -> producerFailure.get() != null)
              .until(
                  () -> {
                    Status s = daemon.operations().status();
                    lastStatus.set(AdminServer.mapper().writeValueAsString(s.queues()));
                    Status.Queue mail = s.queues().get(0);
                    Status.Queue image = s.queues().get(1);
                    return mail.ackedPerSecond() > 0
                        && image.ackedPerSecond() > 0
                        && image.backlog() != null
                        && image.backlog() > 100
                        && image.oldestAgeSeconds() != null
                        && image.oldestAgeSeconds() > 0;
                  });
        } catch (RuntimeException e) {
          throw new AssertionError(
              "no rates and backlog to show; last queues: "
                  + lastStatus.get()
                  + "; producer failure: "
                  + producerFailure.get(),
              e);
        }
        String url = daemon.operations().adminUri() + "/status?format=html";
        String html = TestBridge.get(url, "text/html").body();
        assertThat(html).contains("cutover").contains("mirror").contains("off").contains("Backlog");
        screenshot(chromium, url, dir);
      } finally {
        producers.shutdownNow();
        daemon.bridge().requestStop();
        daemon.bridge().awaitExit();
        daemon.operations().stopped();
      }
    } finally {
      producers.shutdownNow();
    }
    assertThat(Files.size(PNG)).as("a PNG with something drawn").isGreaterThan(20_000);
  }

  private static void screenshot(String chromium, String url, Path dir) throws Exception {
    Files.createDirectories(PNG.getParent());
    Files.deleteIfExists(PNG);
    Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--screenshot=" + PNG.toAbsolutePath(),
                "--window-size=1280,900",
                url)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 90 s: " + Files.readString(dir.resolve("chromium.log")));
    }
    assertThat(PNG).as(Files.readString(dir.resolve("chromium.log"))).exists();
  }

  /** The executable's path, or null when it is not installed. */
  static String which(String name) throws IOException {
    if (name.contains("/")) {
      return Files.isExecutable(Path.of(name)) ? name : null;
    }
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
