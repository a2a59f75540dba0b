package org.q4mbridge.q4m.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;

/**
 * Measures the emulated source on a real server: batch claims (claim up to {@code batch} rows,
 * delete, commit) against one row per round trip (claim one, delete, commit — what a
 * q4m-forward-style loop costs), on the same table and server, in one run, and prints both with
 * their ratio.
 *
 * <p>Usage: {@code ClaimBenchmark [jdbc-url] [user] [password] [rows] [consumers] [batch]};
 * defaults: the local MariaDB, database {@code q4m_bench} (created and dropped), 100,000 rows, 4
 * consumers, batch 100. Not a test: it measures, it does not assert.
 */
public final class ClaimBenchmark {
  private ClaimBenchmark() {}

  /** One measured pass. */
  public record Result(String name, long rows, double seconds) {
    public double rowsPerSecond() {
      return rows / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    String server = arg(args, 0, "jdbc:mysql://127.0.0.1:3306/");
    String user = arg(args, 1, "root");
    String password = arg(args, 2, "");
    int rows = Integer.parseInt(arg(args, 3, "100000"));
    int consumers = Integer.parseInt(arg(args, 4, "4"));
    int batch = Integer.parseInt(arg(args, 5, "100"));
    List<Result> results = run(server, user, password, rows, consumers, batch, System.out);
    Result batched = results.get(0);
    Result single = results.get(1);
    System.out.printf(
        Locale.ROOT,
        "%nbatch claim (%d consumers x %d rows): %,.0f rows/s%n"
            + "one row per round trip (1 consumer):    %,.0f rows/s%n"
            + "ratio: %.1fx%n",
        consumers,
        batch,
        batched.rowsPerSecond(),
        single.rowsPerSecond(),
        batched.rowsPerSecond() / single.rowsPerSecond());
  }

  private static String arg(String[] args, int i, String dflt) {
    return args.length > i ? args[i] : dflt;
  }

  /** Runs both passes on a scratch database; returns [batched, one-row]. */
  public static List<Result> run(
      String serverUrl,
      String user,
      String password,
      int rows,
      int consumers,
      int batch,
      java.io.PrintStream progress)
      throws Exception {
    String db = "q4m_bench";
    try (Connection c = DriverManager.getConnection(serverUrl, user, password);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db);
      st.execute("CREATE DATABASE " + db);
      st.execute(
          "CREATE TABLE "
              + db
              + ".jobs (job_type VARCHAR(32) NOT NULL, payload TEXT NOT NULL,"
              + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY) ENGINE=InnoDB");
      st.execute(
          "CREATE TABLE "
              + db
              + ".q4m_dead_letter (id BIGINT AUTO_INCREMENT PRIMARY KEY, queue_name VARCHAR(130),"
              + " epoch BIGINT, row_id BIGINT, message_key VARCHAR(200), columns_json LONGTEXT,"
              + " reason TEXT, attempts INT, first_seen TIMESTAMP(3), last_seen TIMESTAMP(3),"
              + " replayed_at TIMESTAMP(3) NULL)");
    }
    String url = serverUrl.replaceFirst("/(\\?|$)", "/" + db + "$1");
    ConnectionFactory f = ConnectionFactory.jdbc(url, user, password, null);
    try {
      List<Result> out = new ArrayList<>();
      fill(f, rows);
      out.add(drain(f, "batch claim", consumers, batch, rows, progress));
      int singleRows = Math.max(1000, rows / 10);
      fill(f, singleRows);
      out.add(drain(f, "one row per round trip", 1, 1, singleRows, progress));
      return out;
    } finally {
      try (Connection c = DriverManager.getConnection(serverUrl, user, password);
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  private static void fill(ConnectionFactory f, int rows) throws SQLException {
    try (Connection c = f.open();
        PreparedStatement ps = c.prepareStatement("INSERT INTO jobs VALUES (?, ?)")) {
      for (int i = 0; i < rows; i++) {
        ps.setString(1, "email");
        ps.setString(2, "{\"to\":\"user" + i + "@example.com\",\"template\":\"welcome\"}");
        ps.addBatch();
        if (i % 5000 == 4999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private static Result drain(
      ConnectionFactory f,
      String name,
      int consumers,
      int batch,
      long total,
      java.io.PrintStream progress)
      throws Exception {
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(consumers);
    long start = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        fs.add(
            pool.submit(
                () -> {
                  try (EmulatedQueueSource s =
                      EmulatedQueueSource.open(
                          new EmulatedQueueSource.Options(
                              f,
                              List.of(new Subscription(new TableRef("q4m_bench", "jobs"), null)),
                              null,
                              new DeadLetterTable(new TableRef("q4m_bench", "q4m_dead_letter")),
                              EpochTracker.registry(EpochTracker.Store.inMemory()),
                              null,
                              null,
                              null))) {
                    while (done.get() < total) {
                      Claim c = s.poll(batch, Duration.ofMillis(100));
                      c.settle(c.rows().stream().map(QueueRow::rowId).toList(), List.of());
                      long d = done.addAndGet(c.rows().size());
                      if (progress != null && d % 20000 < c.rows().size()) {
                        progress.printf(Locale.ROOT, "  %s: %,d / %,d rows%n", name, d, total);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> fu : fs) {
        fu.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(name, done.get(), (System.nanoTime() - start) / 1e9);
  }
}
