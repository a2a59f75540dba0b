package org.q4mbridge.q4m.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.q4mbridge.q4m.ConnectionFactory;

/**
 * A throw-away database on the real MariaDB the integration tests use (127.0.0.1:3306, root with an
 * empty password; override with Q4M_TEST_MYSQL_HOST / _PORT / _USER / _PASSWORD). Each test class
 * gets its own database, so tests and parallel builds never see each other's tables.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String HOST = env("Q4M_TEST_MYSQL_HOST", "127.0.0.1");
  public static final String PORT = env("Q4M_TEST_MYSQL_PORT", "3306");
  public static final String USER = env("Q4M_TEST_MYSQL_USER", "root");
  public static final String PASSWORD = env("Q4M_TEST_MYSQL_PASSWORD", "");

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  /** Creates {@code it_<prefix>_<random>}. */
  public static TestDatabase create(String prefix) throws SQLException {
    String name =
        ("it_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
    }
    return new TestDatabase(name);
  }

  /** The JDBC URL of the server without a database. */
  public static String serverUrl() {
    return "jdbc:mysql://" + HOST + ":" + PORT + "/?useSSL=false&allowPublicKeyRetrieval=true";
  }

  public String name() {
    return name;
  }

  /** {@code jdbc:mysql://host:port/<db>?...}. */
  public String url() {
    return "jdbc:mysql://"
        + HOST
        + ":"
        + PORT
        + "/"
        + name
        + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** {@code jdbc:q4m:mysql://host:port/<db>?...}: the same database through the Q4M shim. */
  public String shimUrl() {
    return "jdbc:q4m:" + url().substring("jdbc:".length());
  }

  /** A new plain connection (autocommit) to this database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, PASSWORD);
  }

  /** Dedicated connections for queue sources. */
  public ConnectionFactory connections() {
    Properties p = new Properties();
    p.setProperty("useSSL", "false");
    return ConnectionFactory.jdbc(url(), USER, PASSWORD, p);
  }

  /** Runs statements on a fresh connection. */
  public void exec(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** Applies the bridge's own Flyway migrations (plain SQL files in ../sql) to this database. */
  public void applyBridgeSchema() throws Exception {
    Path dir = locateSqlDir();
    try (var files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
              .sorted((a, b) -> Integer.compare(version(a), version(b)))
              .toList()) {
        for (String stmt : splitStatements(Files.readString(f))) {
          exec(stmt);
        }
      }
    }
  }

  private static int version(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(1, n.indexOf("__")));
  }

  /** Splits a migration file on semicolons that end a line; strips {@code --} comment lines. */
  static java.util.List<String> splitStatements(String sql) {
    StringBuilder cleaned = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        cleaned.append(line).append('\n');
      }
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String s : cleaned.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        out.add(s.strip().replaceAll(";$", ""));
      }
    }
    return out;
  }

  private static Path locateSqlDir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("sql")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("sql");
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "cannot find the sql/ folder above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS `" + name + "`");
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}
