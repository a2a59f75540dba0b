package org.q4mbridge.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.faults.FaultReport;

/**
 * kill -9 at random moments (DESIGN.md §9): the bridge runs as a child process and is SIGKILLed
 * again and again while a producer keeps inserting — during start-up, between batches, with rows
 * claimed — and restarted each time. Claimed rows come back by themselves (the row lock dies with
 * the connection) and the dedup script turns every re-publish into the entry that is already there.
 * Redis is a server of this class's own, so its command statistics count the re-publishes.
 */
@Tag(FaultReport.TAG)
class CrashRestartIT {
  private static final int JOBS = 50_000;
  private static final int KILLS = 12;
  private static final String RUNNING = "q4m-bridge running";

  private static ExpendableRedis redis;

  /** Where a kill lands. */
  private enum Moment {
    /** As soon as the daemon says it runs: consumers are opening their sources. */
    AFTER_START,
    /** After a random number of entries: anywhere in the poll → publish → settle loop. */
    AFTER_PROGRESS,
    /** While another consumer's claim holds rows (seen by a SKIP LOCKED probe). */
    WITH_ROWS_CLAIMED
  }

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

  @Test
  void killingTheBridgeAtRandomMomentsLosesNoJobAndAddsNoDuplicate(@TempDir Path dir)
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String stream = SharedRedis.newStream("crash");
    try (JobQueue queue = JobQueue.create("crash")) {
      try {
        Path file =
            BridgeYaml.forQueue(queue, redis.uri(), stream)
                .withConsumers(4, 200)
                .writeTo(dir.resolve("bridge.yml"));
        List<String> kills = new ArrayList<>();
        long started = System.nanoTime();
        try (Producers producers = Producers.start(queue, 4, JOBS, 1_500)) {
          for (int i = 0; i < KILLS; i++) {
            // Half of the kills land mid-stream, where publishes and acks race the most.
            Moment moment =
                random.nextBoolean()
                    ? Moment.AFTER_PROGRESS
                    : random.nextBoolean() ? Moment.AFTER_START : Moment.WITH_ROWS_CLAIMED;
            try (BridgeProcess bridge = BridgeProcess.run(file, "crash")) {
              long before = xlen(stream);
              await("bridge #" + i + " running")
                  .atMost(Duration.ofSeconds(60))
                  .pollInterval(Duration.ofMillis(20))
                  .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
                  .until(() -> bridge.logContains(RUNNING));
              switch (moment) {
                case AFTER_START -> {}
                case AFTER_PROGRESS -> {
                  long target = before + 100 + random.nextInt(4_000);
                  await("bridge #" + i + " forwarding up to entry " + target)
                      .atMost(Duration.ofSeconds(90))
                      .pollInterval(Duration.ofMillis(10))
                      .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
                      .until(
                          () -> xlen(stream) >= target || (producers.done() && queue.count() == 0));
                }
                case WITH_ROWS_CLAIMED ->
                    await("bridge #" + i + " holding claimed rows")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(10))
                        .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
                        .until(
                            () -> queue.heldNow() > 0 || (producers.done() && queue.count() == 0));
              }
              long at = xlen(stream);
              bridge.sigkill();
              int exit = bridge.waitFor(Duration.ofSeconds(20));
              kills.add(moment + "@" + at);
              assertThat(exit).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
            }
          }
          try (BridgeProcess last = BridgeProcess.run(file, "crash-last")) {
            producers.awaitDone(Duration.ofMinutes(5));
            await("the backlog drained after the last restart")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .failFast("bridge exited: " + last.logFile(), () -> !last.isAlive())
                .until(() -> queue.count() == 0 && xlen(stream) >= JOBS);
            last.sigterm();
            assertThat(last.waitFor(Duration.ofSeconds(40))).as("exit after SIGTERM").isZero();
          }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        StreamContents entries = redis.commands(r -> StreamContents.read(r, stream));
        // The dedup script reads each published message's marker with one GET (Redis counts the
        // commands a script runs); those beyond one per job were re-publishes of rows whose ack the
        // kills prevented, answered by the script without a second entry.
        long publishes = redis.commands(r -> calls(r.info("commandstats"), "get"));
        System.out.printf(
            Locale.ROOT,
            "CrashRestartIT (seed %d): %,d jobs, %d SIGKILLs at %s, then a clean run; %.1f s in"
                + " all; stream entries %,d, duplicate keys %d, duplicate numbers %d, missing %d;"
                + " publishes %,d (%,d re-publishes absorbed by dedup); dead-lettered %d; left in"
                + " table %d%n",
            seed,
            JOBS,
            kills.size(),
            kills,
            seconds,
            entries.size(),
            entries.duplicateKeys(),
            entries.duplicateNumbers(),
            entries.missing(JOBS, Set.of()).size(),
            publishes,
            publishes - entries.size(),
            queue.deadLetterCount(),
            queue.count());

        FaultReport.record(
            FaultReport.redisStream(
                "bridge SIGKILLed " + kills.size() + " times at random moments, then restarted",
                "CrashRestartIT",
                JOBS,
                entries,
                (long) kills.size() * 4 * 200,
                queue.deadLetterCount(),
                seconds,
                String.format(
                    Locale.ROOT,
                    "%,d re-publishes answered by the dedup script",
                    publishes - entries.size())));
        assertThat(kills).hasSize(KILLS);
        assertThat(publishes).as("publishes through the dedup script").isGreaterThanOrEqualTo(JOBS);
        assertThat(entries.missing(JOBS, Set.of())).as("jobs lost").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
        assertThat(queue.count()).as("rows left in the queue table").isZero();
        assertThat(queue.deadLetters()).as("dead letters").isEmpty();
      } finally {
        redis.commands(
            r -> {
              SharedRedis.deleteStream(r, stream);
              return null;
            });
      }
    }
  }

  private static long xlen(String stream) {
    return redis.commands(r -> r.xlen(stream));
  }

  /** The sum of {@code calls=} of the given commands in an {@code INFO commandstats} reply. */
  private static long calls(String commandStats, String... commands) {
    long sum = 0;
    for (String line : commandStats.split("\r?\n")) {
      for (String c : commands) {
        if (line.startsWith("cmdstat_" + c + ":calls=")) {
          String rest = line.substring(("cmdstat_" + c + ":calls=").length());
          sum += Long.parseLong(rest.substring(0, rest.indexOf(',')));
        }
      }
    }
    return sum;
  }
}
