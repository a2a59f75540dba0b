package org.q4mbridge.q4m.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The Q4M acceptance suite (Q4M-SEMANTICS.md §6, items 1–52 and D1–D6) on the InnoDB emulation:
 * queue tables are InnoDB tables with an INVISIBLE {@code q4m_rowid}, and every connection goes
 * through the {@code jdbc:q4m:} shim to the local MariaDB.
 *
 * <p>Covered: items 01–52 and D1–D6, 58 in all (the list is in {@link Q4mAcceptanceSuite}); 46, 47,
 * 49 and 50 as the emulation's documented DDL behaviour ({@code itemNN_emulation_…}), their Q4M
 * forms skipped here. The class prints {@code Q4M acceptance [...]: 58 of 58 items covered} to its
 * Failsafe output.
 */
@DisplayName("InnoDB emulation via jdbc:q4m:")
class Q4mAcceptanceIT extends Q4mAcceptanceSuite {
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() throws SQLException {
    db = TestDatabase.create("accept");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    db.close();
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(db.shimUrl(), TestDatabase.USER, TestDatabase.PASSWORD);
  }

  @Override
  protected String createQueue(String name, String columns) {
    return "CREATE TABLE "
        + name
        + " ("
        + columns
        + ", q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
        + " ENGINE=InnoDB";
  }

  @Override
  protected void forgetRelayWatermarks(Connection c) throws SQLException {
    exec(c, "DROP TABLE IF EXISTS " + org.q4mbridge.q4m.relay.RelayDedup.WATERMARK_TABLE);
  }

  @Override
  protected boolean emulated() {
    return true;
  }

  @Override
  protected String[] childConnection() {
    return new String[] {db.shimUrl(), TestDatabase.USER, TestDatabase.PASSWORD};
  }
}
