package org.q4mbridge.q4m.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.testing.TestDatabase;

/** {@link RelayDedup} on plain Connector/J connections, as the daemon's drain-back uses it. */
class RelayDedupIT {
  private static TestDatabase db;
  private TableRef dest;

  @BeforeAll
  static void createDatabase() throws SQLException {
    db = TestDatabase.create("relay");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    db.close();
  }

  @BeforeEach
  void createDestination() throws SQLException {
    db.exec(
        "DROP TABLE IF EXISTS dest",
        "DROP TABLE IF EXISTS " + RelayDedup.WATERMARK_TABLE,
        "CREATE TABLE dest (v INT NOT NULL, q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT"
            + " INVISIBLE PRIMARY KEY) ENGINE=InnoDB");
    dest = new TableRef(db.name(), "dest");
  }

  private static Connection transactional() throws SQLException {
    Connection c = db.connect();
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return c;
  }

  /** Relays one row with value {@code v} and commits. */
  private boolean relay(int slot, char mode, long rowId, int v) throws SQLException {
    try (Connection c = transactional()) {
      boolean stored = RelayDedup.insertOnce(c, dest, slot, mode, rowId, insertValue(v));
      c.commit();
      return stored;
    }
  }

  private static RelayDedup.Insert insertValue(int v) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO dest VALUES (?)")) {
        ps.setInt(1, v);
        ps.executeUpdate();
      }
    };
  }

  private List<Integer> destRows() throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM dest ORDER BY q4m_rowid")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  @Test
  void appendModeStoresNewRowIdsAndDropsOnesAtOrBelowTheWatermark() throws SQLException {
    assertThat(relay(0, 'a', 5, 5)).isTrue();
    assertThat(relay(0, 'a', 5, 5)).isFalse();
    assertThat(relay(0, 'a', 3, 3)).isFalse();
    assertThat(relay(0, 'a', 6, 6)).isTrue();
    assertThat(destRows()).containsExactly(5, 6);
    try (Connection c = db.connect()) {
      assertThat(RelayDedup.watermark(c, dest, 0)).hasValue(6);
    }
  }

  @Test
  void writeModeAlwaysStoresAndMovesTheWatermarkEvenBackwards() throws SQLException {
    relay(1, 'a', 10, 10);
    assertThat(relay(1, 'w', 2, 2)).isTrue();
    assertThat(relay(1, 'a', 3, 3)).isTrue();
    assertThat(relay(1, 'a', 3, 3)).isFalse();
    assertThat(destRows()).containsExactly(10, 2, 3);
  }

  @Test
  void slotsAreIndependent() throws SQLException {
    relay(0, 'a', 7, 7);
    assertThat(relay(1, 'a', 7, 7)).isTrue();
    assertThat(destRows()).containsExactly(7, 7);
  }

  @Test
  void aRolledBackRelayLeavesNeitherRowNorWatermark() throws SQLException {
    try (Connection c = transactional()) {
      assertThat(RelayDedup.insertOnce(c, dest, 0, 'a', 9, insertValue(9))).isTrue();
      c.rollback();
    }
    assertThat(destRows()).isEmpty();
    assertThat(relay(0, 'a', 9, 9)).isTrue();
  }

  @Test
  void twoRelaysOfTheSameRowAtOnceStoreItOnce() throws Exception {
    db.exec(
        "CREATE TABLE IF NOT EXISTS "
            + RelayDedup.WATERMARK_TABLE
            + " (table_name VARCHAR(64) NOT NULL, slot TINYINT UNSIGNED NOT NULL,"
            + " last_rowid BIGINT NOT NULL, updated_at TIMESTAMP(3) NOT NULL DEFAULT"
            + " CURRENT_TIMESTAMP(3), PRIMARY KEY (table_name, slot)) ENGINE=InnoDB");
    try (Connection first = transactional();
        Connection second = transactional()) {
      long secondId = connectionId(second);
      assertThat(RelayDedup.insertOnce(first, dest, 0, 'a', 4, insertValue(4))).isTrue();
      CompletableFuture<Boolean> racing =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  boolean stored = RelayDedup.insertOnce(second, dest, 0, 'a', 4, insertValue(4));
                  second.commit();
                  return stored;
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock(secondId));
      first.commit();
      assertThat(racing.get(10, TimeUnit.SECONDS)).isFalse();
    }
    assertThat(destRows()).containsExactly(4);
  }

  @Test
  void theWatermarkTableIsCreatedOnFirstUse() throws SQLException {
    assertThat(relay(0, 'a', 1, 1)).isTrue();
    try (Connection c = db.connect();
        ResultSet rs =
            c.getMetaData().getTables(db.name(), null, RelayDedup.WATERMARK_TABLE, null)) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void anAccountThatMayNotCreateTheTableIsToldWhichGrantToAskFor() throws SQLException {
    String account = "it_relay_" + Long.toHexString(System.nanoTime() & 0xffffff);
    db.exec(
        "CREATE USER '" + account + "'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT, INSERT, UPDATE ON `" + db.name() + "`.* TO '" + account + "'@'%'");
    try (Connection c =
        DriverManager.getConnection(db.url().replace("?", "?user=" + account + "&password=pw&"))) {
      c.setAutoCommit(false);
      assertThatThrownBy(() -> RelayDedup.insertOnce(c, dest, 0, 'a', 1, insertValue(1)))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("GRANT CREATE ON `" + db.name() + "`.* TO '" + account + "'@'%'")
          .hasMessageContaining("sql/templates/relay-watermark.sql")
          .hasMessageContaining("CREATE command denied");
    } finally {
      db.exec("DROP USER '" + account + "'@'%'");
    }
  }

  @Test
  void badArgumentsAndAutoCommitConnectionsAreRefused() throws SQLException {
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> RelayDedup.insertOnce(c, dest, 0, 'a', 1, insertValue(1)))
          .hasMessageContaining("auto-commit");
      c.setAutoCommit(false);
      assertThatThrownBy(() -> RelayDedup.insertOnce(c, dest, 64, 'a', 1, insertValue(1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> RelayDedup.insertOnce(c, dest, 0, 'x', 1, insertValue(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static long connectionId(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean waitingForALock(long connectionId) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                    + " WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'")) {
      ps.setLong(1, connectionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
