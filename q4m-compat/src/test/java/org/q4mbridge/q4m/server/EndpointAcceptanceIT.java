package org.q4mbridge.q4m.server;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.q4mbridge.q4m.jdbc.Q4mAcceptanceSuite;
import org.q4mbridge.q4m.relay.RelayDedup;

/**
 * The Q4M acceptance suite (Q4M-SEMANTICS.md §6, items 1–52 and D1–D6) through the endpoint: every
 * connection is plain Connector/J ({@code jdbc:mysql://} pointed at the endpoint, no shim on the
 * client side), so what a legacy client sees on the wire is what is tested. Queue tables are the
 * emulation's (InnoDB with an INVISIBLE {@code q4m_rowid}); items 46, 47, 49 and 50 run as the
 * emulation's documented DDL behaviour, like {@code Q4mAcceptanceIT}. Item 16 kills a separate JVM
 * that owns a row through the endpoint.
 */
@DisplayName("InnoDB emulation via the q4m-compat endpoint")
class EndpointAcceptanceIT extends Q4mAcceptanceSuite {
  private static RunningEndpoint endpoint;

  @BeforeAll
  static void startEndpoint() throws Exception {
    endpoint = RunningEndpoint.start("ep_accept");
  }

  @AfterAll
  static void stopEndpoint() throws SQLException {
    endpoint.close();
  }

  @Override
  protected Connection connect() throws SQLException {
    return endpoint.connect();
  }

  @Override
  protected String createQueue(String name, String columns) {
    return RunningEndpoint.queueTable(name, columns);
  }

  @Override
  protected void forgetRelayWatermarks(Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + RelayDedup.WATERMARK_TABLE);
    }
  }

  @Override
  protected boolean emulated() {
    return true;
  }

  @Override
  protected String[] childConnection() {
    return new String[] {endpoint.url(), RunningEndpoint.USER, RunningEndpoint.PASSWORD};
  }
}
