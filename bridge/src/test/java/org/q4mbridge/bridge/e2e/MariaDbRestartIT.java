package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.it.StreamContents;
import org.q4mbridge.bridge.ops.BridgeSchema;

/**
 * The fault of DESIGN.md §9 "MySQL restarts": the bridge forwards from a MariaDB server of the
 * test's own, which is crashed (SIGKILL) and shut down cleanly (SIGTERM) and started again on the
 * same data, twice each, while a producer inserts. Claims open at a crash are rolled back by InnoDB
 * recovery; rows whose delete did not commit are published again and absorbed by the dedup script.
 * The producer commits each batch with a row in a ledger table in the same transaction, so that
 * after a failed commit it can tell whether the batch is in (and never inserts it twice):
 * "produced" is exact.
 */
@Tag(FaultReport.TAG)
class MariaDbRestartIT {
  private static final int BATCHES = 200;
  private static final int PER_BATCH = 100;
  private static final int JOBS = BATCHES * PER_BATCH;
  private static final String DB = "faults";

  private enum Restart {
    CRASH,
    CLEAN
  }

  @Test
  void restartingMariaDbWhileJobsFlowLosesNoJobAndDuplicatesNone() throws Exception {
    String stream = "it:mariadb-restart:" + System.nanoTime();
    long began = System.nanoTime();
    RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
    Path file = null;
    try (ThrowawayMariaDb server = ThrowawayMariaDb.launch();
        StatefulRedisConnection<String, String> conn = redis.connect()) {
      try (Connection c = server.connect("");
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + DB);
      }
      new BridgeSchema(server.url(DB), ThrowawayMariaDb.USER, ThrowawayMariaDb.PASSWORD, DB)
          .migrate();
      try (Connection c = server.connect(DB);
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE jobs (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
                + " grp VARCHAR(32) NOT NULL DEFAULT 'g0',"
                + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
                + " ENGINE=InnoDB");
        st.execute("CREATE TABLE produced (batch INT PRIMARY KEY) ENGINE=InnoDB");
      }
      file =
          RunningBridge.writeConfig(
              String.join(
                  "\n",
                  "database: { url: \""
                      + server.url(DB)
                      + "\", user: "
                      + ThrowawayMariaDb.USER
                      + ", password: "
                      + ThrowawayMariaDb.PASSWORD
                      + " }",
                  "sinks:",
                  "  redis-main: { type: redis-streams, uri: \"redis://127.0.0.1:6379/0\" }",
                  "shutdown: { grace: 10s }",
                  "queues:",
                  "  - table: jobs",
                  "    mode: emulated",
                  "    phase: cutover",
                  "    force: true",
                  "    sinks: [redis-main]",
                  "    destination: \"" + stream + "\"",
                  "    consumers: 4",
                  "    batchSize: 100",
                  "    retry: { maxAttempts: 1000, backoff: 50ms..1s }",
                  ""));
      RedisCommands<String, String> r = conn.sync();
      String queueName = DB + ".jobs";
      List<String> restarts = new ArrayList<>();
      Producer producer = new Producer(server);
      try (RunningBridge bridge = RunningBridge.start(file)) {
        CompletableFuture<Void> producing = CompletableFuture.runAsync(producer::run);
        // Crash, clean stop, crash, clean stop — each once the stream has grown by 2,500 entries
        // since the last restart, so that every restart lands with jobs flowing.
        for (Restart kind : List.of(Restart.CRASH, Restart.CLEAN, Restart.CRASH, Restart.CLEAN)) {
          long target = r.xlen(stream) + 2_500;
          await("the stream growing to " + target + " entries before the " + kind)
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> r.xlen(stream) >= target || producing.isDone());
          long at = r.xlen(stream);
          long downAt = System.nanoTime();
          long problemsBefore = bridge.problems(queueName);
          if (kind == Restart.CRASH) {
            server.kill();
          } else {
            server.stop();
          }
          // Down until the bridge has noticed (a failed claim or settle), then up again.
          await("the bridge noticing that MariaDB is down")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> bridge.problems(queueName) > problemsBefore);
          server.start();
          restarts.add(
              String.format(
                  Locale.ROOT,
                  "%s at %,d (down %.1f s)",
                  kind,
                  at,
                  (System.nanoTime() - downAt) / 1e9));
        }
        producing.get(3, java.util.concurrent.TimeUnit.MINUTES);
        await("every job in the stream and the table empty")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptionsInstanceOf(SQLException.class)
            .until(() -> r.xlen(stream) >= JOBS && remaining(server) == 0);

