package org.q4mbridge.compare.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.Gate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.Thresholds;
import org.q4mbridge.compare.TransportCategory;
import org.q4mbridge.compare.Window;
import org.q4mbridge.compare.jdbc.ReportQuery;
import org.q4mbridge.compare.jdbc.Tables;
import org.q4mbridge.compare.render.HtmlReport;

/**
 * Benchmark program (not a test): fills a scratch database with a day of shadow traffic — {@code
 * --jobs} ledger rows, as many transport observations and two outcome rows per job — then builds
 * the report with {@link ReportQuery} and prints the time taken and the peak heap. Run it with a
 * small {@code -Xmx} to show the report needs bounded memory:
 *
 * <pre>
 * ./mvnw -B -q -pl shadow-compare test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx128m -cp %classpath org.q4mbridge.compare.bench.ReportBenchmark --jobs 1000000"
 * </pre>
 *
 * Server: {@code Q4M_TEST_MYSQL_HOST/PORT/USER/PASSWORD} (default 127.0.0.1:3306, root, no
 * password); needs a JDBC driver on the class path (Connector/J in test scope). The scratch
 * database {@code bench_compare_<random>} is dropped at the end unless {@code --keep}.
 */
public final class ReportBenchmark {
  private static final Instant DAY = Instant.parse("2024-05-01T00:00:00Z");
  private static final int BATCH = 2_000;

