package org.q4mbridge.q4m.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * A {@link Q4mServer} on a free loopback port in front of a throw-away database on the test
 * MariaDB, with one client account ({@link #USER} / {@link #PASSWORD}) and recording stats.
 */
final class RunningEndpoint implements AutoCloseable {
  static final String USER = "legacy";
  static final String PASSWORD = "legacy-secret";

  final TestDatabase db;
  final Q4mServer server;
  final RecordingStats stats = new RecordingStats();

  private RunningEndpoint(TestDatabase db, Consumer<EndpointOptions.Builder> tweak)
      throws Exception {
    this.db = db;
    EndpointOptions.Builder b =
        EndpointOptions.builder()
            .host("127.0.0.1")
            .port(0)
            .backend(
                "jdbc:mysql://"
                    + TestDatabase.HOST
                    + ":"
                    + TestDatabase.PORT
                    + "/?useSSL=false&allowPublicKeyRetrieval=true",
                TestDatabase.USER,
                TestDatabase.PASSWORD)
            .user(USER, PASSWORD);
    tweak.accept(b);
    this.server = new Q4mServer(b.build(), stats);
    server.start();
  }

  static RunningEndpoint start(String prefix) throws Exception {
    return start(prefix, b -> {});
  }

  static RunningEndpoint start(String prefix, Consumer<EndpointOptions.Builder> tweak)
      throws Exception {
    TestDatabase db = TestDatabase.create(prefix);
    try {
      return new RunningEndpoint(db, tweak);
    } catch (Exception | Error e) {
      db.close();
      throw e;
    }
  }

  int port() {
    return server.port();
  }

  /** Plain Connector/J (no shim) to the endpoint, in the test database. */
  String url() {
    return url("");
  }

  /** {@link #url()} plus extra Connector/J properties ({@code &name=value…}). */
  String url(String extra) {
    return "jdbc:mysql://127.0.0.1:"
        + port()
        + "/"
        + db.name()
        + "?useSSL=false&allowPublicKeyRetrieval=true"
        + extra;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, PASSWORD);
  }

  Connection connect(String extra) throws SQLException {
    return DriverManager.getConnection(url(extra), USER, PASSWORD);
  }

  /** The CREATE TABLE of an emulated queue table (INVISIBLE row id, as the shim expects). */
  static String queueTable(String name, String columns) {
    return "CREATE TABLE "
        + name
        + " ("
        + columns
        + ", q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
        + " ENGINE=InnoDB";
  }

  @Override
  public void close() throws SQLException {
    try {
      server.stop();
    } finally {
      db.close();
    }
  }
}