        StreamContents entries = StreamContents.read(r, stream);
        long ledger = ledgerCount(server);
        long deadLettered = bridge.deadLettered(queueName);
        long problems = bridge.problems(queueName);
        FaultReport.record(
            FaultReport.redisStream(
                "MariaDB crashed (SIGKILL) twice and restarted cleanly twice while producing",
                "MariaDbRestartIT",
                ledger * PER_BATCH,
                entries,
                4L * 100 * restarts.size(),
                deadLettered,
                (System.nanoTime() - began) / 1e9,
                String.join(", ", restarts)
                    + String.format(
                        Locale.ROOT,
                        "; %d problems seen by the bridge; the producer retried %d batches",
                        problems,
                        producer.retried.get())));
        System.out.printf(
            Locale.ROOT,
            "MariaDbRestartIT: %s; producer ledger %d batches (%d retried after a failed commit);"
                + " stream entries %,d, distinct jobs %,d, duplicate keys %d, duplicate numbers %d;"
                + " dead letters %d; problems %d; released %d%n",
            restarts,
            ledger,
            producer.retried.get(),
            entries.size(),
            entries.numbers().size(),
            entries.duplicateKeys(),
            entries.duplicateNumbers(),
            deadLettered,
            problems,
            bridge.released(queueName));
        assertThat(restarts).hasSize(4);
        assertThat(server.starts()).isEqualTo(5);
        assertThat(ledger).as("batches the producer committed").isEqualTo(BATCHES);
        assertThat(entries.missing(JOBS, java.util.Set.of())).as("jobs lost").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
        assertThat(deadLettered).as("dead letters").isZero();
        assertThat(problems).as("the restarts really broke the bridge's connections").isPositive();
      }
    } finally {
      redis.connect().sync().del(stream);
      redis.shutdown();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static long remaining(ThrowawayMariaDb server) throws SQLException {
    return count(server, "SELECT COUNT(*) FROM jobs");
  }

  private static long ledgerCount(ThrowawayMariaDb server) throws SQLException {
    return count(server, "SELECT COUNT(*) FROM produced");
  }

  private static long count(ThrowawayMariaDb server, String sql) throws SQLException {
    try (Connection c = server.connect(DB);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Inserts {@link #BATCHES} batches of {@link #PER_BATCH} jobs, one every 40 ms, each in one
   * transaction with its ledger row. A batch whose commit failed is looked up in the ledger once
   * the server answers again, and inserted again only if it is not there.
   */
  private static final class Producer {
    private final ThrowawayMariaDb server;
    final AtomicInteger retried = new AtomicInteger();

    Producer(ThrowawayMariaDb server) {
      this.server = server;
    }

    void run() {
      long next = System.nanoTime();
      for (int b = 0; b < BATCHES; b++) {
        next += 40_000_000L;
        int batch = b;
        boolean first = true;
        while (true) {
          if (!first) {
            retried.incrementAndGet();
          }
          first = false;
          try {
            insert(batch);
            break;
          } catch (SQLException e) {
            // The server went away mid-batch: wait (bounded) until it answers, then ask the ledger.
            boolean committed =
                await("the ledger answering for batch " + batch)
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> inLedger(batch), v -> v != null);
            if (committed) {
              break;
            }
          }
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, not waiting on state
        }
      }
    }

    private void insert(int batch) throws SQLException {
      try (Connection c = server.connect(DB)) {
        c.setAutoCommit(false);
        StringBuilder sql = new StringBuilder("INSERT INTO jobs (job_type, payload, grp) VALUES ");
        for (int i = 0; i < PER_BATCH; i++) {
          sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          int p = 1;
          for (int i = 0; i < PER_BATCH; i++) {
            int n = batch * PER_BATCH + i;
            ps.setString(p++, "email");
            ps.setString(p++, "{\"n\":" + n + "}");
            ps.setString(p++, "g" + (n % 10));
          }
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO produced VALUES (?)")) {
          ps.setInt(1, batch);
          ps.executeUpdate();
        }
        c.commit();
      }
    }

    private Boolean inLedger(int batch) throws SQLException {
      try (Connection c = server.connect(DB);
          PreparedStatement ps = c.prepareStatement("SELECT 1 FROM produced WHERE batch = ?")) {
        ps.setInt(1, batch);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }
  }
}
