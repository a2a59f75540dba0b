package org.q4mbridge.bridge.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of one test's own — its own data directory, port and socket, started from the
 * machine's {@code mariadbd} — so that a test can crash it ({@link #kill()}), shut it down ({@link
 * #stop()}) and start it again on the same data and port without touching the server other tests
 * and builds share. InnoDB recovers on each start, exactly as in production. The account {@code
 * bridge}/{@code bridge} on {@code 127.0.0.1} has every privilege.
 */
final class ThrowawayMariaDb implements AutoCloseable {
  static final String USER = "bridge";
  static final String PASSWORD = "bridge";
  private static final Duration START_BOUND = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final Thread reaper = new Thread(this::killQuietly, "throwaway-mariadb-reaper");
  private Process process;
  private int starts;

  private ThrowawayMariaDb(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Initialises a data directory with {@code mariadb-install-db} and starts the server on it. */
  static ThrowawayMariaDb launch() throws Exception {
    Path dir = Files.createTempDirectory("q4m-bridge-mariadb-");
    ThrowawayMariaDb db = new ThrowawayMariaDb(dir, freePort());
    try {
      Runtime.getRuntime().addShutdownHook(db.reaper); // no server outlives a killed test JVM
      db.install();
      Files.writeString(
          dir.resolve("init.sql"),
          "CREATE USER IF NOT EXISTS 'bridge'@'127.0.0.1' IDENTIFIED BY 'bridge';\n"
              + "GRANT ALL PRIVILEGES ON *.* TO 'bridge'@'127.0.0.1' WITH GRANT OPTION;\n");
      db.start();
      return db;
    } catch (Exception e) {
      db.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** How many times the server was started (1 after {@link #launch()}). */
  int starts() {
    return starts;
  }

  /** {@code jdbc:mysql://127.0.0.1:<port>/<database>?useSSL=false}. */
  String url(String database) {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?useSSL=false";
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), USER, PASSWORD);
  }

  /** Starts the server and waits (bounded) until it accepts a login. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> cmd = new ArrayList<>(serverCommand());
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + cmd, e);
    }
    starts++;
    Process started = process;
    await("the throw-away MariaDB on port " + port + " accepting logins (see " + dir + ")")
        .atMost(START_BOUND)
        .pollInterval(Duration.ofMillis(50))
        .failFast("mariadbd exited: " + dir.resolve("error.log"), () -> !started.isAlive())
        .ignoreExceptionsInstanceOf(SQLException.class)
        .until(
            () -> {
              try (Connection c = connect("")) {
                return c.isValid(1);
              }
            });
  }

  /** SIGKILL: the server crashes with transactions open; the next start runs crash recovery. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM: a clean shutdown (connections are closed, InnoDB flushes), waited for. */
  synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
      // the hook runs, or never was registered
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }

  private void killQuietly() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private void install() throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            tool("mariadb-install-db", "mysql_install_db"),
            "--no-defaults",
            "--datadir=" + dir.resolve("data"),
            "--user=" + System.getProperty("user.name"),
            "--auth-root-authentication-method=normal",
            "--skip-test-db");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("install.out").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "mariadb-install-db failed: " + Files.readString(dir.resolve("install.out")));
    }
  }

  private List<String> serverCommand() {
    return List.of(
        tool("mariadbd", "mysqld"),
        "--no-defaults",
        "--datadir=" + dir.resolve("data"),
        "--socket=" + dir.resolve("mysqld.sock"),
        "--pid-file=" + dir.resolve("mysqld.pid"),
        "--log-error=" + dir.resolve("error.log"),
        "--port=" + port,
        "--bind-address=127.0.0.1",
        "--user=" + System.getProperty("user.name"),
        "--init-file=" + dir.resolve("init.sql"),
        "--innodb-buffer-pool-size=64M",
        "--max-connections=200",
        "--skip-name-resolve");
  }

  /** The first of the names found in /usr/sbin, /usr/bin or /usr/local/{s,}bin. */
  private static String tool(String... names) {
    for (String name : names) {
      for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    throw new IllegalStateException(
        "none of " + List.of(names) + " found: install the mariadb-server package");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
