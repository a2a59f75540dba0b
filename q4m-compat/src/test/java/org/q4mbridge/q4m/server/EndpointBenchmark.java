package org.q4mbridge.q4m.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Measures the endpoint against the local MariaDB (not a test: it measures, it does not assert):
 *
 * <ol>
 *   <li>pass-through queries — a primary-key SELECT — through the endpoint and straight to MariaDB,
 *       with 1 and with {@code clients} connections, each for {@code seconds}: queries per second,
 *       mean and 99th-percentile latency;
 *   <li>queue cycles — {@code SELECT queue_wait('bench_q', 1)}, {@code SELECT * FROM bench_q},
 *       {@code SELECT queue_end()} — by {@code clients} consumers draining {@code rows} rows,
 *       through the endpoint and through the {@code jdbc:q4m:} shim in-process (what the endpoint
 *       adds to the shim).
 * </ol>
 *
 * <p>Usage: {@code EndpointBenchmark [seconds] [clients] [rows]}, defaults 10, 4, 5000; run with
 * {@code ./mvnw -q -pl q4m-compat test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.q4mbridge.q4m.server.EndpointBenchmark}. Uses a scratch database on
 * 127.0.0.1:3306 (Q4M_TEST_MYSQL_* override) and drops it afterwards.
 */
public final class EndpointBenchmark {
  private EndpointBenchmark() {}

  /** One measured pass. */
  record Result(String name, long operations, double seconds, long[] latenciesNanos) {
    double perSecond() {
      return operations / seconds;
    }

    double meanMillis() {
      return Arrays.stream(latenciesNanos).average().orElse(0) / 1e6;
    }

    double p99Millis() {
      if (latenciesNanos.length == 0) {
        return 0;
      }
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    try (RunningEndpoint endpoint =
        RunningEndpoint.start("ep_bench", b -> b.maxConnections(clients * 4 + 8))) {
      endpoint.db.exec(
          "CREATE TABLE bench_t (id INT PRIMARY KEY, name VARCHAR(40))",
          "INSERT INTO bench_t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_1000");
      List<Result> results = new ArrayList<>();
      for (int n : new int[] {1, clients}) {
        results.add(
            select(
                "pass-through SELECT, endpoint, " + n + " client(s)",
                () -> endpoint.connect(),
                n,
                seconds));
        results.add(
            select(
                "pass-through SELECT, MariaDB, " + n + " client(s)",
                endpoint.db::connect,
                n,
                seconds));
        results.add(
            select(
                "pass-through SELECT, jdbc:q4m: shim in-process, " + n + " client(s)",
                () ->
                    DriverManager.getConnection(
                        endpoint.db.shimUrl(), TestDatabase.USER, TestDatabase.PASSWORD),
                n,
                seconds));
      }
      endpoint.db.exec(
          RunningEndpoint.queueTable("bench_q", "v INT NOT NULL, payload VARCHAR(64)"));
      fill(endpoint.db, rows);
      results.add(
          cycles("queue cycles, endpoint, " + clients + " consumers", endpoint::connect, clients));
      fill(endpoint.db, rows);
      results.add(
          cycles(
              "queue cycles, jdbc:q4m: shim in-process, " + clients + " consumers",
              () ->
                  DriverManager.getConnection(
                      endpoint.db.shimUrl(), TestDatabase.USER, TestDatabase.PASSWORD),
              clients));
      System.out.println();
      for (Result r : results) {
        System.out.printf(
            Locale.ROOT,
            "%-58s %,10.0f /s   mean %6.3f ms   p99 %6.3f ms%n",
            r.name(),
            r.perSecond(),
            r.meanMillis(),
            r.p99Millis());
      }
      System.out.printf(
          Locale.ROOT,
          "%nendpoint / MariaDB, 1 client: %.2f of the rate; %d clients: %.2f%n",
          results.get(0).perSecond() / results.get(1).perSecond(),
          clients,
          results.get(3).perSecond() / results.get(4).perSecond());
    }
  }

  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private static Result select(String name, Opener opener, int clients, int seconds)
      throws Exception {
    return run(
        name,
        clients,
        c -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
          List<Long> lat = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT id, name FROM bench_t WHERE id = ?")) {
            int i = 0;
            while (System.nanoTime() < deadline) {
              long t = System.nanoTime();
              ps.setInt(1, 1 + (i++ % 1000));
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
              }
              lat.add(System.nanoTime() - t);
            }
          }
          return lat;
        },
        opener);
  }

  private static void fill(TestDatabase db, int rows) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM bench_q");
      st.execute(
          "INSERT INTO bench_q (v, payload) SELECT seq, CONCAT('payload ', seq) FROM seq_1_to_"
              + rows);
    }
  }

  private static Result cycles(String name, Opener opener, int consumers) throws Exception {
    return run(
        name,
        consumers,
        c -> {
          List<Long> lat = new ArrayList<>();
          try (Statement st = c.createStatement()) {
            while (true) {
              long t = System.nanoTime();
              long got;
              try (ResultSet rs = st.executeQuery("SELECT queue_wait('bench_q', 1)")) {
                rs.next();
                got = rs.getLong(1);
              }
              if (got == 0) {
                st.executeQuery("SELECT queue_end()").close();
                return lat;
              }
              try (ResultSet rs = st.executeQuery("SELECT * FROM bench_q")) {
                rs.next();
              }
              st.executeQuery("SELECT queue_end()").close();
              lat.add(System.nanoTime() - t);
            }
          }
        },
        opener);
  }

  @FunctionalInterface
  interface Work {
    List<Long> run(Connection c) throws Exception;
  }

  private static Result run(String name, int clients, Work work, Opener opener) throws Exception {
    System.out.println("running: " + name);
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connections.add(opener.open());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong ops = new AtomicLong();
    try {
      long start = System.nanoTime();
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (Connection c : connections) {
        futures.add(pool.submit(() -> work.run(c)));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        List<Long> l = f.get(10, TimeUnit.MINUTES);
        ops.addAndGet(l.size());
        all.addAll(l);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      return new Result(name, ops.get(), secs, all.stream().mapToLong(Long::longValue).toArray());
    } finally {
      pool.shutdownNow();
      for (Connection c : connections) {
        c.close();
      }
    }
  }
}
