package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.CorrelationKeys.KeyColumn;
import org.q4mbridge.compare.jdbc.OutcomeRecorder;
import org.q4mbridge.compare.jdbc.ReportQuery;
import org.q4mbridge.compare.jdbc.Tables;
import org.q4mbridge.compare.jdbc.WriterOptions;
import org.q4mbridge.compare.render.HtmlReport;
import org.q4mbridge.compare.render.MarkdownReport;

/**
 * The shadow phase end to end on the real MariaDB: a legacy worker pool records its outcomes with
 * the documented SQL contract (key computed in SQL, as a PHP worker would), a candidate records
 * through {@link OutcomeRecorder} (key computed in Java). A candidate that forgets the tax on
 * invoices is caught: the report lists exactly the invoice jobs as mismatches with a diff on {@code
 * $.total} and the gate fails; the fixed candidate passes.
 */
class CompareIT {
  private static final int JOBS = 300;
  private static final String[] TYPES = {"email", "invoice", "resize"};
  private static final Rules RULES =
      Rules.defaults().ignoring("$.worker").withNumbers(NumberMatching.BY_VALUE_AND_NUMERIC_TEXT);
  private static final Thresholds GATE = new Thresholds(JOBS, 0, 0.001, Duration.ofMinutes(1));

  // The legacy contract of shadow-compare/README.md, verbatim but for the key expression.
  private static final String LEGACY_INSERT =
      "INSERT INTO q4m_outcome (queue_name, correlation_key, side, outcome, result_digest,"
          + " result_json, started_at, finished_at, worker)"
          + " VALUES (?, ?, 'legacy', ?, SHA2(?, 256), ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?)";

  private static TestDatabase db;
  private static List<KeyColumn> keyColumns;

