package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mysql.cj.jdbc.JdbcConnection;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protocol as Connector/J (a client that checks a lot) sees it through the endpoint: column
 * types and values identical to the server's for the text and the binary protocol, errors with the
 * backend's codes, KILL, multi-statements, OK-packet details, COM_INIT_DB, COM_CHANGE_USER,
 * statistics, and what a disconnect or a server stop does to an owned row.
 */
class EndpointProtocolIT {
  private static RunningEndpoint endpoint;

  private static final String TYPES_TABLE =
      "CREATE TABLE types_t (id INT NOT NULL PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED,"
          + " b1 TINYINT(1), si SMALLINT, mi MEDIUMINT, bi BIGINT, bu BIGINT UNSIGNED,"
          + " d DECIMAL(12,3), f FLOAT, db DOUBLE, dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP NULL,"
          + " da DATE, tm TIME(3), y YEAR, bit10 BIT(10), vc VARCHAR(40), ch CHAR(4), tx TEXT,"
          + " bl BLOB, bin VARBINARY(16), e ENUM('a','b'), s SET('x','y'),"
          + " l1 VARCHAR(10) CHARACTER SET latin1, nn INT NULL)";

  private static final String TYPES_ROWS =
      "INSERT INTO types_t VALUES (1, -5, 250, 1, -300, 70000, -9000000000, 18446744073709551615,"
          + " -12.5, 1.25, 3.14159, '2024-01-02 03:04:05.000120', '2024-01-02 03:04:05',"
          + " '2024-05-06 07:08:09', '2024-01-02', '-12:34:56.789', 2024, b'1010101010',"
          + " 'héllo wörld 名', 'ab', 'text ü', x'000102ff', x'00ff10', 'b', 'x,y', 'çà', NULL),"
          + " (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '1999-12-31 23:59:59', '2000-01-01 00:00:00', NULL,"
          + " '2000-01-01', '00:00:00', 1999, b'0', '', '', '', x'', x'', 'a', '', '', 7)";

  @BeforeAll
  static void start() throws Exception {
    endpoint = RunningEndpoint.start("ep_proto", b -> b.user("other", "other-secret"));
    endpoint.db.exec(TYPES_TABLE, TYPES_ROWS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @BeforeEach
  void freshQueue() throws Exception {
    endpoint.db.exec("DROP TABLE IF EXISTS t", RunningEndpoint.queueTable("t", "v INT NOT NULL"));
  }

  /** Every column's JDBC view: label, type, type name, precision, scale, nullability, value. */
  private static List<String> describe(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> out = new ArrayList<>();
    while (rs.next()) {
      for (int i = 1; i <= md.getColumnCount(); i++) {
        Object v;
        try {
          v = rs.getObject(i);
        } catch (SQLException e) {
          v = "getObject: " + e.getSQLState();
        }
        String value =
            v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v);
        out.add(
            md.getColumnLabel(i)
                + " "
                + md.getColumnType(i)
                + " "
                + md.getColumnTypeName(i)
                + " p"
                + md.getPrecision(i)
                + " s"
                + md.getScale(i)
                + " n"
                + md.isNullable(i)
                + " signed="
                + md.isSigned(i)
                + " = "
                + value
                + " | "
                + rs.getString(i));
      }
    }
    return out;
  }

  private static List<String> direct(String sql, boolean prepared) throws SQLException {
    try (Connection c =
        java.sql.DriverManager.getConnection(
            endpoint.db.url() + (prepared ? "&useServerPrepStmts=true" : ""),
            org.q4mbridge.q4m.testing.TestDatabase.USER,
            org.q4mbridge.q4m.testing.TestDatabase.PASSWORD)) {
      return run(c, sql, prepared);
    }
  }

  private static List<String> run(Connection c, String sql, boolean prepared) throws SQLException {
    if (prepared) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setInt(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          return describe(rs);
        }
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return describe(rs);
    }
  }

  @ParameterizedTest(name = "server-side prepared statements: {0}")
  @ValueSource(booleans = {false, true})
  void columnTypesAndValuesAreTheServersOwn(boolean prepared) throws Exception {
    String sql = "SELECT * FROM types_t WHERE id > " + (prepared ? "?" : "0") + " ORDER BY id";
    List<String> expected = direct(sql, prepared);
    try (Connection c = endpoint.connect(prepared ? "&useServerPrepStmts=true" : "")) {
      assertThat(run(c, sql, prepared)).containsExactlyElementsOf(expected);
    }
  }

