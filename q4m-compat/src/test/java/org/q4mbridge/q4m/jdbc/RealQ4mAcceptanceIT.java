package org.q4mbridge.q4m.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The Q4M acceptance suite on a real Q4M server: MySQL 8.0 with the QUEUE engine, built from {@code
 * docker/q4m} by Testcontainers, tables {@code ENGINE=QUEUE}, plain {@code jdbc:mysql:} connections
 * — the reference the emulation is measured against. Items 46, 47, 49 and 50 run their Q4M form
 * here.
 *
 * <p>Needs a Docker engine; without one the class is skipped ({@code disabledWithoutDocker}), as on
 * the project's CI machines. The image is built once and kept ({@code q4m-bridge/mysql-q4m}).
 */
@EnabledIf(
    value = "dockerEngineConfigured",
    disabledReason =
        "no Docker engine here (no /var/run/docker.sock, DOCKER_HOST unset): the real-Q4M suite"
            + " builds docker/q4m and runs it with Testcontainers")
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("real Q4M (MySQL 8.0 + QUEUE engine, Testcontainers)")
class RealQ4mAcceptanceIT extends Q4mAcceptanceSuite {
  private static final String USER = "root";
  private static final String PASSWORD = "";

  @Container
  private static final GenericContainer<?> Q4M =
      new GenericContainer<>(
              new ImageFromDockerfile("q4m-bridge/mysql-q4m:8.0.28", false)
                  .withFileFromPath(".", dockerDirectory()))
          .withExposedPorts(3306)
          .waitingFor(
              Wait.forLogMessage(".*ready for connections.*port: 3306.*", 1)
                  .withStartupTimeout(Duration.ofMinutes(5)));

  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database =
        ("it_real_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(url(""), USER, PASSWORD)) {
      exec(c, "CREATE DATABASE `" + database + "`");
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(url(""), USER, PASSWORD)) {
      exec(c, "DROP DATABASE IF EXISTS `" + database + "`");
    }
  }

  private static String url(String db) {
    return "jdbc:mysql://"
        + Q4M.getHost()
        + ":"
        + Q4M.getMappedPort(3306)
        + "/"
        + db
        + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** True when a Docker engine may be reachable: {@code DOCKER_HOST} or a local socket. */
  static boolean dockerEngineConfigured() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return true;
    }
    Path home = Path.of(System.getProperty("user.home", "/"));
    return Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(home.resolve(".docker/run/docker.sock"))
        || Files.exists(home.resolve(".testcontainers.properties"));
  }

  /** {@code docker/q4m} of the repository, found from the module's working directory. */
  private static Path dockerDirectory() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("docker").resolve("q4m");
      if (Files.isRegularFile(candidate.resolve("Dockerfile"))) {
        return candidate;
      }
      p = p.getParent();
    }
    return Path.of("docker", "q4m");
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url(database), USER, PASSWORD);
  }

  @Override
  protected String createQueue(String name, String columns) {
    return "CREATE TABLE " + name + " (" + columns + ") ENGINE=QUEUE";
  }

  @Override
  protected void forgetRelayWatermarks(Connection c) {
    // Q4M keeps them in the table file: re-creating the table forgot them already.
  }

  @Override
  protected boolean emulated() {
    return false;
  }

  @Override
  protected String[] childConnection() {
    return new String[] {url(database), USER, PASSWORD};
  }
}
