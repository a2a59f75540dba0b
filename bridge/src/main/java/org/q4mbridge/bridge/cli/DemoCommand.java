package org.q4mbridge.bridge.cli;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.bridge.ops.MetricNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code q4m-bridge demo}: the bridge end to end on local services. Creates a job table shaped like
 * a typical Q4M one (converted to InnoDB), inserts jobs the way PHP producers do (plain INSERTs
 * from several connections) while the bridge forwards them to a Redis stream, reads them back
 * through a consumer group like new workers would, and prints what happened.
 */
@Command(
    name = "demo",
    description = {
      "Run the bridge end to end on the local MariaDB and Redis.",
      "Producers INSERT jobs into",
      "q4m_demo.job_queue, the bridge forwards them to the stream q4m-demo:jobs, a worker reads",
      "them back through a consumer group. Prints progress and a summary; exit 0 when every job",
      "arrived exactly once (and the poison job was dead-lettered)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String DB = "q4m_demo";
  static final String STREAM = "q4m-demo:jobs";
  static final String GROUP = "demo-workers";

  @Option(names = "--jobs", defaultValue = "20000", description = "Jobs to insert (default 20000).")
  int jobs;

  @Option(
      names = "--producers",
      defaultValue = "4",
      description = "Producer connections (default 4).")
  int producers;

  @Option(
      names = "--poison",
      defaultValue = "1",
      description = "Oversize jobs that must be dead-lettered (default 1).")
  int poison;

  @Option(
      names = "--mysql",
      defaultValue = "jdbc:mysql://127.0.0.1:3306/",
      description = "MariaDB/MySQL server URL, without database (default ${DEFAULT-VALUE}).")
  String mysql;

  @Option(names = "--user", defaultValue = "root", description = "MySQL user (default root).")
  String user;

  @Option(names = "--password", defaultValue = "", description = "MySQL password (default empty).")
  String password;

  @Option(
      names = "--redis",
      defaultValue = "redis://127.0.0.1:6379/0",
      description = "Redis URI (default ${DEFAULT-VALUE}).")
  String redis;

  @Option(
      names = "--timeout",
      defaultValue = "180",
      description = "Give up after this many seconds.")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "demo: %,d jobs from %d producers into %s.job_queue -> Redis stream %s%n",
        jobs, producers, DB, STREAM);
    prepareDatabase();
    Path config = writeConfig();
    BridgeConfig c = load(config);
    out.println("demo: " + new BridgeSchema(jdbc(DB), user, password, DB).migrate());
    try (RedisClient client = RedisClient.create(redis);
        StatefulRedisConnection<String, String> conn = client.connect()) {
      RedisCommands<String, String> r = conn.sync();
      r.del(STREAM);
      r.keys("q4m-bridge:dedup:{" + STREAM + "}:*").forEach(r::del);
      r.xgroupCreate(
          XReadArgs.StreamOffset.from(STREAM, "0"),
          GROUP,
          io.lettuce.core.XGroupCreateArgs.Builder.mkstream());

      MetricRegistry registry = new MetricRegistry();
      long started = System.nanoTime();
      Daemon daemon = Daemon.start(config, c, registry);
      AtomicLong produced = new AtomicLong();
      Set<String> keys = ConcurrentHashMap.newKeySet();
      AtomicLong duplicates = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(producers + 1);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
          int id = p;
          work.add(pool.submit(() -> produce(id, produced)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastPrint = 0;
        String name = DB + ".job_queue";
        while (System.nanoTime() < deadline) {
          List<StreamMessage<String, String>> batch =
              r.xreadgroup(
                  Consumer.from(GROUP, "worker-1"),
                  XReadArgs.Builder.count(1000).block(200),
                  XReadArgs.StreamOffset.lastConsumed(STREAM));
          for (StreamMessage<String, String> m : batch) {
            if (!keys.add(m.getBody().get("key"))) {
              duplicates.incrementAndGet();
            }
            r.xack(STREAM, GROUP, m.getId());
          }
          long dead = registry.meter(MetricNames.rowsDeadLettered(name)).getCount();
          if (System.nanoTime() - lastPrint > 1_000_000_000L) {
            lastPrint = System.nanoTime();
            out.printf(
                "demo: produced %,d/%,d  confirmed %,d  read back %,d  dead-lettered %d%n",
                produced.get(),
                jobs + poison,
                registry.meter(MetricNames.rowsAcknowledged(name)).getCount(),
                keys.size(),
                dead);
            out.flush();
          }
          if (keys.size() >= jobs && dead >= poison && produced.get() >= jobs + poison) {
            break;
          }
        }
        for (Future<?> f : work) {
          f.get(10, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        daemon.bridge().requestStop();
        daemon.bridge().awaitExit();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return summary(out, registry, keys.size(), duplicates.get(), seconds);
    }
  }

  private int summary(
      PrintWriter out, MetricRegistry registry, long readBack, long dups, double seconds)
      throws SQLException {
    String name = DB + ".job_queue";
    long confirmed = registry.meter(MetricNames.rowsAcknowledged(name)).getCount();
    long dead = registry.meter(MetricNames.rowsDeadLettered(name)).getCount();
    long left = countLeft();
    Histogram h = registry.histogram(MetricNames.endToEndMillis(name));
    Snapshot s = h.getSnapshot();
    out.println();
    out.println("demo summary");
    out.printf(Locale.ROOT, "  jobs inserted        %,d (+%d oversize poison)%n", jobs, poison);
    out.printf(Locale.ROOT, "  forwarded+confirmed  %,d%n", confirmed);
    out.printf(Locale.ROOT, "  read back by worker  %,d (duplicates: %d)%n", readBack, dups);
    out.printf(Locale.ROOT, "  dead-lettered        %d (see: q4m-bridge dlq list)%n", dead);
    out.printf(Locale.ROOT, "  left in the table    %d%n", left);
    out.printf(
        Locale.ROOT,
        "  throughput           %,.0f jobs/s over %.1f s%n",
        confirmed / seconds,
        seconds);
    out.printf(
        Locale.ROOT,
        "  insert->confirmed    p50 %.0f ms, p99 %.0f ms%n",
        s.getMedian(),
        s.get99thPercentile());
    boolean ok = readBack == jobs && dups == 0 && dead == poison && left == 0;
    out.println(
        ok ? "demo passed: every job arrived exactly once" : "demo FAILED: see the counts above");
    out.flush();
    return ok ? ExitCode.OK.code() : ExitCode.FAILED.code();
  }

  private String jdbc(String db) {
    return mysql.replaceFirst("/(\\?|$)", "/" + db + "$1");
  }

  private void prepareDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(mysql, user, password);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + DB);
      st.execute("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
      // A Q4M job table as most shops have it, converted to InnoDB with an invisible row id.
      st.execute(
          "CREATE TABLE "
              + DB
              + ".job_queue (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
              + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
              + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
              + " ENGINE=InnoDB");
    } catch (SQLException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "demo needs MariaDB at " + mysql + " as " + user + ": " + e.getMessage(),
          e);
    }
  }

  private Path writeConfig() throws java.io.IOException {
    Path f = Files.createTempFile("q4m-bridge-demo", ".yml");
    f.toFile().deleteOnExit();
    Files.writeString(
        f,
        String.join(
            "\n",
            "database:",
            "  url: \"" + jdbc(DB) + "\"",
            "  user: \"" + user + "\"",
            "  password: \"${env:Q4M_DEMO_PASSWORD}\"",
            "sinks:",
            "  redis-main: { type: redis-streams, uri: \"" + redis + "\", maxMessageBytes: 64KiB }",
            "queues:",
            "  - table: job_queue",
            "    mode: emulated",
            "    phase: cutover",
            // The demo has no legacy workers to compare with: it overrides the cutover gate.
            "    force: true",
            "    sinks: [redis-main]",
            "    destination: \"" + STREAM + "\"",
            // consumers and batchSize at their defaults (4 × 1000), as a new installation runs.
            ""));
    return f;
  }

  private BridgeConfig load(Path f) {
    try {
      return ConfigLoader.load(f, n -> "Q4M_DEMO_PASSWORD".equals(n) ? password : System.getenv(n));
    } catch (ConfigException e) {
      throw new CliException(
          ExitCode.INTERNAL, "demo configuration: " + String.join("; ", e.errors()), e);
    }
  }

  private Void produce(int id, AtomicLong produced) throws SQLException {
    int share = jobs / producers + (id < jobs % producers ? 1 : 0);
    String[] types = {"send_email", "resize_image", "charge_card", "push_notification"};
    try (Connection c = DriverManager.getConnection(jdbc(DB), user, password);
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO job_queue (job_type, payload) VALUES (?, ?)")) {
      for (int i = 0; i < share; i++) {
        String type = types[i % types.length];
        ps.setString(1, type);
        ps.setString(2, "{\"producer\":" + id + ",\"n\":" + i + ",\"user_id\":" + (1000 + i) + "}");
        ps.executeUpdate();
        produced.incrementAndGet();
      }
      if (id == 0) {
        for (int i = 0; i < poison; i++) {
          ps.setString(1, "import_file");
          ps.setString(2, "{\"blob\":\"" + "x".repeat(100_000) + "\"}");
          ps.executeUpdate();
          produced.incrementAndGet();
        }
      }
    }
    return null;
  }

  private long countLeft() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc(DB), user, password);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM job_queue")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
