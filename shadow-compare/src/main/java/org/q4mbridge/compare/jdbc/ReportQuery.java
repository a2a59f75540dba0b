package org.q4mbridge.compare.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.q4mbridge.compare.ForwardedMessage;
import org.q4mbridge.compare.Observation;
import org.q4mbridge.compare.Reconciler;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.ReportBuilder;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.TransportObservation;
import org.q4mbridge.compare.TransportReconciler;
import org.q4mbridge.compare.Window;

/**
 * Builds a {@link Report} for one queue and window from the comparison tables, in bounded memory:
 * rows are streamed ordered by key (the server sorts; the client holds one key's rows at a time)
 * and each key is classified and folded into a {@link ReportBuilder} as soon as its last row has
 * been read. Memory is the builder's caps plus one key's runs (at most {@link
 * Options#maxRunsPerKey()} per side are kept; more only raise the duplicate count).
 *
 * <p><b>Window:</b> a key belongs to the window when its first run (outcomes) or its first forward
 * (transport; its first delivery when never forwarded) falls in it. Rows are read from {@code [from
 * - slack, to + slack)} so a key whose runs straddle a window edge is judged whole; a key that
 * first ran before the window is left to the previous window.
 *
 * <p><b>Threading:</b> immutable and thread-safe; {@link #load} blocks on the database for as long
 * as the two queries take and uses one connection from {@link Connections}, closed before it
 * returns. Streaming uses Connector/J's row-by-row mode ({@code fetchSize = Integer.MIN_VALUE});
 * other drivers get a positive fetch size.
 */
public final class ReportQuery {
  /**
   * @param slack how far beyond the window edges rows are read (at least the longest job plus the
   *     SLA)
   * @param limits the report's memory caps
   * @param maxRunsPerKey runs kept per key and side
   */
  public record Options(Duration slack, ReportBuilder.Limits limits, int maxRunsPerKey) {
    /** 1 hour slack, default limits, 100 runs per key and side. */
    public static final Options DEFAULT =
        new Options(Duration.ofHours(1), ReportBuilder.Limits.DEFAULT, 100);

    public Options {
      Objects.requireNonNull(slack, "slack");
      Objects.requireNonNull(limits, "limits");
      if (slack.isNegative() || maxRunsPerKey < 1) {
        throw new IllegalArgumentException("slack >= 0 and maxRunsPerKey >= 1 required: " + this);
      }
    }
  }

  private final Connections db;
  private final Tables tables;
  private final Rules rules;
  private final Options options;
  private final Clock clock;

