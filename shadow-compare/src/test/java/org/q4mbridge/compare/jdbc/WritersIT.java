package org.q4mbridge.compare.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.ForwardedMessage;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.Side;
import org.q4mbridge.compare.TestDatabase;
import org.q4mbridge.compare.TransportCategory;
import org.q4mbridge.compare.TransportObservation;
import org.q4mbridge.compare.Window;

/** The writers land their rows in the real tables; the report query reads them back. */
class WritersIT {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");
  private static TestDatabase db;

  @BeforeAll
  static void create() throws Exception {
    db = TestDatabase.create("compare_writers");
  }

  @AfterAll
  static void drop() throws Exception {
    db.close();
  }

  @Test
  void recordedOutcomesFromManyThreadsAreAllWrittenWithExactTimes() throws Exception {
    try (OutcomeRecorder rec =
        OutcomeRecorder.start(
            db.connections(), Tables.DEFAULT, "app.rec", "test:1", WriterOptions.DEFAULT)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        int thread = t;
        pool.execute(
            () -> {
              for (int i = 0; i < 500; i++) {
                String key = "k" + thread + "-" + i;
                rec.record(key, Side.CANDIDATE, "ok", "{\"n\":" + i + "}", T0, T0.plusMillis(i));
              }
            });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SET time_zone = '+09:00'"); // a reader's zone must not matter
      try (ResultSet rs =
          st.executeQuery(
              "SELECT COUNT(*), MIN(UNIX_TIMESTAMP(started_at)), MAX(UNIX_TIMESTAMP(finished_at)),"
                  + " COUNT(DISTINCT correlation_key), MIN(worker), MIN(side)"
                  + " FROM q4m_outcome WHERE queue_name = 'app.rec'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(2000);
        assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("1714557600.123");
        assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("1714557600.622");
        assertThat(rs.getLong(4)).isEqualTo(2000);
        assertThat(rs.getString(5)).isEqualTo("test:1");
        assertThat(rs.getString(6)).isEqualTo("candidate");
      }
    }
  }

  @Test
  void closeFlushesEvenWhenTheDelayIsLong() throws Exception {
    WriterOptions slow =
        new WriterOptions(100, 500, Duration.ofMinutes(5), Duration.ofSeconds(10), 3);
    OutcomeRecorder rec =
        OutcomeRecorder.start(db.connections(), Tables.DEFAULT, "app.flush", null, slow);
    rec.record("only", Side.LEGACY, "ok", null, T0, T0);
    rec.close();
    assertThat(rec.stats().written()).isEqualTo(1);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM q4m_outcome WHERE queue_name = 'app.flush'")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void aDatabaseThatIsDownCostsTheWorkerNothingButDroppedRows() {
    Connections down =
        () -> {
          throw new java.sql.SQLTransientConnectionException("connection refused");
        };
    WriterOptions small = new WriterOptions(10, 5, Duration.ofMillis(10), Duration.ofSeconds(2), 2);
    OutcomeRecorder rec = OutcomeRecorder.start(down, Tables.DEFAULT, "app.down", null, small);
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      rec.record("k" + i, Side.CANDIDATE, "ok", null, T0, T0);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    rec.close();
    assertThat(rec.stats().dropped()).isGreaterThan(900);
    assertThat(rec.stats().written()).isZero();
    assertThat(rec.stats().pending()).isZero();
  }

  @Test
  void ledgerAndObservationsReconcileIntoTheTransportSection() throws Exception {
    String q = "app.transport";
    try (LedgerWriter w =
        LedgerWriter.start(db.connections(), Tables.DEFAULT, WriterOptions.DEFAULT)) {
      for (int i = 0; i < 100; i++) {
        String key = q + ":1:" + i;
        Instant at = T0.plusSeconds(i);
        w.forwarded(
            new ForwardedMessage(
                q, key, "ck" + i, "d" + i, "shadow", "redis-main", at, at.plusMillis(3)));
        if (i == 7) {
          continue; // lost
        }
        String digest = i == 8 ? "tampered" : "d" + i;
        w.observed(
            new TransportObservation(
                q, "redis-main", "jobs.shadow", key, "ck" + i, digest, at.plusMillis(40)));
        if (i == 9) {
          w.observed(
              new TransportObservation(
                  q, "redis-main", "jobs.shadow", key, "ck" + i, digest, at.plusMillis(90)));
        }
      }
      // never confirmed, never seen: will be resent, not a loss
      w.forwarded(
          new ForwardedMessage(q, q + ":1:500", "ck", "d", "shadow", "redis-main", T0, null));
    }
    ReportQuery query =
        new ReportQuery(
            db.connections(),
            Tables.DEFAULT,
            Rules.defaults(),
            ReportQuery.Options.DEFAULT,
            Clock.fixed(T0, ZoneOffset.UTC));
    Report r = query.load(q, new Window(T0.minusSeconds(1), T0.plus(Duration.ofHours(1))));
    Report.Transport t = r.transport();
    assertThat(t.count(TransportCategory.DELIVERED)).isEqualTo(97);
    assertThat(t.keys(TransportCategory.MISSING).keys())
        .containsExactly("redis-main app.transport:1:7");
    assertThat(t.keys(TransportCategory.PAYLOAD_DIFFERS).keys())
        .containsExactly("redis-main app.transport:1:8");
    assertThat(t.keys(TransportCategory.DUPLICATED).keys())
        .containsExactly("redis-main app.transport:1:9");
    assertThat(t.count(TransportCategory.UNCONFIRMED)).isEqualTo(1);
    assertThat(t.latency().quantile(0.5)).isEqualTo(Duration.ofMillis(50));
    assertThat(r.outcomes().count(Category.MATCHED)).isZero();
  }

  @Test
  void retentionDeletesOnlyRowsOlderThanTheCutoff() throws Exception {
    String q = "app.retention";
    try (OutcomeRecorder rec =
        OutcomeRecorder.start(db.connections(), Tables.DEFAULT, q, null, WriterOptions.DEFAULT)) {
      rec.record(
          "old",
          Side.LEGACY,
          "ok",
          null,
          T0.minus(Duration.ofDays(40)),
          T0.minus(Duration.ofDays(40)));
      rec.record("new", Side.LEGACY, "ok", null, T0, T0);
    }
    long deleted =
        new Retention(db.connections(), Tables.DEFAULT).purgeBefore(T0.minus(Duration.ofDays(30)));
    assertThat(deleted).isGreaterThanOrEqualTo(1);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT correlation_key FROM q4m_outcome WHERE queue_name = '" + q + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("new");
      assertThat(rs.next()).isFalse();
    }
  }
}