  @BeforeAll
  static void jobs() throws Exception {
    db = TestDatabase.create("compare_e2e");
    db.exec(
        """
        CREATE TABLE job_queue (
          id BIGINT NOT NULL PRIMARY KEY,
          type VARCHAR(20) NOT NULL,
          customer VARCHAR(50) NULL,
          amount DECIMAL(10,2) NULL,
          payload TEXT NULL
        )""");
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO job_queue VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 1; i <= JOBS; i++) {
        ps.setLong(1, i);
        ps.setString(2, TYPES[i % 3]);
        ps.setString(3, i % 10 == 0 ? null : (i % 2 == 0 ? "株式会社テスト" : "Zoë") + " #" + i);
        // Negative amounts (refunds) too; never zero or NULL on invoices, so tax always shows.
        BigDecimal amount =
            new BigDecimal("0.37").multiply(BigDecimal.valueOf(i)).subtract(BigDecimal.valueOf(59));
        ps.setBigDecimal(4, i % 7 == 0 && !TYPES[i % 3].equals("invoice") ? null : amount);
        ps.setString(5, "{\"n\":" + i + "}");
        ps.addBatch();
      }
      ps.executeBatch();
    }
    keyColumns = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE"
                    + " TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'job_queue' ORDER BY ORDINAL_POSITION")) {
      while (rs.next()) {
        keyColumns.add(KeyColumn.of(rs.getString(1), rs.getString(2)));
      }
    }
  }

  @AfterAll
  static void drop() throws Exception {
    db.close();
  }

  /** What a job produces: the same business logic on both sides, but for the candidate's bug. */
  private static String result(
      String type, BigDecimal amount, long id, boolean forgetTax, String worker) {
    return switch (type) {
      case "invoice" -> {
        BigDecimal base = amount == null ? BigDecimal.ZERO : amount;
        BigDecimal total =
            forgetTax
                ? base
                : base.multiply(new BigDecimal("1.10")).setScale(2, RoundingMode.HALF_UP);
        yield "{\"total\":" + total + ",\"currency\":\"JPY\",\"worker\":\"" + worker + "\"}";
      }
      case "email" ->
          "{\"sent\":1,\"to\":\"user" + id + "@example.test\",\"worker\":\"" + worker + "\"}";
      default -> "{\"width\":640,\"height\":480,\"worker\":\"" + worker + "\"}";
    };
  }

  /** Three legacy workers, each recording with the plain INSERT and the key computed in SQL. */
  private static void legacyPool(String queue) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int worker = w;
      done.add(
          pool.submit(
              () -> {
                try (Connection c = db.connect();
                    PreparedStatement read =
                        c.prepareStatement(
                            "SELECT id, type, amount, "
                                + CorrelationKeys.sql(keyColumns, null)
                                + " FROM job_queue WHERE MOD(id, 3) = ? ORDER BY id");
                    PreparedStatement insert = c.prepareStatement(LEGACY_INSERT)) {
                  read.setInt(1, worker);
                  try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                      Instant started = Instant.now();
                      String json =
                          result(
                              rs.getString(2),
                              rs.getBigDecimal(3),
                              rs.getLong(1),
                              false,
                              "php-" + worker);
                      Instant finished = Instant.now();
                      insert.setString(1, queue);
                      insert.setString(2, rs.getString(4));
                      insert.setString(3, "ok");
                      insert.setString(4, json);
                      insert.setString(5, json);
                      insert.setBigDecimal(6, seconds(started));
                      insert.setBigDecimal(7, seconds(finished));
                      insert.setString(8, "php-" + worker);
                      insert.executeUpdate();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  /** The candidate: reads the copies, computes keys in Java, records through OutcomeRecorder. */
  private static void candidate(String queue, boolean forgetsTax) throws Exception {
    try (OutcomeRecorder rec =
            OutcomeRecorder.start(
                db.connections(), Tables.DEFAULT, queue, "java-1", WriterOptions.DEFAULT);
        Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM job_queue ORDER BY id")) {
      while (rs.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= keyColumns.size(); i++) {
          values.add(rs.getObject(i));
        }
        String key = CorrelationKeys.of(keyColumns, values);
        String type = rs.getString("type");
        Instant started = Instant.now();
        String json =
            result(
                    type,
                    rs.getBigDecimal("amount"),
                    rs.getLong("id"),
                    forgetsTax && type.equals("invoice"),
                    "java-1")
                // The candidate writes whole numbers as 1.0 and sends text numbers: not
                // differences.
                .replace("\"sent\":1", "\"sent\":\"1.0\"");
        assertThat(rec.record(key, Side.CANDIDATE, "ok", json, started, Instant.now())).isTrue();
      }
    }
  }

  private static Set<String> keysOfType(String type) throws Exception {
    Set<String> keys = new HashSet<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + CorrelationKeys.sql(keyColumns, null)
                    + " FROM job_queue WHERE type = ?")) {
      ps.setString(1, type);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    return keys;
  }

  private static Report report(String queue, Instant from) throws Exception {
    ReportQuery q =
        new ReportQuery(
            db.connections(),
            Tables.DEFAULT,
            RULES,
            ReportQuery.Options.DEFAULT,
            Clock.systemUTC());
    return q.load(queue, new Window(from, Instant.now().plusSeconds(60)));
  }

  @Test
  void aCandidateThatMishandlesInvoicesIsCaughtAndTheGateFails() throws Exception {
    Instant from = Instant.now().minusSeconds(60);
    legacyPool("app.job_queue");
    candidate("app.job_queue", true);

    Report r = report("app.job_queue", from);

    Set<String> invoices = keysOfType("invoice");
    assertThat(invoices).hasSize(JOBS / 3);
    assertThat(r.outcomes().samples()).isEqualTo(JOBS);
    assertThat(new HashSet<>(r.outcomes().keys(Category.MISMATCHED).keys())).isEqualTo(invoices);
    assertThat(r.outcomes().count(Category.MATCHED)).isEqualTo(JOBS - invoices.size());
    assertThat(r.outcomes().missing()).isZero();
    assertThat(r.outcomes().topMismatches()).hasSize(1);
    Report.MismatchGroup g = r.outcomes().topMismatches().get(0);
    assertThat(g.signature()).isEqualTo("$.total");
    assertThat(g.count()).isEqualTo(JOBS / 3);
    FieldDiff d = g.example().diffs().get(0);
    assertThat(new BigDecimal(d.legacy()))
        .isEqualByComparingTo(
            new BigDecimal(d.candidate())
                .multiply(new BigDecimal("1.10"))
                .setScale(2, RoundingMode.HALF_UP));

    GateResult gate = Gate.evaluate(r, GATE);
    assertThat(gate.passed()).isFalse();
    assertThat(gate.reasons())
        .containsExactly(
            "mismatch rate 33.33% (100 of 300 compared jobs) in the last "
                + Durations.format(r.window().length())
                + ", at most 0.10% allowed");
    assertThat(MarkdownReport.render(r, gate))
        .contains("| `$.total` | `" + d.legacy() + "` | `" + d.candidate() + "` |");
    assertThat(HtmlReport.render(r, gate)).contains("Gate failed", "$.total");
  }

  @Test
  void theFixedCandidatePassesTheGate() throws Exception {
    Instant from = Instant.now().minusSeconds(60);
    legacyPool("app.job_queue_fixed");
    candidate("app.job_queue_fixed", false);

    Report r = report("app.job_queue_fixed", from);

    assertThat(r.outcomes().count(Category.MATCHED)).isEqualTo(JOBS);
    GateResult gate = Gate.evaluate(r, GATE);
    assertThat(gate.reasons()).isEmpty();
    assertThat(gate.passed()).isTrue();
  }

  private static BigDecimal seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }
}