  public ReportQuery(Connections db, Tables tables, Rules rules, Options options, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads, reconciles and aggregates one queue's window. */
  public Report load(String queue, Window window) throws SQLException {
    ReportBuilder report = new ReportBuilder(queue, window, rules, options.limits());
    Instant readFrom = window.from().minus(options.slack());
    Instant readTo = window.to().plus(options.slack());
    try (Connection c = db.open()) {
      try (Statement st = c.createStatement()) {
        st.execute(JdbcInsert.UTC_SESSION);
      }
      int fetchSize =
          c.getMetaData().getDriverName().contains("MySQL Connector") ? Integer.MIN_VALUE : 1000;
      outcomes(c, fetchSize, queue, window, readFrom, readTo, report);
      transport(c, fetchSize, queue, window, readFrom, readTo, report);
    }
    return report.build(clock.instant());
  }

  private void outcomes(
      Connection c,
      int fetchSize,
      String queue,
      Window window,
      Instant readFrom,
      Instant readTo,
      ReportBuilder report)
      throws SQLException {
    String sql =
        "SELECT correlation_key, side, outcome, result_digest, result_json,"
            + " UNIX_TIMESTAMP(started_at), UNIX_TIMESTAMP(finished_at), worker FROM "
            + tables.outcome()
            + " WHERE queue_name = ? AND started_at >= FROM_UNIXTIME(?)"
            + " AND started_at < FROM_UNIXTIME(?) ORDER BY correlation_key, side, id";
    Reconciler reconciler = new Reconciler(rules);
    KeyRuns<Observation> runs = new KeyRuns<>(options.maxRunsPerKey());
    try (PreparedStatement ps = streaming(c, sql, fetchSize)) {
      ps.setString(1, queue);
      ps.setBigDecimal(2, JdbcInsert.seconds(readFrom));
      ps.setBigDecimal(3, JdbcInsert.seconds(readTo));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = new String(rs.getBytes(1), StandardCharsets.UTF_8);
          if (!key.equals(runs.key)) {
            flushOutcome(runs, reconciler, window, report);
            runs.reset(key);
          }
          Instant started = JdbcInsert.instant(rs.getBigDecimal(6));
          Observation o =
              new Observation(
                  key,
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  started,
                  JdbcInsert.instant(rs.getBigDecimal(7)),
                  rs.getString(8));
          runs.add("legacy".equals(rs.getString(2)) ? 0 : 1, o, started);
        }
      }
    }
    flushOutcome(runs, reconciler, window, report);
  }

  private void flushOutcome(
      KeyRuns<Observation> runs, Reconciler reconciler, Window window, ReportBuilder report) {
    if (runs.key == null || !window.contains(runs.first)) {
      return;
    }
    if (!rules.sampled(runs.key)) {
      report.sampledOut(1);
      return;
    }
    report.add(
        reconciler.classify(runs.key, runs.kept[0], runs.kept[1], runs.count[0], runs.count[1]));
  }

  private void transport(
      Connection c,
      int fetchSize,
      String queue,
      Window window,
      Instant readFrom,
      Instant readTo,
      ReportBuilder report)
      throws SQLException {
    String sql =
        "SELECT 0 AS src, sink, message_key, correlation_key, content_digest, phase,"
            + " UNIX_TIMESTAMP(forwarded_at) AS t1, UNIX_TIMESTAMP(confirmed_at) AS t2, id FROM "
            + tables.ledger()
            + " WHERE queue_name = ? AND forwarded_at >= FROM_UNIXTIME(?)"
            + " AND forwarded_at < FROM_UNIXTIME(?)"
            + " UNION ALL SELECT 1, sink, message_key, correlation_key, content_digest,"
            + " destination, UNIX_TIMESTAMP(observed_at), NULL, id FROM "
            + tables.transport()
            + " WHERE queue_name = ? AND observed_at >= FROM_UNIXTIME(?)"
            + " AND observed_at < FROM_UNIXTIME(?)"
            + " ORDER BY sink, message_key, src, id";
    TransportReconciler reconciler = new TransportReconciler(rules.lateAfter());
    KeyRuns<Object> runs = new KeyRuns<>(options.maxRunsPerKey());
    String sink = null;
    try (PreparedStatement ps = streaming(c, sql, fetchSize)) {
      for (int base : new int[] {0, 3}) {
        ps.setString(base + 1, queue);
        ps.setBigDecimal(base + 2, JdbcInsert.seconds(readFrom));
        ps.setBigDecimal(base + 3, JdbcInsert.seconds(readTo));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String rowSink = rs.getString(2);
          String key = new String(rs.getBytes(3), StandardCharsets.UTF_8);
          if (!key.equals(runs.key) || !rowSink.equals(sink)) {
            flushTransport(sink, runs, reconciler, window, report);
            runs.reset(key);
            sink = rowSink;
          }
          String correlation = new String(rs.getBytes(4), StandardCharsets.UTF_8);
          Instant t1 = JdbcInsert.instant(rs.getBigDecimal(7));
          if (rs.getInt(1) == 0) {
            BigDecimal t2 = rs.getBigDecimal(8);
            runs.add(
                0,
                new ForwardedMessage(
                    queue,
                    key,
                    correlation,
                    rs.getString(5),
                    rs.getString(6),
                    rowSink,
                    t1,
                    t2 == null ? null : JdbcInsert.instant(t2)),
                t1);
          } else {
            runs.add(
                1,
                new TransportObservation(
                    queue, rowSink, rs.getString(6), key, correlation, rs.getString(5), t1),
                // Deliveries place a key in time only when it was never forwarded.
                runs.count[0] == 0 ? t1 : runs.first);
          }
        }
      }
    }
    flushTransport(sink, runs, reconciler, window, report);
  }

  @SuppressWarnings("unchecked")
  private static void flushTransport(
      String sink,
      KeyRuns<Object> runs,
      TransportReconciler reconciler,
      Window window,
      ReportBuilder report) {
    if (runs.key == null || !window.contains(runs.first)) {
      return;
    }
    List<ForwardedMessage> f = (List<ForwardedMessage>) (List<?>) runs.kept[0];
    List<TransportObservation> o = (List<TransportObservation>) (List<?>) runs.kept[1];
    report.add(reconciler.classify(sink, runs.key, f, o));
  }

  private static PreparedStatement streaming(Connection c, String sql, int fetchSize)
      throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setFetchSize(fetchSize);
    return ps;
  }

  /** The rows of the key being read: a few kept per side, all counted. */
  private static final class KeyRuns<T> {
    private final int max;
    String key;
    Instant first;

    @SuppressWarnings("unchecked")
    final List<T>[] kept = new List[] {new ArrayList<>(), new ArrayList<>()};

    final int[] count = new int[2];

    KeyRuns(int max) {
      this.max = max;
    }

    void reset(String k) {
      key = k;
      first = null;
      kept[0] = new ArrayList<>();
      kept[1] = new ArrayList<>();
      count[0] = 0;
      count[1] = 0;
    }

    void add(int side, T row, Instant at) {
      count[side]++;
      if (kept[side].size() < max) {
        kept[side].add(row);
      }
      if (first == null || at.isBefore(first)) {
        first = at;
      }
    }
  }
}
