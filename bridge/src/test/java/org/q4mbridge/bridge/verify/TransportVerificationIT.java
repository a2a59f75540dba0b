package org.q4mbridge.bridge.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.Thresholds;
import org.q4mbridge.compare.TransportCategory;
import org.q4mbridge.compare.Window;
import org.q4mbridge.compare.jdbc.ReportQuery;
import org.q4mbridge.compare.jdbc.Tables;
import org.q4mbridge.compare.render.MarkdownReport;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Transport verification end to end: the daemon in mirror phase reads the tap of a job table,
 * publishes to the shadow stream, writes its ledger and reads the stream back through its own
 * consumer group; the report the operator reads ({@code q4m-bridge report}'s {@link ReportQuery})
 * must account for every job — and must notice an entry that went missing or changed on the broker.
 */
class TransportVerificationIT {
  private static final int JOBS = 200;
  private static final String GROUP = "q4m-bridge-verify";

  private TestDatabase db;
  private String shadow;
  private Path config;
  private Daemon daemon;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redisConnection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create("transport");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    db.exec(
        "CREATE TABLE jobs (job_type VARCHAR(32) NOT NULL, payload TEXT NOT NULL,"
            + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
            + " ENGINE=InnoDB");
    String live = "it-transport-" + db.name();
    shadow = live + ".shadow";
    redisClient = RedisClient.create("redis://127.0.0.1:6379");
    redisConnection = redisClient.connect();
    redis = redisConnection.sync();
    config = Files.createTempFile("transport", ".yml");
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
            "    phase: mirror",
            "    sinks: [redis-main]",
            "    destination: \"" + live + "\"",
            "    shadowDestination: \"" + shadow + "\"",
            "    consumers: 2",
            "    batchSize: 50",
            "compare: { transport: { enabled: true, group: " + GROUP + " } }",
            ""));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (daemon != null) {
        daemon.bridge().requestStop();
        daemon.bridge().awaitExit();
      }
    } finally {
      redis.del(shadow);
      redis.keys("q4m-bridge:dedup:{" + shadow + "*").forEach(redis::del);
      redisConnection.close();
      redisClient.shutdown();
      db.close();
      Files.deleteIfExists(config);
    }
  }

  private void startDaemon() throws Exception {
    daemon = Daemon.start(config, ConfigLoader.load(config), new MetricRegistry());
  }

  private void insertJobs() throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO jobs (job_type, payload) VALUES (?, ?)")) {
      for (int i = 0; i < JOBS; i++) {
        ps.setString(1, "email");
        ps.setString(2, "{\"job\": " + i + ", \"to\": \"user" + i + "@example.com\"}");
        ps.executeUpdate();
      }
    }
  }

  private long count(String sql) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long forwardedConfirmed() throws Exception {
    return count("SELECT COUNT(*) FROM q4m_ledger WHERE confirmed_at IS NOT NULL");
  }

  private long observed() throws Exception {
    return count("SELECT COUNT(*) FROM q4m_transport_observation");
  }

  /**
   * The transport section as {@code q4m-bridge report} computes it, over a window that ends now
   * (the command leaves out the last {@code lateAfter}, a minute, for stragglers).
   */
  private Report report() throws Exception {
    Instant now = Instant.now();
    return new ReportQuery(
            db.connections()::open,
            Tables.in(db.name()),
            Rules.defaults(),
            ReportQuery.Options.DEFAULT,
            Clock.systemUTC())
        .load(db.name() + ".jobs", new Window(now.minus(Duration.ofHours(1)), now.plusSeconds(1)));
  }

  private static Map<TransportCategory, Long> counts(Report r) {
    Map<TransportCategory, Long> m = new LinkedHashMap<>();
    for (TransportCategory c : TransportCategory.values()) {
      m.put(c, r.transport().count(c));
    }
    return m;
  }

  private void print(String title, Report r) throws Exception {
    System.out.printf(
        "%s: ledger %d forwarded (confirmed), %d observed; transport %s%n",
        title, forwardedConfirmed(), observed(), counts(r));
    GateResult verdict =
        org.q4mbridge.compare.Gate.evaluate(r, new Thresholds(1, 0, 0.001, Duration.ofHours(1)));
    System.out.println(MarkdownReport.render(r, verdict));
  }

  @Test
  void everyJobForwardedInMirrorIsObservedOnceWithThePublishedBody() throws Exception {
    startDaemon();
    insertJobs();

    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> forwardedConfirmed() == JOBS && observed() == JOBS);
    Report r = report();
    print("clean run", r);

    assertThat(r.transport().messages()).isEqualTo(JOBS);
    assertThat(r.transport().count(TransportCategory.DELIVERED)).isEqualTo(JOBS);
    assertThat(r.transport().count(TransportCategory.MISSING)).isZero();
    assertThat(r.transport().count(TransportCategory.PAYLOAD_DIFFERS)).isZero();
    assertThat(r.transport().count(TransportCategory.DUPLICATED)).isZero();
    assertThat(r.transport().count(TransportCategory.UNEXPECTED)).isZero();
    assertThat(count("SELECT COUNT(DISTINCT phase) FROM q4m_ledger WHERE phase = 'mirror'"))
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM q4m_ledger WHERE LENGTH(correlation_key) = 64"))
        .as("every ledger row carries the row's content digest as correlation key")
        .isEqualTo(JOBS);
    // The workers' view is untouched: the verify group is the stream's only group here.
    assertThat(redis.xinfoGroups(shadow)).hasSize(1);
  }

  @Test
  void anEntryDeletedAndAnEntryAlteredOnTheBrokerShowAsOneMissingAndOnePayloadMismatch()
      throws Exception {
    // The verify group exists before the bridge starts, positioned beyond any entry, so the
    // bridge's shadow consumer reads nothing until the test has tampered with the stream. (A
    // group that exists is left where it is.)
    redis.xgroupCreate(
        XReadArgs.StreamOffset.from(shadow, "99999999999999-0"),
        GROUP,
        XGroupCreateArgs.Builder.mkstream());
    startDaemon();
    insertJobs();
    await().atMost(Duration.ofMinutes(1)).until(() -> forwardedConfirmed() == JOBS);
    assertThat(redis.xlen(shadow)).isEqualTo(JOBS);
    assertThat(observed()).isZero();

    List<StreamMessage<String, String>> entries =
        redis.xrange(shadow, io.lettuce.core.Range.create("-", "+"));
    StreamMessage<String, String> lost = entries.get(10);
    StreamMessage<String, String> altered = entries.get(20);
    redis.xdel(shadow, lost.getId(), altered.getId());
    Map<String, String> changed = new LinkedHashMap<>(altered.getBody());
    changed.put("payload", changed.get("payload").replace("@example.com", "@example.org"));
    redis.xadd(shadow, changed);
    redis.xgroupSetid(XReadArgs.StreamOffset.from(shadow, "0"), GROUP);

    await().atMost(Duration.ofMinutes(1)).until(() -> observed() == JOBS - 1);
    Report r = report();
    print("tampered stream", r);

    assertThat(r.transport().messages()).isEqualTo(JOBS);
    assertThat(r.transport().count(TransportCategory.DELIVERED)).isEqualTo(JOBS - 2);
    assertThat(r.transport().count(TransportCategory.MISSING)).isEqualTo(1);
    assertThat(r.transport().count(TransportCategory.PAYLOAD_DIFFERS)).isEqualTo(1);
    assertThat(r.transport().count(TransportCategory.DUPLICATED)).isZero();
    assertThat(r.transport().count(TransportCategory.UNEXPECTED)).isZero();
    assertThat(r.transport().keys(TransportCategory.MISSING).keys())
        .containsExactly("redis-main " + lost.getBody().get("key"));
    assertThat(r.transport().keys(TransportCategory.PAYLOAD_DIFFERS).keys())
        .containsExactly("redis-main " + altered.getBody().get("key"));
  }
}
