package org.q4mbridge.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.q4mbridge.compare.jdbc.Connections;

/**
 * A throw-away database {@code it_<prefix>_<random>} on the real MariaDB the integration tests use
 * (127.0.0.1:3306, root with an empty password; override with Q4M_TEST_MYSQL_HOST / _PORT / _USER /
 * _PASSWORD), with the comparison tables of {@code sql/V3__compare.sql}. Dropped on close.
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

  /** Creates the database and applies the comparison schema. */
  public static TestDatabase create(String prefix) throws Exception {
    String name =
        ("it_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
    }
    TestDatabase db = new TestDatabase(name);
    for (String stmt : statements(Files.readString(migration("V3__compare.sql")))) {
      db.exec(stmt);
    }
    return db;
  }

  public static String serverUrl() {
    return "jdbc:mysql://" + HOST + ":" + PORT + "/?useSSL=false&allowPublicKeyRetrieval=true";
  }

  public String name() {
    return name;
  }

  public String url() {
    return "jdbc:mysql://" + HOST + ":" + PORT + "/" + name + "?useSSL=false";
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, PASSWORD);
  }

  /** What the module's writers and queries take. */
  public Connections connections() {
    return this::connect;
  }

  public void exec(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** Finds {@code sql/<file>} above the working directory (the module or the repository root). */
  public static Path migration(String file) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path f = p.resolve("sql").resolve(file);
      if (Files.exists(f)) {
        return f;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "cannot find sql/" + file + " above " + Path.of("").toAbsolutePath());
  }

  /** Splits a migration on semicolons that end a line, dropping {@code --} comment lines. */
  public static List<String> statements(String sql) {
    StringBuilder cleaned = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        cleaned.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : cleaned.toString().split(";\\s*\n")) {
      if (!s.isBlank()) {
        out.add(s.strip().replaceAll(";$", ""));
      }
    }
    return out;
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
