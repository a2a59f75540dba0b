package org.q4mbridge.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.faults.FaultReport;

/**
 * Redis goes away for 20 s in the middle of a run. Stopped: the sink reports itself unhealthy as
 * soon as its connection drops, so the pump stops claiming (back-pressure, DESIGN.md §4). Frozen
 * (SIGSTOP, a Redis that hangs with its connections open): the sink still looks healthy, every
 * publish times out, and the pump backs off without counting those timeouts against the rows.
 * Either way the jobs wait in MySQL, nothing is dead-lettered, the process stays up, and once Redis
 * answers again forwarding resumes by itself.
 */
@Tag(FaultReport.TAG)
class RedisOutageIT {
  private static final int JOBS = 20_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  private static final int IN_FLIGHT_WINDOW = 4 * 200;

  private static ExpendableRedis redis;

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
  void jobsWaitInMysqlWhileRedisIsDownAndFlowAgainWhenItIsBack(@TempDir Path dir) throws Exception {
    String stream = SharedRedis.newStream("outage");
    long began = System.nanoTime();
    try (JobQueue queue = JobQueue.create("outage")) {
      Path file =
          BridgeYaml.forQueue(queue, redis.uri(), stream)
              .withConsumers(4, 200)
              .withPublishTimeout("2s")
              .writeTo(dir.resolve("bridge.yml"));
      try (Producers producers = Producers.start(queue, 2, JOBS, 400);
          BridgeProcess bridge = BridgeProcess.run(file, "outage")) {
        await("forwarding before the outage")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> xlen(stream) >= 2_000);

        redis.stop();
        long downAt = System.nanoTime();
        long rowsAtStop = queue.count();
        long producedAtStop = producers.produced();
        AtomicLong deadLetters = new AtomicLong();
        AtomicLong held = new AtomicLong();
        // Up, no dead letter, and no row claimed: back-pressure, not a claim-fail-release loop.
        await("a quiet bridge that claims nothing while redis is down")
            .during(OUTAGE)
            .atMost(OUTAGE.plusSeconds(10))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  deadLetters.set(queue.deadLetterCount());
                  held.set(queue.heldNow());
                  assertThat(bridge.isAlive()).as("bridge running").isTrue();
                  assertThat(queue.deadLetters()).as("dead letters").isEmpty();
                  assertThat(held.get()).as("rows claimed by the bridge").isZero();
                });
        long rowsAtEnd = queue.count();
        long producedDuring = producers.produced() - producedAtStop;
        long streamBefore;
        String logDuringOutage = bridge.log();

