package org.q4mbridge.q4m.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.exec;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.ints;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.queueWait;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.row;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.rows;
import static org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite.value;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.relay.RelayDedup;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The shim beyond the acceptance items: its JDBC surface (driver lookup, prepared statements,
 * labels, errors), the pre-5.6 one-statement form, and each documented deviation from Q4M (see
 * {@code q4m-compat/README.md}) asserted as documented.
 */
class Q4mShimIT {
  private static TestDatabase db;
  private final List<Connection> opened = new ArrayList<>();

  @BeforeAll
  static void createDatabase() throws SQLException {
    db = TestDatabase.create("shim");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    db.close();
  }

  @BeforeEach
  void createQueues() throws SQLException {
    db.exec(
        "DROP TABLE IF EXISTS t",
        "DROP TABLE IF EXISTS t2",
        "DROP TABLE IF EXISTS " + RelayDedup.WATERMARK_TABLE,
        queueDdl("t"),
        queueDdl("t2"));
  }

  private static String queueDdl(String name) {
    return "CREATE TABLE "
        + name
        + " (v INT NOT NULL, q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE"
        + " PRIMARY KEY) ENGINE=InnoDB";
  }

  @AfterEach
  void closeConnections() {
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the test is over
      }
    }
    opened.clear();
  }

  private Connection open() throws SQLException {
    return open(db.shimUrl());
  }

  private Connection open(String url) throws SQLException {
    Connection c = DriverManager.getConnection(url, TestDatabase.USER, TestDatabase.PASSWORD);
    opened.add(c);
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // JDBC surface

  @Test
  void theDriverIsFoundThroughServiceLoaderAndWrapsConnectorJ() throws SQLException {
    assertThat(DriverManager.getDriver(db.shimUrl())).isInstanceOf(Q4mDriver.class);
    assertThat(DriverManager.getDriver(db.url())).isNotInstanceOf(Q4mDriver.class);
    Connection c = open();
    assertThat(c.isWrapperFor(Q4mConnection.class)).isTrue();
    assertThat(c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class)).isNotNull();
    Statement st = c.createStatement();
    try (ResultSet rs = st.executeQuery("SELECT 1")) {
      assertThat(rs.getStatement()).isSameAs(st);
    }
  }

  @Test
  void functionResultsAreLabelledAndTypedLikeMysqlLabelsThem() throws SQLException {
    Connection c = open();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT queue_wait('t', 0)")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnLabel(1)).isEqualTo("queue_wait('t', 0)");
      assertThat(md.getColumnType(1)).isEqualTo(Types.BIGINT);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
      assertThat(rs.next()).isFalse();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select queue_end() as done")) {
      rs.next();
      assertThat(rs.getInt("done")).isEqualTo(1);
    }
  }

  @Test
  void preparedStatementsBindFunctionArgumentsAndFollowTheOwnerStateOnEveryExecution()
      throws SQLException {
    Connection a = open();
    exec(a, "INSERT INTO t VALUES (1),(2),(3)");
    PreparedStatement waitFor = a.prepareStatement("SELECT queue_wait(?, ?)");
    PreparedStatement read = a.prepareStatement("SELECT v FROM t WHERE v >= ?");
    read.setInt(1, 0);
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waitFor.setString(1, "t");
      waitFor.setInt(2, 1);
      try (ResultSet rs = waitFor.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          seen.add(rs.getInt(1));
        }
      }
    }
    assertThat(seen).containsExactly(1, 2, 3);
    exec(a, "SELECT queue_end()");
    try (ResultSet rs = read.executeQuery()) {
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void theOneStatementWhereFormWaitsThenReturnsTheOwnedRow() throws SQLException {
    Connection a = open();
    exec(a, "INSERT INTO t VALUES (4),(5)");
    assertThat(ints(a, "SELECT * FROM t WHERE queue_wait('t', 1)")).containsExactly(4);
    assertThat(ints(a, "SELECT * FROM t WHERE queue_wait('t', 1)")).containsExactly(5);
    assertThat(ints(a, "SELECT * FROM t WHERE queue_wait('t', 0)")).isEmpty();
    assertThat(ints(a, "SELECT * FROM t WHERE queue_wait('no_such_table', 0)")).isEmpty();
  }

  @Test
  void q4mFunctionsInsideOtherExpressionsAreRefusedWithTheSupportedForms() throws SQLException {
    Connection a = open();
    assertThatThrownBy(() -> value(a, "SELECT queue_wait('t', 0) + 1"))
        .isInstanceOf(SQLFeatureNotSupportedException.class)
        .hasMessageContaining("statement of its own");
    assertThatThrownBy(() -> a.createStatement().executeUpdate("SELECT queue_end()"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("executeUpdate");
  }

  @Test
  void argumentErrorsAreSqlErrorsAndBadValuesAreNullAsInQ4m() throws SQLException {
    Connection a = open();
    for (String sql :
        List.of(
            "SELECT queue_wait()",
            "SELECT queue_rowid(1)",
            "SELECT queue_set_srcid(1, 'a')",
            "SELECT queue_stats()",
            "SELECT queue_compact('t', 't2')")) {
      assertThatThrownBy(() -> value(a, sql))
          .as(sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("argument error")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1123));
    }
    assertThat(value(a, "SELECT queue_set_srcid(0, 'x', 1)")).isNull();
    assertThat(value(a, "SELECT queue_stats('no_such_table')")).isNull();
    assertThat(value(a, "SELECT queue_compact('no_such_table')")).isNull();
    assertThat(value(a, "SELECT queue_compact('t')")).isEqualTo(1);
    assertThat(value(a, "SELECT queue_wait('t:v <> 1', 0)")).as("<> is not Q4M syntax").isNull();
    assertThat(value(a, "SELECT queue_wait('t:nope = 1', 0)")).as("unknown column").isNull();
  }

  private static Map<String, Long> stats(Connection c) throws SQLException {
    Map<String, Long> stats = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT queue_stats('t')")) {
      rs.next();
      for (String line : rs.getString(1).split("\n")) {
        String[] kv = line.split(": ");
        stats.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return stats;
  }

  @Test
  void queueStatsReportsThisProcesssCountersInQ4msNineLines() throws SQLException {
    Connection a = open();
    exec(a, "DROP TABLE t", queueDdl("t"));
    Map<String, Long> before = stats(a);
    assertThat(before)
        .containsOnlyKeys(
            "rows_written",
            "rows_removed",
            "wait_immediate",
            "wait_delayed",
            "wait_timeout",
            "restored_by_abort",
            "restored_by_close",
            "bytes_total",
            "bytes_removed");
    assertThat(before.values()).as("a table dropped through the shim starts over").containsOnly(0L);
    exec(a, "INSERT INTO t VALUES (1),(2)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    exec(a, "SELECT queue_abort()");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    exec(a, "SELECT queue_end()");
    assertThat(queueWait(a, "'t', 't2', 0")).isEqualTo(1);
    exec(a, "SELECT queue_end()");
    assertThat(stats(a))
        .containsEntry("rows_written", 2L)
        .containsEntry("rows_removed", 2L)
        .containsEntry("wait_immediate", 3L)
        .containsEntry("wait_delayed", 0L)
        .containsEntry("wait_timeout", 0L)
        .containsEntry("restored_by_abort", 1L)
        .containsEntry("restored_by_close", 0L)
        .containsEntry("bytes_total", 0L)
        .containsEntry("bytes_removed", 0L);
  }

  @Test
  void theInvisibleRowIdIsReadWhenNamedAndHiddenFromSelectStar() throws SQLException {
    Connection a = open();
    exec(a, "INSERT INTO t VALUES (7),(8)");
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(7), row(8));
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    long rowId = value(a, "SELECT queue_rowid()");
    assertThat(rows(a, "SELECT q4m_rowid, v FROM t")).containsExactly(row((int) rowId, 7));
    assertThat(rows(open(), "SELECT v, q4m_rowid FROM t")).containsExactly(row(8, (int) rowId + 1));
  }

  @Test
  void aTableWhoseRowIdColumnTheUrlNamesIsAQueue() throws SQLException {
    db.exec(
        "DROP TABLE IF EXISTS jobs",
        "CREATE TABLE jobs (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)"
            + " ENGINE=InnoDB",
        "INSERT INTO jobs (v) VALUES (10),(20)");
    assertThat(value(open(), "SELECT queue_wait('jobs', 0)")).as("default q4m_rowid").isNull();
    Connection a = open(db.shimUrl() + "&q4mRowIdColumn=id");
    assertThat(value(a, "SELECT queue_wait('jobs', 0)")).isEqualTo(1);
    assertThat(rows(a, "SELECT * FROM jobs")).containsExactly(row(1, 10));
    assertThat(value(a, "SELECT queue_rowid()")).isEqualTo(1);
  }

  @Test
  void joinsOfQueueAndOrdinaryTablesSeeOnlyWhatQ4mWouldShow() throws SQLException {
    db.exec(
        "DROP TABLE IF EXISTS names",
        "CREATE TABLE names (v INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB",
        "INSERT INTO names VALUES (1,'one'),(2,'two')");
    Connection a = open();
    Connection b = open();
    exec(a, "INSERT INTO t VALUES (1),(2)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    String join = "SELECT t.v, n.name FROM t JOIN names n ON n.v = t.v ORDER BY t.v";
    assertThat(rows(a, join)).containsExactly(row(1, "one"));
    assertThat(rows(b, join)).containsExactly(row(2, "two"));
  }

  @Test
  void cancelEndsAWaitInProgress() throws Exception {
    Connection a = open();
    Statement st = a.createStatement();
    CompletableFuture<Long> waiting =
        Q4mAcceptanceSuite.background(
            () -> {
              try (ResultSet rs = st.executeQuery("SELECT queue_wait('t', 30)")) {
                rs.next();
                return rs.getLong(1);
              }
            });
    Q4mAcceptanceSuite.staysBlocked(waiting, 500);
    st.cancel();
    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("interrupted");
  }

  // ---------------------------------------------------------------------------------------------
  // Owner connection model

  @Test
  void theOwnersOtherStatementsCommitOnTheirOwnAsInQ4m() throws SQLException {
    Connection a = open();
    Connection b = open();
    exec(b, "INSERT INTO t VALUES (1)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    exec(a, "INSERT INTO t2 VALUES (100)");
    assertThat(ints(b, "SELECT v FROM t2")).containsExactly(100);
    a.close();
    assertThat(ints(b, "SELECT v FROM t")).as("the owned row came back").containsExactly(1);
    assertThat(ints(b, "SELECT v FROM t2")).as("the insert stays").containsExactly(100);
  }

  @Test
  void aReaderInAnOpenTransactionHoldsNoRowsAndBlocksNoProducer() throws SQLException {
    Connection reader = open();
    Connection producer = open();
    Connection consumer = open();
    exec(producer, "INSERT INTO t VALUES (1)", "SET SESSION innodb_lock_wait_timeout = 2");
    reader.setAutoCommit(false);
    assertThat(ints(reader, "SELECT v FROM t")).containsExactly(1);
    exec(producer, "INSERT INTO t VALUES (2)");
    assertThat(queueWait(consumer, "'t', 0")).isEqualTo(1);
    assertThat(ints(consumer, "SELECT v FROM t")).containsExactly(1);
    reader.commit();
  }

  @Test
  void ddlOnTheTableThisConnectionOwnsARowOfFailsAtOnceInsteadOfWaitingForItself()
      throws SQLException {
    Connection a = open();
    exec(a, "INSERT INTO t VALUES (1)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    assertThatThrownBy(() -> exec(a, "TRUNCATE t"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("owns a row of");
    exec(a, "ALTER TABLE t2 ADD w INT");
    exec(a, "SELECT queue_end()");
    exec(a, "TRUNCATE t");
    assertThat(ints(a, "SELECT v FROM t")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Documented deviations from Q4M

  @Test
  void deviation_insertsInAUserTransactionAreDeliveredOnlyAfterCommit() throws SQLException {
    Connection producer = open();
    Connection consumer = open();
    producer.setAutoCommit(false);
    exec(producer, "INSERT INTO t VALUES (1)");
    assertThat(queueWait(consumer, "'t', 0")).isZero();
    producer.rollback();
    exec(producer, "INSERT INTO t VALUES (2)");
    producer.commit();
    assertThat(queueWait(consumer, "'t', 0")).isEqualTo(1);
    assertThat(ints(consumer, "SELECT v FROM t")).containsExactly(2);
  }

  @Test
  void deviation_rowsArrivingTogetherDuringAWaitGoByPriorityNotByArrival() throws Exception {
    Connection a = open();
    Connection b = open();
    CompletableFuture<Long> waiting =
        Q4mAcceptanceSuite.background(() -> queueWait(a, "'t', 't2', 10"));
    Q4mAcceptanceSuite.staysBlocked(waiting, 500);
    b.setAutoCommit(false);
    exec(b, "INSERT INTO t2 VALUES (2)", "INSERT INTO t VALUES (1)");
    b.commit();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void deviation_rowIdsHaveGapsWhereInsertsRolledBack() throws SQLException {
    Connection a = open();
    exec(a, "INSERT INTO t VALUES (1)");
    a.setAutoCommit(false);
    exec(a, "INSERT INTO t VALUES (2)");
    a.rollback();
    a.setAutoCommit(true);
    exec(a, "INSERT INTO t VALUES (3)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    assertThat(value(a, "SELECT queue_rowid()")).isEqualTo(1);
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    assertThat(value(a, "SELECT queue_rowid()")).isEqualTo(3);
  }

  @Test
  void deviation_countStarWithoutWhereCountsOwnedRowsAndWithWhereDoesNot() throws SQLException {
    Connection a = open();
    Connection b = open();
    exec(a, "INSERT INTO t VALUES (1),(2)");
    assertThat(queueWait(a, "'t', 0")).isEqualTo(1);
    assertThat(value(b, "SELECT COUNT(*) FROM t")).isEqualTo(2);
    assertThat(value(b, "SELECT COUNT(*) FROM t WHERE v > 0")).isEqualTo(1);
    assertThat(value(a, "SELECT COUNT(*) FROM t")).isEqualTo(1);
  }

  @Test
  void deviation_relayWatermarksOutliveADroppedDestination() throws SQLException {
    Connection a = open();
    exec(a, "SELECT queue_set_srcid(0, 'a', 5)", "INSERT INTO t2 VALUES (5)");
    db.exec("DROP TABLE t2", queueDdl("t2"));
    exec(a, "SELECT queue_set_srcid(0, 'a', 3)", "INSERT INTO t2 VALUES (3)");
    assertThat(ints(a, "SELECT v FROM t2")).as("Q4M would store it").isEmpty();
    exec(a, "SELECT queue_set_srcid(0, 'w', 3)", "INSERT INTO t2 VALUES (3)");
    assertThat(ints(a, "SELECT v FROM t2")).containsExactly(3);
  }

  @Test
  void anInsertThroughAnotherConnectionOfThisProcessWakesAWaiterWithoutWaitingForAPoll()
      throws Exception {
    Connection a = open(db.shimUrl() + "&q4mPollMinMillis=5000&q4mPollMaxMillis=5000");
    Connection b = open();
    CompletableFuture<Long> waiting = Q4mAcceptanceSuite.background(() -> queueWait(a, "'t', 20"));
    Q4mAcceptanceSuite.staysBlocked(waiting, 500);
    long start = System.nanoTime();
    exec(b, "INSERT INTO t VALUES (1)");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }
}
