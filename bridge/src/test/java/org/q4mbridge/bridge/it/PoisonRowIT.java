package org.q4mbridge.bridge.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison rows never block a queue: rows the mapping cannot turn into a message (the body column is
 * NULL, or holds bytes that are not UTF-8 text) and a row larger than the queue's {@code
 * maxMessageBytes} are dead-lettered at once with their reason while the rows around them flow on.
 * After the operator fixes the configuration (and reloads it with SIGHUP), {@code q4m-bridge dlq
 * replay} puts them back and the bridge forwards them.
 */
class PoisonRowIT {
  private static final int JOBS = 1_003;
  private static final long NULL_BODY = 500;
  private static final long OVERSIZE = 501;
  private static final long NOT_UTF8 = 502;

  @Test
  void unmappableAndOversizeRowsAreDeadLetteredWithReasonsAndForwardedAfterFixAndReplay(
      @TempDir Path dir) throws Exception {
    String stream = SharedRedis.newStream("poison");
    try (JobQueue queue = JobQueue.create("poison");
        SharedRedis redis = SharedRedis.connect()) {
      try {
        fill(queue);
        BridgeYaml broken =
            BridgeYaml.forQueue(queue, SharedRedis.URI, stream)
                .withConsumers(4, 200)
                .withQueueMaxMessageBytes("4KiB")
                .withMapping("body: raw-column", "rawColumn: body_json");
        Path file = broken.writeTo(dir.resolve("bridge.yml"));

        try (BridgeProcess bridge = BridgeProcess.run(file, "poison")) {
          await("the queue drained around the poison rows")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(100))
              .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
              .until(
                  () ->
                      queue.count() == 0
                          && queue.deadLetterCount() == 3
                          && redis.commands().xlen(stream) >= JOBS - 3);
          StreamContents before = StreamContents.read(redis.commands(), stream);
          List<JobQueue.DeadLetterRow> dead = queue.deadLetters();
          BridgeProcess.Finished list =
              Launcher.execute("dlq", "list", "--config", file.toString());
          System.out.printf(
              Locale.ROOT,
              "PoisonRowIT: %,d rows, stream entries %,d before the fix; dead letters:%n%s%n"
                  + "dlq list (exit %d):%n%s",
              JOBS,
              before.size(),
              dead,
              list.exitCode(),
              list.out());

          assertThat(before.numbers())
              .as("every other row forwarded")
              .isEqualTo(numbersExcept(NULL_BODY, OVERSIZE, NOT_UTF8));
          assertThat(before.duplicateKeys()).isZero();
          assertThat(dead)
              .extracting(JobQueue.DeadLetterRow::reason)
              .containsExactlyInAnyOrder(
                  "unmappable: column body_json is NULL: no body to send",
                  "oversize: message of 10019 bytes exceeds the limit of 4096 bytes",
                  "unmappable: column body_json holds 53 bytes that are not valid UTF-8 text");
          assertThat(dead).allSatisfy(d -> assertThat(d.queue()).isEqualTo(queue.queueName()));
          assertThat(list.exitCode()).isZero();
          for (JobQueue.DeadLetterRow d : dead) {
            assertThat(list.out()).contains(d.messageKey()).contains(d.reason());
          }

          // The fix: send the payload column (never NULL, always text) and allow bodies up to 64
          // KiB.
          broken
              .withQueueMaxMessageBytes("64KiB")
              .withMapping("body: raw-column", "rawColumn: payload")
              .writeTo(file);
          bridge.sighup();
          await("the reload applied")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> bridge.logContains("reloaded "));
          BridgeProcess.Finished replay =
              Launcher.execute("dlq", "replay", "--config", file.toString());
          System.out.printf(
              "PoisonRowIT: dlq replay (exit %d): %s", replay.exitCode(), replay.out());
          assertThat(replay.exitCode()).as(replay.both()).isZero();
          assertThat(replay.out()).contains("replayed 3, already replayed 0, failed 0");

          await("the replayed rows forwarded")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .failFast("bridge exited: " + bridge.logFile(), () -> !bridge.isAlive())
              .until(() -> queue.count() == 0 && redis.commands().xlen(stream) >= JOBS);
          bridge.sigterm();
          assertThat(bridge.waitFor(Duration.ofSeconds(40))).isZero();
        }

        StreamContents after = StreamContents.read(redis.commands(), stream);
        BridgeProcess.Finished listAfter =
            Launcher.execute("dlq", "list", "--config", file.toString());
        System.out.printf(
            Locale.ROOT,
            "PoisonRowIT: after the fix and replay: stream entries %,d, duplicate numbers %d;"
                + " dead letters %s; dlq list: %s",
            after.size(),
            after.duplicateNumbers(),
            queue.deadLetters(),
            listAfter.out());
        assertThat(after.numbers()).isEqualTo(numbersExcept());
        assertThat(after.repeatedNumbers()).isEmpty();
        assertThat(after.duplicateKeys()).isZero();
        assertThat(queue.deadLetters())
            .as("the three dead letters, marked replayed, and no new one")
            .hasSize(3)
            .allMatch(JobQueue.DeadLetterRow::replayed);
        assertThat(listAfter.out()).contains("no dead letters");
        BridgeProcess.Finished again =
            Launcher.execute("dlq", "replay", "--config", file.toString());
        assertThat(again.out())
            .as("a second replay inserts nothing")
            .contains("replayed 0, already replayed 3, failed 0");
        assertThat(queue.count()).isZero();
      } finally {
        redis.deleteStream(stream);
      }
    }
  }

  /**
   * Jobs 0…1002 with the body in the BLOB {@code body_json}; job 500 lacks it (NULL), job 501
   * carries 10 KB in both columns, job 502 has Latin-1 bytes there (a legacy producer's encoding).
   */
  private static void fill(JobQueue queue) throws Exception {
    queue
        .database()
        .exec("ALTER TABLE " + JobQueue.TABLE + " ADD COLUMN body_json MEDIUMBLOB NULL");
    try (Connection c = queue.database().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + JobQueue.TABLE
                    + " (job_type, payload, body_json) VALUES ('send_email', ?, ?)")) {
      for (long n = 0; n < JOBS; n++) {
        String payload =
            n == OVERSIZE
                ? "{\"n\":" + n + ",\"blob\":\"" + "x".repeat(10_000) + "\"}"
                : JobQueue.payload(n, 0);
        ps.setString(1, payload);
        if (n == NOT_UTF8) {
          ps.setBytes(2, payload.replace("}", ",\"city\":\"Z\u00fcrich\"}").getBytes(ISO_8859_1));
        } else {
          ps.setBytes(2, n == NULL_BODY ? null : payload.getBytes(UTF_8));
        }
        ps.executeUpdate();
      }
    }
  }

  private static Set<Long> numbersExcept(Long... left) {
    Set<Long> out = new HashSet<>();
    LongStream.range(0, JOBS).forEach(out::add);
    out.removeAll(Set.of(left));
    return out;
  }
}