        redis.start();
        long upAt = System.nanoTime();
        streamBefore = xlen(stream);
        await("forwarding again after redis is back")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> xlen(stream) > streamBefore);
        double resumedAfter = (System.nanoTime() - upAt) / 1e9;
        double downFor = (upAt - downAt) / 1e9;

        producers.awaitDone(Duration.ofMinutes(3));
        await("the backlog drained")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> queue.count() == 0 && xlen(stream) >= JOBS);
        bridge.sigterm();
        int exit = bridge.waitFor(Duration.ofSeconds(40));

        StreamContents entries = redis.commands(r -> StreamContents.read(r, stream));
        long backPressureLines = logDuringOutage.lines().filter(l -> l.contains(" WARN ")).count();
        System.out.printf(
            Locale.ROOT,
            "RedisOutageIT: redis down %.1f s with %,d entries in the stream; table %,d -> %,d rows"
                + " while %,d jobs were inserted; dead letters %d and rows held %d at its end; forwarding"
                + " resumed %.2f s after redis was back; %,d jobs in all: stream entries %,d,"
                + " duplicate keys %d, missing %d; warnings logged %d; exit %d%n",
            downFor,
            streamBefore,
            rowsAtStop,
            rowsAtEnd,
            producedDuring,
            deadLetters.get(),
            held.get(),
            resumedAfter,
            JOBS,
            entries.size(),
            entries.duplicateKeys(),
            entries.missing(JOBS, Set.of()).size(),
            backPressureLines,
            exit);

        FaultReport.record(
            FaultReport.redisStream(
                "Redis stopped and restarted while producers insert",
                "RedisOutageIT",
                JOBS,
                entries,
                IN_FLIGHT_WINDOW,
                queue.deadLetterCount(),
                (System.nanoTime() - began) / 1e9,
                String.format(
                    Locale.ROOT,
                    "down %.1f s; forwarding resumed %.2f s after it was back",
                    downFor,
                    resumedAfter)));
        assertThat(rowsAtEnd - rowsAtStop)
            .as("jobs inserted during the outage wait in the table")
            .isGreaterThanOrEqualTo(producedDuring - IN_FLIGHT_WINDOW)
            .isPositive();
        assertThat(resumedAfter).as("seconds until forwarding resumed").isLessThan(15);
        assertThat(exit).isZero();
        assertThat(entries.missing(JOBS, Set.of())).as("jobs lost").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(queue.deadLetters()).as("dead letters").isEmpty();
        assertThat(queue.count()).isZero();
      } finally {
        redis.start(); // idempotent; the test may have failed during the outage
        redis.commands(
            r -> {
              SharedRedis.deleteStream(r, stream);
              return null;
            });
      }
    }
  }

  @Test
  void jobsWaitInMysqlWhileRedisHangsAndNoneIsDeadLettered(@TempDir Path dir) throws Exception {
    String stream = SharedRedis.newStream("hang");
    long began = System.nanoTime();
    try (JobQueue queue = JobQueue.create("hang")) {
      queue.insertBacklog(0, JOBS);
      Path file =
          BridgeYaml.forQueue(queue, redis.uri(), stream)
              .withConsumers(4, 200)
              .withPublishTimeout("2s")
              .withRetry(3, "200ms..2s")
              .writeTo(dir.resolve("bridge.yml"));
      try (BridgeProcess bridge = BridgeProcess.run(file, "hang")) {
        await("forwarding before redis hangs")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> xlen(stream) >= 2_000);

        redis.pause();
        long frozenAt = System.nanoTime();
        long rowsAtFreeze = queue.count();
        AtomicLong deadLetters = new AtomicLong();
        // With 3 attempts of 2 s each, rows held by the frozen Redis would be dead-lettered after
        // about 7 s if timeouts counted as the rows' failures.
        await("no dead letter while redis hangs")
            .during(OUTAGE)
            .atMost(OUTAGE.plusSeconds(10))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  deadLetters.set(queue.deadLetterCount());
                  assertThat(bridge.isAlive()).as("bridge running").isTrue();
                  assertThat(queue.deadLetters()).as("dead letters").isEmpty();
                });
        long rowsAtEnd = queue.count();

        redis.resume();
        long upAt = System.nanoTime();
        long streamBefore = xlen(stream);
        await("forwarding again after redis answers")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> xlen(stream) > streamBefore + IN_FLIGHT_WINDOW);
        double resumedAfter = (System.nanoTime() - upAt) / 1e9;
        double frozenFor = (upAt - frozenAt) / 1e9;

        await("the backlog drained")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
            .until(() -> queue.count() == 0);
        bridge.sigterm();
        int exit = bridge.waitFor(Duration.ofSeconds(40));

        StreamContents entries = redis.commands(r -> StreamContents.read(r, stream));
        long silentBatches =
            bridge.log().lines().filter(l -> l.contains("without using up an attempt")).count();
        System.out.printf(
            Locale.ROOT,
            "RedisOutageIT (hang): redis frozen %.1f s; table %,d -> %,d rows; dead letters %d;"
                + " batches that went unanswered %d; forwarding resumed %.2f s after redis woke;"
                + " %,d jobs in all: stream entries %,d, duplicate keys %d, duplicate numbers %d,"
                + " missing %d; exit %d%n",
            frozenFor,
            rowsAtFreeze,
            rowsAtEnd,
            deadLetters.get(),
            silentBatches,
            resumedAfter,
            JOBS,
            entries.size(),
            entries.duplicateKeys(),
            entries.duplicateNumbers(),
            entries.missing(JOBS, Set.of()).size(),
            exit);

        FaultReport.record(
            FaultReport.redisStream(
                "Redis frozen (SIGSTOP) with a backlog, then resumed",
                "RedisOutageIT",
                JOBS,
                entries,
                IN_FLIGHT_WINDOW,
                queue.deadLetterCount(),
                (System.nanoTime() - began) / 1e9,
                String.format(
                    Locale.ROOT,
                    "frozen %.1f s; %d batches went unanswered without using up attempts",
                    frozenFor,
                    silentBatches)));
        assertThat(rowsAtEnd)
            .as("rows waiting in the table while redis hangs")
            .isGreaterThanOrEqualTo(rowsAtFreeze - IN_FLIGHT_WINDOW);
        assertThat(resumedAfter).as("seconds until forwarding resumed").isLessThan(15);
        assertThat(exit).isZero();
        assertThat(entries.missing(JOBS, Set.of())).as("jobs lost").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
        assertThat(queue.deadLetters()).as("dead letters").isEmpty();
      } finally {
        redis.start(); // resumes it, should the test have failed while it was frozen
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
}
