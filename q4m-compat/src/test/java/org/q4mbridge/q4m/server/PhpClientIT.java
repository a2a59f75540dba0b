package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Real PHP (Debian's php-cli and php-mysql: PDO with mysqlnd, mysqli) against the endpoint, with
 * the scripts in {@code src/test/resources/php} — written as legacy Q4M code is, and run unchanged.
 * Fails, naming the packages, when PHP is missing.
 */
class PhpClientIT {
  static final String PACKAGES = "php-cli php-mysql";

  private static RunningEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    ClientProcess.require(
        "PHP with PDO MySQL and mysqli",
        PACKAGES,
        "php",
        "-r",
        "exit(extension_loaded('pdo_mysql') && extension_loaded('mysqli') ? 0 : 1);");
    endpoint = RunningEndpoint.start("ep_php");
  }

  @AfterAll
  static void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @BeforeEach
  void freshQueue() throws Exception {
    endpoint.db.exec(
        "DROP TABLE IF EXISTS job_queue",
        RunningEndpoint.queueTable(
            "job_queue", "job_id INT NOT NULL, payload VARCHAR(255) NOT NULL"));
  }

  private static List<String> php(String script, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("php");
    cmd.add(ClientProcess.script("php/" + script));
    cmd.add("127.0.0.1");
    cmd.add(Integer.toString(endpoint.port()));
    cmd.add(endpoint.db.name());
    cmd.add(RunningEndpoint.USER);
    cmd.add(RunningEndpoint.PASSWORD);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static long rowsLeft() throws Exception {
    try (Connection c = endpoint.db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM job_queue")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void producerAndWorkersProcessEveryJobExactlyOnceWithAbortsRedelivered() throws Exception {
    int jobs = 300;
    int workers = 3;
    List<ClientProcess> running = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        running.add(ClientProcess.start(php("worker.php")));
      }
      ClientProcess.Result produced =
          ClientProcess.run(
              Duration.ofMinutes(2),
              php("producer.php", "1", Integer.toString(jobs), Integer.toString(workers)));
      assertThat(produced.exitCode()).as(produced.text()).isZero();
      assertThat(produced.lines()).contains("PRODUCED " + jobs);
      List<String> output = new ArrayList<>();
      for (ClientProcess w : running) {
        assertThat(w.waitFor(Duration.ofMinutes(3))).as(w.output().toString()).isZero();
        output.addAll(w.output());
      }
      List<Integer> done =
          output.stream()
              .filter(l -> l.startsWith("DONE "))
              .map(l -> Integer.parseInt(l.substring(5)))
              .collect(Collectors.toList());
      Set<Integer> seen = new HashSet<>();
      assertThat(done.stream().filter(v -> !seen.add(v)).toList())
          .as("jobs done more than once")
          .isEmpty();
      assertThat(seen)
          .as("jobs done")
          .isEqualTo(IntStream.rangeClosed(1, jobs).boxed().collect(Collectors.toSet()));
      assertThat(output).filteredOn(l -> l.startsWith("ABORTED ")).isNotEmpty();
      assertThat(output).filteredOn(l -> l.equals("STOPPED")).hasSize(workers);
      assertThat(output)
          .filteredOn(
              l -> l.startsWith("CORRUPT") || l.startsWith("NOT-ENDED") || l.contains("Fatal"))
          .isEmpty();
      assertThat(rowsLeft()).isZero();
    } finally {
      for (ClientProcess w : running) {
        w.close();
      }
    }
  }

  @Test
  void aWorkerKilledWhileOwningAJobHasItRedelivered() throws Exception {
    endpoint.db.exec("INSERT INTO job_queue VALUES (42, 'job 42 ünïcödé')");
    try (ClientProcess holder = ClientProcess.start(php("hold.php"))) {
      assertThat(
              holder.awaitLine(
                  l -> l.startsWith("OWNED") || l.startsWith("NOTHING"), Duration.ofSeconds(30)))
          .isEqualTo("OWNED 42");
      // Owned: other clients of the endpoint do not see it.
      try (Connection c = endpoint.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM job_queue")) {
        assertThat(rs.next()).isFalse();
      }
      holder.kill();
      assertThat(holder.isAlive()).isFalse();
    }
    endpoint.db.exec("INSERT INTO job_queue VALUES (-1, 'STOP')");
    ClientProcess.Result worker = ClientProcess.run(Duration.ofMinutes(1), php("worker.php"));
    assertThat(worker.exitCode()).as(worker.text()).isZero();
    assertThat(worker.lines()).containsExactly("DONE 42", "STOPPED");
    assertThat(rowsLeft()).isZero();
  }

  @Test
  void pdoAndMysqliPreparedStatementsSeeWhatTheServerItselfShows() throws Exception {
    String table = "types_t";
    endpoint.db.exec(
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (id INT NOT NULL PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,"
            + " mi MEDIUMINT, bi BIGINT, bu BIGINT UNSIGNED, d DECIMAL(12,3), f FLOAT, db DOUBLE,"
            + " dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP NULL, da DATE, tm TIME(3), y YEAR,"
            + " vc VARCHAR(40), ch CHAR(4), tx TEXT, bin VARBINARY(16), e ENUM('a','b'),"
            + " s SET('x','y'), l1 VARCHAR(10) CHARACTER SET latin1, nn INT NULL)",
        "DELETE FROM " + table,
        "INSERT INTO "
            + table
            + " VALUES (1, -5, 250, -300, 70000, -9000000000, 18446744073709551615, -12.5, 1.25,"
            + " 3.14159, '2024-01-02 03:04:05.000120', '2024-01-02 03:04:05', '2024-05-06 07:08:09',"
            + " '2024-01-02', '-12:34:56.789', 2024, 'héllo wörld', 'ab', 'text ü 名', x'00ff10',"
            + " 'b', 'x,y', 'çà', NULL),"
            + " (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, '1999-12-31 23:59:59', '2000-01-01 00:00:00', NULL,"
            + " '2000-01-01', '00:00:00', 1999, '', '', '', x'', 'a', '', '', 7)");
    List<String> args = new ArrayList<>(List.of("php", ClientProcess.script("php/types.php")));
    ClientProcess.Result viaEndpoint =
        ClientProcess.run(
            Duration.ofMinutes(1),
            cat(
                args,
                "127.0.0.1",
                Integer.toString(endpoint.port()),
                endpoint.db.name(),
                RunningEndpoint.USER,
                RunningEndpoint.PASSWORD,
                table));
    ClientProcess.Result direct =
        ClientProcess.run(
            Duration.ofMinutes(1),
            cat(
                args,
                TestDatabase.HOST,
                TestDatabase.PORT,
                endpoint.db.name(),
                TestDatabase.USER,
                TestDatabase.PASSWORD,
                table));
    assertThat(direct.exitCode()).as(direct.text()).isZero();
    assertThat(viaEndpoint.exitCode()).as(viaEndpoint.text()).isZero();
    assertThat(viaEndpoint.text()).isEqualTo(direct.text());
  }

  private static List<String> cat(List<String> head, String... tail) {
    List<String> out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
  }
}