  private ReportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int jobs = 1_000_000;
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jobs" -> jobs = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
        case "--keep" -> keep = true;
        default -> throw new IllegalArgumentException("usage: ReportBenchmark [--jobs N] [--keep]");
      }
    }
    String host = env("Q4M_TEST_MYSQL_HOST", "127.0.0.1");
    String port = env("Q4M_TEST_MYSQL_PORT", "3306");
    String user = env("Q4M_TEST_MYSQL_USER", "root");
    String password = env("Q4M_TEST_MYSQL_PASSWORD", "");
    String db = "bench_compare_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
    String server = "jdbc:mysql://" + host + ":" + port + "/?useSSL=false";
    String url =
        "jdbc:mysql://"
            + host
            + ":"
            + port
            + "/"
            + db
            + "?useSSL=false&rewriteBatchedStatements=true";

    try (Connection c = DriverManager.getConnection(server, user, password);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
    }
    try {
      for (String stmt : statements(Files.readString(migration()))) {
        try (Connection c = DriverManager.getConnection(url, user, password);
            Statement st = c.createStatement()) {
          st.execute(stmt);
        }
      }
      System.out.printf(Locale.ROOT, "database %s, %,d jobs%n", db, jobs);
      long t0 = System.nanoTime();
      fill(url, user, password, jobs);
      long fillMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "inserted %,d ledger + %,d transport + %,d outcome rows in %.1f s%n",
          jobs,
          jobs,
          2L * jobs,
          fillMs / 1000.0);

      System.gc();
      HeapPeak peak = HeapPeak.start();
      long t1 = System.nanoTime();
      ReportQuery q =
          new ReportQuery(
              () -> DriverManager.getConnection(url, user, password),
              Tables.DEFAULT,
              Rules.defaults().ignoring("$.worker"),
              ReportQuery.Options.DEFAULT,
              Clock.systemUTC());
      Report r = q.load("bench.jobs", new Window(DAY, DAY.plus(Duration.ofHours(24))));
      long reportMs = (System.nanoTime() - t1) / 1_000_000;
      GateResult gate = Gate.evaluate(r, new Thresholds(1000, 0, 0.001, Duration.ofHours(24)));
      String html = HtmlReport.render(r, gate);
      long totalMs = (System.nanoTime() - t1) / 1_000_000;
      peak.stop();

      Path out = Path.of("target", "bench-report.html");
      Files.createDirectories(out.getParent());
      Files.writeString(out, html);
      Report.Outcomes o = r.outcomes();
      System.out.printf(
          Locale.ROOT,
          "report: %,d keys (%,d matched, %,d mismatched, %,d missing, %,d duplicated, %,d late),"
              + " %,d messages (%,d delivered, %,d missing)%n",
          o.samples(),
          o.count(Category.MATCHED),
          o.count(Category.MISMATCHED),
          o.missing(),
          o.count(Category.DUPLICATED),
          o.count(Category.LATE),
          r.transport().messages(),
          r.transport().count(TransportCategory.DELIVERED),
          r.transport().count(TransportCategory.MISSING));
      System.out.printf(
          Locale.ROOT,
          "report built in %.1f s (%,.0f outcome+ledger rows/s), with gate and HTML %.1f s%n",
          reportMs / 1000.0,
          4.0 * jobs / (reportMs / 1000.0),
          totalMs / 1000.0);
      System.out.printf(
          Locale.ROOT,
          "peak heap used while reporting: %,d MiB (Runtime sampled every 10 ms), %,d MiB (pool"
              + " peaks); max heap %,d MiB%n",
          peak.runtimePeak() >> 20,
          peak.poolPeak() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
      System.out.println(gate.summary());
      System.out.println("HTML report: " + out.toAbsolutePath());
    } finally {
      if (!keep) {
        try (Connection c = DriverManager.getConnection(server, user, password);
            Statement st = c.createStatement()) {
          st.execute("DROP DATABASE IF EXISTS `" + db + "`");
        }
      }
    }
  }

  /**
   * A day of traffic: 0.2 % of jobs mismatch on the candidate, 0.05 % never ran there, 0.02 % ran
   * twice, 0.1 % late; one delivery in 10,000 is lost.
   */
  private static void fill(String url, String user, String password, int jobs) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      try (Statement st = c.createStatement()) {
        st.execute("SET time_zone = '+00:00'");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ledger =
              c.prepareStatement(
                  "INSERT INTO q4m_ledger (queue_name, message_key, correlation_key, content_digest,"
                      + " phase, sink, forwarded_at, confirmed_at) VALUES ('bench.jobs', ?, ?, ?,"
                      + " 'shadow', 'redis-main', FROM_UNIXTIME(?), FROM_UNIXTIME(?))");
          PreparedStatement transport =
              c.prepareStatement(
                  "INSERT INTO q4m_transport_observation (queue_name, sink, destination,"
                      + " message_key, correlation_key, content_digest, observed_at) VALUES"
                      + " ('bench.jobs', 'redis-main', 'jobs.shadow', ?, ?, ?, FROM_UNIXTIME(?))");
          PreparedStatement outcome =
              c.prepareStatement(
                  "INSERT INTO q4m_outcome (queue_name, correlation_key, side, outcome,"
                      + " result_digest, result_json, started_at, finished_at, worker) VALUES"
                      + " ('bench.jobs', ?, ?, 'ok', NULL, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?)")) {
        for (int i = 0; i < jobs; i++) {
          String key = String.format(Locale.ROOT, "%016x%048d", mix(i), i);
          String mk = "bench.jobs:1:" + i;
          long startMs = DAY.toEpochMilli() + (long) i * 86_400_000L / jobs;
          String digest = String.format(Locale.ROOT, "%064x", mix(i + 7));
          ledger.setString(1, mk);
          ledger.setString(2, key);
          ledger.setString(3, digest);
          ledger.setBigDecimal(4, BigDecimal.valueOf(startMs - 40, 3));
          ledger.setBigDecimal(5, BigDecimal.valueOf(startMs - 37, 3));
          ledger.addBatch();
          if (i % 10_000 != 1) {
            transport.setString(1, mk);
            transport.setString(2, key);
            transport.setString(3, digest);
            transport.setBigDecimal(4, BigDecimal.valueOf(startMs - 30 + i % 7, 3));
            transport.addBatch();
          }
          String json = "{\"total\":" + (i % 1000) + ".50,\"type\":\"invoice\",\"worker\":\"php\"}";
          addOutcome(outcome, key, "legacy", json, startMs, startMs + 20 + i % 50, "php-" + i % 8);
          if (i % 2000 != 5) {
            String cjson =
                i % 500 == 3
                    ? json.replace(".50", ".49")
                    : json.replace("\"php\"", "\"java\"").replace(".50", ".5");
            long late = i % 1000 == 9 ? 120_000 : 0;
            addOutcome(
                outcome,
                key,
                "candidate",
                cjson,
                startMs + 50,
                startMs + 60 + i % 20 + late,
                "java-1");
            if (i % 5000 == 11) {
              addOutcome(outcome, key, "candidate", cjson, startMs + 900, startMs + 950, "java-2");
            }
          }
          if (i % BATCH == BATCH - 1 || i == jobs - 1) {
            ledger.executeBatch();
            transport.executeBatch();
            outcome.executeBatch();
            c.commit();
          }
          if (i % 100_000 == 99_999) {
            System.out.printf(Locale.ROOT, "  %,d jobs inserted%n", i + 1);
          }
        }
      }
    }
  }

  private static void addOutcome(
      PreparedStatement ps,
      String key,
      String side,
      String json,
      long start,
      long end,
      String worker)
      throws SQLException {
    ps.setString(1, key);
    ps.setString(2, side);
    ps.setString(3, json);
    ps.setBigDecimal(4, BigDecimal.valueOf(start, 3));
    ps.setBigDecimal(5, BigDecimal.valueOf(end, 3));
    ps.setString(6, worker);
    ps.addBatch();
  }

  // Spreads consecutive job numbers over the key space, as content digests are.
  private static long mix(long x) {
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }

  /** Samples used heap while the report is built. */
  private static final class HeapPeak {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong max = new AtomicLong();
    private final List<MemoryPoolMXBean> pools = new ArrayList<>();

    static HeapPeak start() {
      HeapPeak p = new HeapPeak();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pool.resetPeakUsage();
          p.pools.add(pool);
        }
      }
      Runtime rt = Runtime.getRuntime();
      p.timer.scheduleAtFixedRate(
          () -> p.max.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max),
          0,
          10,
          TimeUnit.MILLISECONDS);
      return p;
    }

    void stop() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(1, TimeUnit.SECONDS);
    }

    long runtimePeak() {
      return max.get();
    }

    long poolPeak() {
      return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
  }

  private static Path migration() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path f = p.resolve("sql").resolve("V3__compare.sql");
      if (Files.exists(f)) {
        return f;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find sql/V3__compare.sql above the working directory");
  }

  private static List<String> statements(String sql) {
    StringBuilder cleaned = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        cleaned.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : cleaned.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        out.add(s.strip().replaceAll(";$", ""));
      }
    }
    return out;
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}
