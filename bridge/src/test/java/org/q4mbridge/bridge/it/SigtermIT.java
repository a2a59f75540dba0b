package org.q4mbridge.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.faults.FaultReport;

/**
 * SIGTERM while batches are in flight to a Redis that does not answer (frozen with SIGSTOP, so the
 * publishes hang rather than fail): the bridge stops claiming, waits for its in-flight batches up
 * to {@code shutdown.grace}, settles — acknowledging what was confirmed, releasing the rest — and
 * exits 0 in time. Afterwards no row is held, and table plus stream account for every job.
 */
@Tag(FaultReport.TAG)
class SigtermIT {
  private static final int JOBS = 20_000;
  private static final int IN_FLIGHT_WINDOW = 4 * 200;

  private static ExpendableRedis redis;

  private JobQueue queue;
  private String stream;

  @BeforeAll
  static void launchRedis() {
    redis = ExpendableRedis.launch();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void backlog() throws Exception {
    queue = JobQueue.create("sigterm");
    queue.insertBacklog(0, JOBS);
    stream = SharedRedis.newStream("sigterm");
  }

  @AfterEach
  void cleanUp() throws Exception {
    redis.start(); // resumes it too, should a test have failed while it was frozen
    redis.commands(
        r -> {
          SharedRedis.deleteStream(r, stream);
          return null;
        });
    queue.close();
  }

  @Test
  void sigtermWhileRedisIsSlowSettlesTheInFlightBatchesAndExitsZeroWithinTheGrace(@TempDir Path dir)
      throws Exception {
    Duration grace = Duration.ofSeconds(8);
    Path file =
        BridgeYaml.forQueue(queue, redis.uri(), stream)
            .withConsumers(4, 200)
            .withPublishTimeout("10s")
            .withGrace("8s")
            .writeTo(dir.resolve("bridge.yml"));
    try (BridgeProcess bridge = BridgeProcess.run(file, "sigterm-slow")) {
      long held = forwardingThenFrozen(bridge);

      bridge.sigterm();
      long termAt = System.nanoTime();
      await("the bridge acting on SIGTERM")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> bridge.logContains("SIGTERM: stopping"));
      redis.resume(); // the slow sink answers, within the grace period
      int exit = bridge.waitFor(grace.plusSeconds(20));
      double stopSeconds = (System.nanoTime() - termAt) / 1e9;

      Accounting a = account();
      print("slow redis", held, stopSeconds, grace, exit, a);
      assertThat(exit).isZero();
      assertThat(stopSeconds).as("seconds from SIGTERM to exit").isLessThan(grace.toSeconds());
      assertThat(bridge.log()).contains("stopped: every claimed row settled");
      assertThat(a.claimable).as("rows a fresh consumer can claim").isEqualTo(a.rows);
      assertThat(a.missing).as("jobs neither in the table nor in the stream").isEmpty();
      assertThat(a.both)
          .as("jobs confirmed by redis and still in the table (not acknowledged)")
          .isEmpty();
      assertThat(a.entries.duplicateKeys()).isZero();
    }
  }

  @Test
  void sigtermWhileRedisHangsPastTheGraceReleasesTheInFlightRowsAndExitsZeroInTime(
      @TempDir Path dir) throws Exception {
    long began = System.nanoTime();
    Duration grace = Duration.ofSeconds(3);
    Path file =
        BridgeYaml.forQueue(queue, redis.uri(), stream)
            .withConsumers(4, 200)
            .withPublishTimeout("30s")
            .withGrace("3s")
            .writeTo(dir.resolve("bridge.yml"));
    long held;
    double stopSeconds;
    int exit;
    long rows;
    long claimable;
    try (BridgeProcess bridge = BridgeProcess.run(file, "sigterm-hang")) {
      held = forwardingThenFrozen(bridge);

      bridge.sigterm();
      long termAt = System.nanoTime();
      exit = bridge.waitFor(grace.plusSeconds(30));
      stopSeconds = (System.nanoTime() - termAt) / 1e9;
      // Redis is still frozen: nothing was confirmed, the grace period ended the wait.
      rows = queue.count();
      claimable = queue.claimableNow();
      assertThat(bridge.log()).contains("grace period over; releasing unsettled rows");
    }
    // Redis wakes up and runs the XADDs it had received: those jobs are in the stream and, not
    // acknowledged, still in the table.
    redis.resume();
    Accounting a = account();
    print("hanging redis", held, stopSeconds, grace, exit, a);
    assertThat(exit).isZero();
    // The JVM needs a moment to close the sinks and exit after the grace period.
    assertThat(stopSeconds).as("seconds from SIGTERM to exit").isLessThan(grace.toSeconds() + 3);
    assertThat(claimable).as("rows a fresh consumer can claim").isEqualTo(rows);
    assertThat(a.missing).as("jobs neither in the table nor in the stream").isEmpty();
    assertThat(a.both.size())
        .as("jobs both in the stream and in the table: at most the in-flight window")
        .isLessThanOrEqualTo(IN_FLIGHT_WINDOW);

    // A new bridge forwards the rest; the jobs Redis already has come round under the same keys.
    try (BridgeProcess again = BridgeProcess.run(file, "sigterm-hang-again")) {
      await("the rest forwarded by a new bridge")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .failFast("bridge exited: " + again.logFile(), () -> !again.isAlive())
          .until(() -> queue.count() == 0);
      again.sigterm();
      assertThat(again.waitFor(Duration.ofSeconds(40))).isZero();
    }
    StreamContents entries = redis.commands(r -> StreamContents.read(r, stream));
    System.out.printf(
        Locale.ROOT,
        "SigtermIT (hanging redis, after a restart): stream entries %,d, duplicate keys %d,"
            + " duplicate numbers %d, missing %d%n",
        entries.size(),
        entries.duplicateKeys(),
        entries.duplicateNumbers(),
        entries.missing(JOBS, Set.of()).size());
    FaultReport.record(
        FaultReport.redisStream(
            "SIGTERM while Redis hangs past the grace period, then a new bridge",
            "SigtermIT",
            JOBS,
            entries,
            IN_FLIGHT_WINDOW,
            queue.deadLetterCount(),
            (System.nanoTime() - began) / 1e9,
            String.format(
                Locale.ROOT,
                "%,d rows in flight released at exit %d after %.1f s; %,d of them already in Redis",
                held,
                exit,
                stopSeconds,
                a.both.size())));
    assertThat(entries.missing(JOBS, Set.of())).isEmpty();
    assertThat(entries.duplicateKeys()).isZero();
    assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
  }

