package org.q4mbridge.bridge.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Executes the shell blocks of runbooks/01-mirror.md … 04-rollback.md, in order, against the local
 * services, with the bridge running as a real process (reloads are SIGHUP) and producers inserting
 * all along; legacy and new workers are switched by the runbooks' STOP/START commands. Every job
 * must end up processed by exactly one authoritative side.
 */
class RunbookIT {
  private static final int JOBS = 12_000;
  private static final Pattern JOB = Pattern.compile("\"job\":(\\d+)");
  private static final Pattern SH = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  private static TestDatabase db;
  private static Path dir;
  private static String live;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("runbook");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    db.exec(
        "CREATE TABLE jobs (job_type VARCHAR(32) NOT NULL, payload TEXT NOT NULL,"
            + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY) ENGINE=InnoDB");
    dir = Files.createTempDirectory("runbook");
    live = "it-runbook-" + db.name();
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (RedisClient c = RedisClient.create("redis://127.0.0.1:6379");
        StatefulRedisConnection<String, String> conn = c.connect()) {
      conn.sync().del(live, live + ".shadow");
      conn.sync().keys("q4m-bridge:dedup:{" + live + "*").forEach(conn.sync()::del);
    }
    db.close();
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("runbooks"))) {
      p = p.getParent();
    }
    return p;
  }

  static List<String> blocks(Path runbook) throws Exception {
    List<String> out = new ArrayList<>();
    Matcher m = SH.matcher(Files.readString(runbook));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int job(String payload) {
    Matcher m = JOB.matcher(payload);
    m.find();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void theRunbooksWalkAQueueToCutoverAndBackWithoutLosingOrDoublingAJob() throws Exception {
    Path config = dir.resolve("bridge.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "# written by RunbookIT; the runbooks edit the phase with q4m-bridge set-phase",
            "database: { url: \"" + db.url() + "\", user: " + TestDatabase.USER + " }",
            "sinks:",
            "  redis-main: { type: redis-streams, uri: \"redis://127.0.0.1:6379/0\" }",
            "shutdown: { grace: 10s }",
            "admin: { listen: \"127.0.0.1:0\" }",
            "queues:",
            "  - table: jobs",
            "    mode: emulated",
            "    phase: off",
            "    sinks: [redis-main]",
            "    destination: \"" + live + "\"",
            "    consumers: 2",
            "    batchSize: 100",
            ""));
    Path jar = Path.of("target", "q4m-bridge.jar").toAbsolutePath();
    assertThat(jar).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = dir.resolve("bridge.log").toFile();
    Process bridge =
        new ProcessBuilder(java, "-jar", jar.toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    Files.createFile(dir.resolve("new.off"));

    Map<Integer, Integer> legacyDone = new ConcurrentHashMap<>();
    Map<Integer, Integer> newDone = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger produced = new AtomicInteger();
    // Jobs are released in tranches, one per runbook, so traffic keeps flowing in every phase
    // (however long the steps before it took) and new workers get jobs during cutover.
    AtomicInteger allowance = new AtomicInteger(JOBS / 5);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
    try {
      pool.submit(
          () -> {
            try (Connection c = db.connect();
                PreparedStatement ps =
                    c.prepareStatement("INSERT INTO jobs (job_type, payload) VALUES (?, ?)")) {
              for (int i = 0; i < JOBS && !stop.get(); i++) {
                while (i >= allowance.get() && !stop.get()) {
                  synchronized (produced) {
                    produced.wait(20);
                  }
                }
                ps.setString(1, "email");
                ps.setString(2, "{\"job\":" + i + "}");
                ps.executeUpdate();
                produced.incrementAndGet();
                if (i % 100 == 99) {
                  // Spread the jobs over the whole walk, like steady traffic.
                  synchronized (produced) {
                    produced.wait(60);
                  }
                }
              }
            }
            return null;
          });
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
                if (Files.exists(dir.resolve("legacy.off"))) {
                  s.poll(1, Duration.ofMillis(20)).close();
                  continue;
                }
                Claim claim = s.poll(10, Duration.ofMillis(100));
                for (QueueRow r : claim.rows()) {
                  legacyDone.merge(job((String) r.value("payload")), 1, Integer::sum);
                }
                claim.settle(claim.rows().stream().map(QueueRow::rowId).toList(), List.of());
              }
            }
            return null;
          });
      pool.submit(
          () -> {
            try (StatefulRedisConnection<String, String> conn = redis.connect()) {
              RedisCommands<String, String> r = conn.sync();
              while (!stop.get()) {
                if (Files.exists(dir.resolve("new.off")) || r.exists(live) == 0) {
                  synchronized (newDone) {
                    newDone.wait(20);
                  }
                  continue;
                }
                List<StreamMessage<String, String>> got;
                try {
                  got =
                      r.xreadgroup(
                          Consumer.from("workers", "new-1"),
                          XReadArgs.Builder.count(100).block(100),
                          XReadArgs.StreamOffset.lastConsumed(live));
                } catch (io.lettuce.core.RedisCommandExecutionException noGroupYet) {
                  continue;
                }
                for (StreamMessage<String, String> m : got) {
                  newDone.merge(job(m.getBody().get("payload")), 1, Integer::sum);
                  r.xack(live, "workers", m.getId());
                }
              }
            }
            return null;
          });

      Map<String, String> env = new HashMap<>();
      env.put("BRIDGE", java + " -jar " + jar);
      env.put("Q4M_BRIDGE_CONFIG", config.toString());
      env.put("QUEUE", db.name() + ".jobs");
      env.put("RELOAD", "kill -HUP " + bridge.pid());
      env.put("GROUP", "workers");
      env.put("DESTINATION", live);
      env.put("SINK", "redis-main");
      env.put("CUTOVER_FORCE", "1");
      env.put("IDLE", "1s");
      env.put("STOP_LEGACY_WORKERS", "touch " + dir.resolve("legacy.off"));
      env.put("START_LEGACY_WORKERS", "rm -f " + dir.resolve("legacy.off"));
      env.put("STOP_NEW_WORKERS", "touch " + dir.resolve("new.off"));
      env.put("START_NEW_WORKERS", "rm -f " + dir.resolve("new.off"));

      int step = 0;
      int tranche = 0;
      for (String runbook :
          List.of("01-mirror.md", "02-shadow.md", "03-cutover.md", "04-rollback.md")) {
        int quota = ++tranche * JOBS / 5;
        allowance.set(quota);
        await().atMost(Duration.ofMinutes(2)).until(() -> produced.get() >= quota);
        if (runbook.equals("04-rollback.md")) {
          // The jobs of this tranche were inserted in cutover: the new workers must be getting
          // them.
          await("new workers take jobs in cutover")
              .atMost(Duration.ofMinutes(2))
              .until(() -> !newDone.isEmpty());
        }
        for (String block : blocks(repoRoot().resolve("runbooks").resolve(runbook))) {
          step++;
          ProcessBuilder pb =
              new ProcessBuilder("bash", "-euo", "pipefail", "-c", block).redirectErrorStream(true);
          pb.environment().putAll(env);
          Process p = pb.start();
          String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
          System.out.printf("runbook %s block %d:%n%s%n", runbook, step, output);
          assertThat(p.exitValue())
              .as(
                  "runbooks/%s block:%n%s%noutput:%n%s%nbridge log:%n%s",
                  runbook, block, output, Files.readString(log.toPath()))
              .isZero();
          assertThat(bridge.isAlive()).as("the bridge keeps running through every step").isTrue();
        }
      }
      allowance.set(JOBS);
      await().atMost(Duration.ofMinutes(3)).until(() -> produced.get() >= JOBS);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> legacyDone.size() + newDone.size() >= JOBS);
    } finally {
      stop.set(true);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      bridge.destroy();
      bridge.waitFor(60, TimeUnit.SECONDS);
      redis.shutdown();
    }
    assertThat(bridge.exitValue()).as("SIGTERM: settled and exit 0").isZero();
    Set<Integer> both = new HashSet<>(legacyDone.keySet());
    both.retainAll(newDone.keySet());
    Set<Integer> all = new HashSet<>(legacyDone.keySet());
    all.addAll(newDone.keySet());
    System.out.printf(
        "runbook walk: %d jobs, legacy %d, new %d, both %d%n",
        JOBS, legacyDone.size(), newDone.size(), both.size());
    assertThat(all).as("no job lost").hasSize(JOBS);
    assertThat(both).as("no job processed by both sides").isEmpty();
    assertThat(legacyDone.values()).allMatch(n -> n == 1);
    assertThat(newDone.values()).allMatch(n -> n == 1);
    assertThat(newDone).as("new workers were authoritative during cutover").isNotEmpty();
  }
}
