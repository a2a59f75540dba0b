package org.q4mbridge.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.MetricNames;

/**
 * The main job end to end on the real servers: PHP-style producers insert into an emulated Q4M
 * table while the bridge (in this JVM, started as {@code run} starts it) forwards to a stream on
 * the shared Redis.
 */
class EndToEndIT {
  private static final int JOBS = 50_000;
  private static final int PRODUCERS = 8;

  @Test
  void everyJobOfEightConcurrentProducersArrivesInTheStreamExactlyOnce(@TempDir Path dir)
      throws Exception {
    String stream = SharedRedis.newStream("e2e");
    try (JobQueue queue = JobQueue.create("e2e");
        SharedRedis redis = SharedRedis.connect()) {
      try {
        Path file =
            BridgeYaml.forQueue(queue, SharedRedis.URI, stream)
                .withConsumers(4, 200)
                .writeTo(dir.resolve("bridge.yml"));
        MetricRegistry metrics = new MetricRegistry();
        long started = System.nanoTime();
        Daemon daemon = Daemon.start(file, ConfigLoader.load(file), metrics);
        ExitCode exit;
        double producedSeconds;
        double forwardedSeconds;
        try (Producers producers = Producers.start(queue, PRODUCERS, JOBS, 0)) {
          producers.awaitDone(Duration.ofMinutes(5));
          producedSeconds = seconds(started);
          await("every job forwarded and acknowledged")
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> redis.commands().xlen(stream) >= JOBS && queue.count() == 0);
          forwardedSeconds = seconds(started);
        } finally {
          daemon.bridge().requestStop();
          exit = daemon.bridge().awaitExit();
        }

        StreamContents entries = StreamContents.read(redis.commands(), stream);
        String name = queue.queueName();
        Snapshot latency = metrics.histogram(MetricNames.endToEndMillis(name)).getSnapshot();
        System.out.printf(
            Locale.ROOT,
            "EndToEndIT: %,d jobs from %d producers inserted in %.1f s (%,.0f/s); all forwarded"
                + " after %.1f s (%,.0f/s); stream entries %,d, duplicate keys %d, duplicate"
                + " numbers %d; acknowledged %,d, released %,d, dead-lettered %d; left in table"
                + " %d; insert->confirmed p50 %.0f ms, p99 %.0f ms; exit %s%n",
            JOBS,
            PRODUCERS,
            producedSeconds,
            JOBS / producedSeconds,
            forwardedSeconds,
            JOBS / forwardedSeconds,
            entries.size(),
            entries.duplicateKeys(),
            entries.duplicateNumbers(),
            metrics.meter(MetricNames.rowsAcknowledged(name)).getCount(),
            metrics.meter(MetricNames.rowsReleased(name)).getCount(),
            queue.deadLetterCount(),
            queue.count(),
            latency.getMedian(),
            latency.get99thPercentile(),
            exit);

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(entries.missing(JOBS, Set.of())).as("jobs missing from the stream").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
        assertThat(entries.size()).isEqualTo(JOBS);
        assertThat(queue.count()).as("rows left in the queue table").isZero();
        assertThat(queue.deadLetters()).as("dead letters").isEmpty();
      } finally {
        redis.deleteStream(stream);
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