  /** Each parameter compared on the server, so the answer does not depend on result types. */
  private static List<String> parameterComparisons(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT ? = -7, ? = 18446744073709551615, ? = 2.5, ? = 'héllo ''名''', HEX(?),"
                + " CAST(? AS CHAR), ? IS NULL, ? = DATE '2024-02-29', ? = 12.345, ? = 1.5e300")) {
      ps.setLong(1, -7);
      ps.setBigDecimal(2, new BigDecimal("18446744073709551615"));
      ps.setDouble(3, 2.5);
      ps.setString(4, "héllo '名'");
      ps.setBytes(5, new byte[] {0, (byte) 0xFF, 0x27, 0x5C});
      ps.setTimestamp(6, java.sql.Timestamp.valueOf("2024-01-02 03:04:05"));
      ps.setNull(7, java.sql.Types.INTEGER);
      ps.setDate(8, java.sql.Date.valueOf("2024-02-29"));
      ps.setBigDecimal(9, new BigDecimal("12.345"));
      ps.setDouble(10, 1.5e300);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        assertThat(rs.next()).isTrue();
        for (int i = 1; i <= 10; i++) {
          out.add(rs.getString(i));
        }
        return out;
      }
    }
  }

  @Test
  void preparedStatementParametersOfEveryTypeReachTheServer() throws Exception {
    List<String> expected;
    try (Connection c =
        java.sql.DriverManager.getConnection(
            endpoint.db.url() + "&useServerPrepStmts=true",
            org.q4mbridge.q4m.testing.TestDatabase.USER,
            org.q4mbridge.q4m.testing.TestDatabase.PASSWORD)) {
      expected = parameterComparisons(c);
    }
    assertThat(expected)
        .containsExactly("1", "1", "1", "1", "00FF275C", "2024-01-02 03:04:05", "1", "1", "1", "1");
    try (Connection c = endpoint.connect("&useServerPrepStmts=true")) {
      assertThat(parameterComparisons(c)).isEqualTo(expected);
    }
  }

  @Test
  void binaryAndNonAsciiDataSurviveTextAndPreparedInserts() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    endpoint.db.exec("CREATE TABLE IF NOT EXISTS bytes_t (id INT PRIMARY KEY, b BLOB, s TEXT)");
    try (Connection c = endpoint.connect();
        PreparedStatement client = c.prepareStatement("INSERT INTO bytes_t VALUES (?, ?, ?)")) {
      client.setInt(1, 1);
      client.setBytes(2, all);
      client.setString(3, "ünïcödé 名前 🐘");
      client.executeUpdate();
    }
    try (Connection c = endpoint.connect("&useServerPrepStmts=true");
        PreparedStatement server = c.prepareStatement("INSERT INTO bytes_t VALUES (?, ?, ?)")) {
      server.setInt(1, 2);
      server.setBytes(2, all);
      server.setString(3, "ünïcödé 名前 🐘");
      server.executeUpdate();
    }
    try (Connection c = endpoint.db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT b, s FROM bytes_t ORDER BY id")) {
      for (int row = 0; row < 2; row++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isEqualTo(all);
        assertThat(rs.getString(2)).isEqualTo("ünïcödé 名前 🐘");
      }
    }
    // a latin1 client gets the text as the server itself gives it
    List<String> expected;
    try (Connection c =
        java.sql.DriverManager.getConnection(
            endpoint.db.url() + "&characterEncoding=ISO-8859-1",
            org.q4mbridge.q4m.testing.TestDatabase.USER,
            org.q4mbridge.q4m.testing.TestDatabase.PASSWORD)) {
      expected = run(c, "SELECT s, b FROM bytes_t ORDER BY id", false);
    }
    try (Connection c = endpoint.connect("&characterEncoding=ISO-8859-1")) {
      assertThat(run(c, "SELECT s, b FROM bytes_t ORDER BY id", false))
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void errorsCarryTheBackendsCodeSqlStateAndMessage() throws Exception {
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeQuery("SELECT * FROM no_such_table"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                SQLException s = (SQLException) e;
                assertThat(s.getErrorCode()).isEqualTo(1146);
                assertThat(s.getSQLState()).isEqualTo("42S02");
                assertThat(s.getMessage()).contains("no_such_table").contains("doesn't exist");
              });
      assertThatThrownBy(() -> st.execute("SELEC 1"))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1064))
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42000"));
      st.execute("CREATE TABLE IF NOT EXISTS uniq_t (id INT PRIMARY KEY)");
      st.execute("INSERT IGNORE INTO uniq_t VALUES (1)");
      assertThatThrownBy(() -> st.execute("INSERT INTO uniq_t VALUES (1)"))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1062))
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23000"));
      assertThatThrownBy(() -> st.executeQuery("SELECT queue_rowid()"))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1123));
      // the connection goes on after every error
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void okPacketsCarryAffectedRowsLastInsertIdAndAutocommitState() throws Exception {
    endpoint.db.exec(
        "CREATE TABLE IF NOT EXISTS auto_t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
        "DELETE FROM auto_t");
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement()) {
      assertThat(
              st.executeUpdate(
                  "INSERT INTO auto_t (v) VALUES (1), (1)", Statement.RETURN_GENERATED_KEYS))
          .isEqualTo(2);
      try (ResultSet keys = st.getGeneratedKeys()) {
        assertThat(keys.next()).isTrue();
        long first = keys.getLong(1);
        assertThat(keys.next()).isTrue();
        assertThat(keys.getLong(1)).isEqualTo(first + 1);
      }
      // Connector/J asks for found rows (CLIENT_FOUND_ROWS): 2 matched, 0 changed
      assertThat(st.executeUpdate("UPDATE auto_t SET v = 1")).isEqualTo(2);
      c.setAutoCommit(false);
      assertThat(c.getAutoCommit()).isFalse();
      st.executeUpdate("UPDATE auto_t SET v = 2");
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = st.executeQuery("SELECT SUM(v) FROM auto_t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
    try (Connection c = endpoint.connect("&useAffectedRows=true");
        Statement st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE auto_t SET v = 1")).isZero();
    }
  }

  @Test
  void multiStatementTextRunsEachStatementWithItsQ4mMeaning() throws Exception {
    try (Connection c = endpoint.connect("&allowMultiQueries=true");
        Statement st = c.createStatement()) {
      boolean rs =
          st.execute(
              "INSERT INTO t VALUES (41); SELECT queue_wait('t', 1); SELECT v FROM t;"
                  + " SELECT queue_end()");
      assertThat(rs).isFalse();
      assertThat(st.getUpdateCount()).isEqualTo(1);
      List<Long> values = new ArrayList<>();
      while (st.getMoreResults() || st.getUpdateCount() != -1) {
        try (ResultSet r = st.getResultSet()) {
          r.next();
          values.add(r.getLong(1));
        }
      }
      assertThat(values).containsExactly(1L, 41L, 1L);
      assertThatThrownBy(() -> st.execute("SELECT 1; SELECT * FROM no_such_t; SELECT 3"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void initDbSwitchesTheDatabaseAndQueueTablesFollow() throws Exception {
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement()) {
      c.setCatalog("information_schema");
      // (a Connector/J statement keeps the database it was created in: use a new one)
      try (Statement fresh = c.createStatement();
          ResultSet rs = fresh.executeQuery("SELECT DATABASE()")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("information_schema");
      }
      c.setCatalog(endpoint.db.name());
      st.executeUpdate("INSERT INTO t VALUES (5)");
      try (Statement again = c.createStatement();
          ResultSet rs = again.executeQuery("SELECT queue_wait('t', 1)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      assertThatThrownBy(() -> c.setCatalog("no_such_db_here"))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1049));
    }
  }

  @Test
  void aClientThatVanishesWhileOwningARowGivesItBack() throws Exception {
    endpoint.db.exec("INSERT INTO t VALUES (1)");
    Connection owner = endpoint.connect();
    try (Statement st = owner.createStatement();
        ResultSet rs = st.executeQuery("SELECT queue_wait('t', 1)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
    try (Connection other = endpoint.connect();
        Statement st = other.createStatement()) {
      assertThat(st.executeQuery("SELECT * FROM t").next()).isFalse();
      // no COM_QUIT: the socket just goes away
      owner.abort(Runnable::run);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> st.executeQuery("SELECT queue_wait('t', 0)").next() && rowIs(st, 1));
    }
  }

  private static boolean rowIs(Statement st, int v) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT v FROM t")) {
      return rs.next() && rs.getInt(1) == v;
    }
  }

  @Test
  void killQueryEndsAnotherConnectionsWaitAndQueryTimeoutsWork() throws Exception {
    try (Connection waiter = endpoint.connect();
        Connection killer = endpoint.connect();
        Statement st = waiter.createStatement()) {
      long id = waiter.unwrap(JdbcConnection.class).getId();
      CompletableFuture<Object> waiting =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = st.executeQuery("SELECT queue_wait('t', 30)")) {
                  return rs.next() ? rs.getLong(1) : null;
                } catch (SQLException e) {
                  return e;
                }
              });
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !waiting.isDone());
      try (Statement k = killer.createStatement()) {
        k.execute("KILL QUERY " + id);
      }
      Object result = waiting.get(10, TimeUnit.SECONDS);
      assertThat(result).isInstanceOf(SQLException.class);
      assertThat(((SQLException) result).getSQLState()).isEqualTo("70100");
      assertThat(waiter.isValid(5)).isTrue();
      try (Statement k = killer.createStatement()) {
        assertThatThrownBy(() -> k.execute("KILL QUERY 999999"))
            .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1094));
      }
      // Connector/J's query timeout sends KILL QUERY through a connection of its own
      try (Statement timed = waiter.createStatement()) {
        timed.setQueryTimeout(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> timed.executeQuery("SELECT queue_wait('t', 30)"))
            .isInstanceOf(SQLTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      }
    }
    try (Connection a = endpoint.connect();
        Connection b =
            java.sql.DriverManager.getConnection(endpoint.url(), "other", "other-secret");
        Statement st = b.createStatement()) {
      long id = a.unwrap(JdbcConnection.class).getId();
      assertThatThrownBy(() -> st.execute("KILL " + id))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1095));
      try (Statement own = a.createStatement()) {
        own.execute("SELECT 1");
      }
    }
  }

  @Test
  void changeUserLogsInAgainAndGivesTheOwnedRowBack() throws Exception {
    endpoint.db.exec("INSERT INTO t VALUES (3)");
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT queue_wait('t', 1)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      c.unwrap(JdbcConnection.class).changeUser("other", "other-secret");
      try (Statement after = c.createStatement();
          ResultSet rs = after.executeQuery("SELECT v FROM " + endpoint.db.name() + ".t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
      assertThatThrownBy(() -> c.unwrap(JdbcConnection.class).changeUser("other", "wrong"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void statsCountConnectionsStatementsAndQueueCalls() throws Exception {
    long opened = endpoint.stats.opened.get();
    long statements = endpoint.stats.statements.get();
    long waits = endpoint.stats.queueCalls("queue_wait");
    long ends = endpoint.stats.queueCalls("queue_end");
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement()) {
      st.executeQuery("SELECT queue_wait('t', 0)").close();
      st.executeQuery("SELECT queue_end()").close();
    }
    assertThat(endpoint.stats.opened.get()).isEqualTo(opened + 1);
    assertThat(endpoint.stats.statements.get()).isGreaterThanOrEqualTo(statements + 2);
    assertThat(endpoint.stats.queueCalls("queue_wait")).isEqualTo(waits + 1);
    assertThat(endpoint.stats.queueCalls("queue_end")).isEqualTo(ends + 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> endpoint.stats.closed.get() == endpoint.stats.opened.get());
  }

  @Test
  void stoppingTheServerEndsWaitsAndGivesOwnedRowsBack() throws Exception {
    try (RunningEndpoint other = RunningEndpoint.start("ep_stop")) {
      other.db.exec(RunningEndpoint.queueTable("t", "v INT NOT NULL"), "INSERT INTO t VALUES (9)");
      Connection owner = other.connect();
      Connection waiter = other.connect();
      try (Statement st = owner.createStatement();
          ResultSet rs = st.executeQuery("SELECT queue_wait('t', 1)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      CompletableFuture<Throwable> waiting =
          CompletableFuture.supplyAsync(
              () -> {
                try (Statement st = waiter.createStatement()) {
                  st.executeQuery("SELECT queue_wait('t', 60)");
                  return null;
                } catch (SQLException e) {
                  return e;
                }
              });
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !waiting.isDone());
      long start = System.nanoTime();
      other.server.stop();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);
      assertThat(other.server.connectionCount()).isZero();
      other.server.stop(); // idempotent
      assertThatThrownBy(other.server::start).isInstanceOf(IllegalStateException.class);
      try (Connection c = other.db.connect();
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        try (ResultSet rs = st.executeQuery("SELECT v FROM t FOR UPDATE SKIP LOCKED")) {
          assertThat(rs.next()).as("the owned row is back and free").isTrue();
          assertThat(rs.getInt(1)).isEqualTo(9);
        }
        c.rollback();
      }
      owner.close();
      waiter.close();
    }
  }
}