  @Test
  void aSecondSigtermReleasesTheInFlightRowsAtOnceAndExitsZero(@TempDir Path dir) throws Exception {
    Path file =
        BridgeYaml.forQueue(queue, redis.uri(), stream)
            .withConsumers(4, 200)
            .withPublishTimeout("30s")
            .withGrace("60s")
            .writeTo(dir.resolve("bridge.yml"));
    long held;
    double stopSeconds;
    int exit;
    long rows;
    long claimable;
    try (BridgeProcess bridge = BridgeProcess.run(file, "sigterm-twice")) {
      held = forwardingThenFrozen(bridge);
      bridge.sigterm();
      await("the bridge acting on the first SIGTERM")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> bridge.logContains("SIGTERM: stopping"));
      bridge.sigterm();
      long againAt = System.nanoTime();
      exit = bridge.waitFor(Duration.ofSeconds(30));
      stopSeconds = (System.nanoTime() - againAt) / 1e9;
      rows = queue.count();
      claimable = queue.claimableNow();
    }
    redis.resume();
    Accounting a = account();
    print("second SIGTERM", held, stopSeconds, Duration.ofSeconds(60), exit, a);
    assertThat(exit).isZero();
    assertThat(stopSeconds).as("seconds from the second SIGTERM to exit").isLessThan(5);
    assertThat(claimable).as("rows a fresh consumer can claim").isEqualTo(rows);
    assertThat(a.missing).as("jobs neither in the table nor in the stream").isEmpty();
  }

  /**
   * Waits until the bridge forwards, freezes redis, waits until batches hang in flight.
   *
   * @return the rows the bridge holds then
   */
  private long forwardingThenFrozen(BridgeProcess bridge) throws Exception {
    await("forwarding")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
        .until(() -> redis.commands(r -> r.xlen(stream)) >= 1_000);
    redis.pause();
    await("batches in flight to the frozen redis")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> queue.heldNow() > 0);
    return queue.heldNow();
  }

  /** What the table and the stream hold between them. */
  private record Accounting(
      long rows, long claimable, StreamContents entries, Set<Long> missing, Set<Long> both) {}

  private Accounting account() throws Exception {
    Set<Long> inTable = queue.remainingNumbers();
    long rows = queue.count();
    long claimable = queue.claimableNow();
    StreamContents entries = redis.commands(r -> StreamContents.read(r, stream));
    Set<Long> both = new HashSet<>(entries.numbers());
    both.retainAll(inTable);
    return new Accounting(rows, claimable, entries, entries.missing(JOBS, inTable), both);
  }

  private static void print(
      String variant, long held, double stopSeconds, Duration grace, int exit, Accounting a) {
    System.out.printf(
        Locale.ROOT,
        "SigtermIT (%s): %d rows in flight at SIGTERM; exit %d after %.2f s (grace %d s); then"
            + " table %,d rows (%,d claimable), stream %,d entries, in both %d, in neither %d%n",
        variant,
        held,
        exit,
        stopSeconds,
        grace.toSeconds(),
        a.rows,
        a.claimable,
        a.entries.size(),
        a.both.size(),
        a.missing.size());
  }
}
