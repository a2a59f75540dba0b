package org.q4mbridge.bridge.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.cli.Main;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The migration walk of DESIGN.md §6 with producers inserting all along: mirror → shadow → cutover
 * → rollback (drain-back) → cutover, legacy workers on the table and new workers on the stream.
 * Every job must be processed by exactly one authoritative side; shadow copies are never acted on.
 */
class PhaseWalkIT {
  private static final int JOBS = 20_000;
  private static final Pattern JOB = Pattern.compile("\"job\":(\\d+)");

  private static TestDatabase db;
  private static String live;
  private static String shadow;
  private static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("phasewalk");
    new org.q4mbridge.bridge.ops.BridgeSchema(
            db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name())
        .migrate();
    db.exec(
        "CREATE TABLE jobs (job_type VARCHAR(32) NOT NULL, payload TEXT NOT NULL,"
            + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY) ENGINE=InnoDB");
    live = "it-walk-" + db.name();
    shadow = live + ".shadow";
    config = Files.createTempFile("walk", ".yml");
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (RedisClient c = RedisClient.create("redis://127.0.0.1:6379");
        StatefulRedisConnection<String, String> conn = c.connect()) {
      conn.sync().del(live, shadow);
      conn.sync().keys("q4m-bridge:dedup:{" + live + "*").forEach(conn.sync()::del);
    }
    db.close();
    Files.deleteIfExists(config);
  }

  private static void writeConfig(String phase, boolean force) throws Exception {
    Files.writeString(
        config,
        String.join(
            "\n",
            "database: { url: \"" + db.url() + "\", user: " + TestDatabase.USER + " }",
            "sinks:",
            "  redis-main: { type: redis-streams, uri: \"redis://127.0.0.1:6379/0\" }",
            "shutdown: { grace: 10s }",
            "queues:",
            "  - table: jobs",
            "    mode: emulated",
            "    phase: " + phase,
            "    force: " + force,
            "    sinks: [redis-main]",
            "    destination: \"" + live + "\"",
            "    shadowDestination: \"" + shadow + "\"",
            "    consumers: 2",
            "    batchSize: 100",
            ""));
  }

  private static int job(String payload) {
    Matcher m = JOB.matcher(payload);
    if (!m.find()) {
      throw new IllegalStateException("no job number in " + payload);
    }
    return Integer.parseInt(m.group(1));
  }

  @Test
  void everyJobIsProcessedByExactlyOneAuthoritativeSideThroughTheWholeWalk() throws Exception {
    Map<Integer, Integer> legacyDone = new ConcurrentHashMap<>();
    Map<Integer, Integer> newDone = new ConcurrentHashMap<>();
    AtomicBoolean legacyOn = new AtomicBoolean(true);
    AtomicBoolean newOn = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger produced = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
    StatefulRedisConnection<String, String> admin = redis.connect();
    admin
        .sync()
        .xgroupCreate(
            XReadArgs.StreamOffset.from(live, "0"), "workers", XGroupCreateArgs.Builder.mkstream());

    // producer: plain single-row INSERTs, like PHP
    pool.submit(
        () -> {
          try (Connection c = db.connect();
              PreparedStatement ps =
                  c.prepareStatement("INSERT INTO jobs (job_type, payload) VALUES (?, ?)")) {
            for (int i = 0; i < JOBS && !stop.get(); i++) {
              ps.setString(1, "email");
              ps.setString(2, "{\"job\":" + i + "}");
              ps.executeUpdate();
              produced.incrementAndGet();
            }
          }
          return null;
        });
    // two legacy workers consuming the table the Q4M way (one row at a time)
    for (int w = 0; w < 2; w++) {
      pool.submit(
          () -> {
            try (EmulatedQueueSource s =
                EmulatedQueueSource.open(
                    new EmulatedQueueSource.Options(
                        db.connections(),
                        List.of(new Subscription(new TableRef(db.name(), "jobs"), null)),
                        null,
                        new DeadLetterTable(new TableRef(db.name(), "q4m_dead_letter")),
                        EpochTracker.registry(EpochTracker.Store.inMemory()),
                        null,
                        null,
                        null))) {
              while (!stop.get()) {
                if (!legacyOn.get()) {
                  s.poll(1, Duration.ofMillis(20)).close();
                  continue;
                }
                Claim claim = s.poll(1, Duration.ofMillis(100));
                for (QueueRow r : claim.rows()) {
                  legacyDone.merge(job((String) r.value("payload")), 1, Integer::sum);
                }
                claim.settle(claim.rows().stream().map(QueueRow::rowId).toList(), List.of());
              }
            }
            return null;
          });
    }
    // two new workers reading the live stream through the workers' group
    for (int w = 0; w < 2; w++) {
      String name = "new-" + w;
      pool.submit(
          () -> {
            try (StatefulRedisConnection<String, String> conn = redis.connect()) {
              RedisCommands<String, String> r = conn.sync();
              while (!stop.get()) {
                if (!newOn.get()) {
                  synchronized (newOn) {
                    newOn.wait(20); // stopped workers idle; the flag is polled
                  }
                  continue;
                }
                List<StreamMessage<String, String>> got =
                    r.xreadgroup(
                        Consumer.from("workers", name),
                        XReadArgs.Builder.count(100).block(100),
                        XReadArgs.StreamOffset.lastConsumed(live));
                for (StreamMessage<String, String> m : got) {
                  newDone.merge(job(m.getBody().get("payload")), 1, Integer::sum);
                  r.xack(live, "workers", m.getId());
                }
              }
            }
            return null;
          });
    }

    writeConfig("mirror", false);
    Daemon daemon = Daemon.start(config, ConfigLoader.load(config), new MetricRegistry());
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> produced.get() >= JOBS / 5);
      writeConfig("shadow", false);
      assertThat(daemon.reload()).as(String.valueOf(daemon.lastReloadError())).isTrue();

      await().atMost(Duration.ofMinutes(2)).until(() -> produced.get() >= 2 * JOBS / 5);
      // The gate has no comparison data here, so cutover needs force (logged as forced).
      writeConfig("cutover", false);
      assertThat(daemon.reload()).isFalse();
      assertThat(daemon.lastReloadError()).contains("cutover refused").contains("force: true");
      writeConfig("cutover", true);
      assertThat(daemon.reload()).as(String.valueOf(daemon.lastReloadError())).isTrue();
      newOn.set(true);
      legacyOn.set(false);

      await().atMost(Duration.ofMinutes(2)).until(() -> produced.get() >= 3 * JOBS / 5);
      // Rollback, as runbooks/04-rollback.md: stop new workers, switch (acknowledged), drain back.
      newOn.set(false);
      assertThat(drainBack()).as("drain-back refuses while the queue is in cutover").isEqualTo(1);
      writeConfig("shadow", false);
      assertThat(daemon.reload()).as("leaving cutover must be acknowledged").isFalse();
      assertThat(daemon.lastReloadError()).contains("force: true").contains("drain-back");
      writeConfig("shadow", true);
      assertThat(daemon.reload()).as(String.valueOf(daemon.lastReloadError())).isTrue();
      assertThat(drainBack()).isZero();
      assertThat(drainBack()).as("a second run moves nothing twice").isZero();
      legacyOn.set(true);

      await().atMost(Duration.ofMinutes(2)).until(() -> produced.get() >= 4 * JOBS / 5);
      writeConfig("cutover", true);
      assertThat(daemon.reload()).as(String.valueOf(daemon.lastReloadError())).isTrue();
      newOn.set(true);
      legacyOn.set(false);

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> legacyDone.size() + newDone.size() >= JOBS);
    } finally {
      stop.set(true);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      daemon.bridge().requestStop();
      daemon.bridge().awaitExit();
      admin.close();
      redis.shutdown();
    }

    Set<Integer> both = new HashSet<>(legacyDone.keySet());
    both.retainAll(newDone.keySet());
    Set<Integer> all = new HashSet<>(legacyDone.keySet());
    all.addAll(newDone.keySet());
    System.out.printf(
        "phase walk: %d jobs, legacy processed %d, new processed %d, both %d%n",
        JOBS, legacyDone.size(), newDone.size(), both.size());
    assertThat(all).as("no job lost").hasSize(JOBS);
    assertThat(both).as("no job processed by both sides").isEmpty();
    assertThat(legacyDone.values()).as("legacy processed each job once").allMatch(n -> n == 1);
    assertThat(newDone.values()).as("new workers processed each job once").allMatch(n -> n == 1);
    assertThat(legacyDone).isNotEmpty();
    assertThat(newDone).isNotEmpty();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM q4m_phase_log WHERE event = 'transition' AND forced = 1")) {
      rs.next();
      assertThat(rs.getInt(1))
          .as("both cutovers and the acknowledged rollback are logged as forced")
          .isEqualTo(3);
    }
  }

  /** Runs `q4m-bridge drain-back` through the real CLI; returns its exit code. */
  private static int drainBack() {
    return Main.commandLine()
        .execute(
            "drain-back",
            "--config",
            config.toString(),
            "--queue",
            db.name() + ".jobs",
            "--idle",
            "1s");
  }

  @Test
  void anInvalidReloadKeepsTheRunningConfigurationAndSaysWhy() throws Exception {
    db.exec("CREATE TABLE IF NOT EXISTS jobs2 LIKE jobs");
    Path file = Files.createTempFile("reload", ".yml");
    String valid =
        String.join(
            "\n",
            "database: { url: \"" + db.url() + "\", user: " + TestDatabase.USER + " }",
            "sinks:",
            "  redis-main: { type: redis-streams, uri: \"redis://127.0.0.1:6379/0\" }",
            "queues:",
            "  - table: jobs2",
            "    mode: emulated",
            "    phase: cutover",
            "    force: true",
            "    sinks: [redis-main]",
            "    destination: \"" + live + "-reload\"",
            "");
    Files.writeString(file, valid);
    Daemon daemon = Daemon.start(file, ConfigLoader.load(file), new MetricRegistry());
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      Files.writeString(file, valid + "    batchSise: 10\n");
      assertThat(daemon.reload()).isFalse();
      assertThat(daemon.lastReloadError())
          .contains("queues[0]")
          .contains("batchSise")
          .contains("keeping the running one");
      // The old configuration keeps forwarding.
      st.executeUpdate("INSERT INTO jobs2 (job_type, payload) VALUES ('email', '{\"job\":1}')");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jobs2")) {
                  rs.next();
                  return rs.getInt(1) == 0;
                }
              });
      assertThat(
              daemon
                  .registry()
                  .counter(org.q4mbridge.bridge.ops.MetricNames.RELOADS_FAILED)
                  .getCount())
          .isEqualTo(1);
    } finally {
      daemon.bridge().requestStop();
      daemon.bridge().awaitExit();
      Files.deleteIfExists(file);
      try (RedisClient c = RedisClient.create("redis://127.0.0.1:6379");
          StatefulRedisConnection<String, String> conn = c.connect()) {
        conn.sync().del(live + "-reload");
      }
    }
  }
}
