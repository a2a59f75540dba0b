package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code mariadb} command-line client and {@code mariadb-admin} (Debian's mariadb-client)
 * against the endpoint: ordinary queries, Q4M statements in a batch, and the errors an operator
 * sees.
 */
class MariadbCliIT {
  static final String PACKAGES = "mariadb-client";

  private static RunningEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    ClientProcess.require("the mariadb command-line client", PACKAGES, "mariadb", "--version");
    endpoint = RunningEndpoint.start("ep_cli");
    endpoint.db.exec(
        RunningEndpoint.queueTable("job_queue", "job_id INT NOT NULL, payload VARCHAR(64)"),
        "CREATE TABLE plain_t (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO plain_t VALUES (1, 'één'), (2, 'two')");
  }

  @AfterAll
  static void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static ClientProcess.Result cli(String password, String db, String sql) throws Exception {
    return cli(password, db, sql, "--batch");
  }

  private static ClientProcess.Result cli(String password, String db, String sql, String... opts)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mariadb", "-h127.0.0.1", "-P" + endpoint.port()));
    cmd.add("-u" + RunningEndpoint.USER);
    cmd.add("-p" + password);
    cmd.addAll(List.of(opts));
    if (db != null) {
      cmd.add(db);
    }
    cmd.add("-e");
    cmd.add(sql);
    return ClientProcess.run(Duration.ofMinutes(1), cmd);
  }

  @Test
  void ordinaryQueriesRunAsOnTheServer() throws Exception {
    ClientProcess.Result r =
        cli(
            RunningEndpoint.PASSWORD,
            endpoint.db.name(),
            "SELECT 1; SHOW TABLES; SELECT name FROM plain_t ORDER BY id");
    assertThat(r.exitCode()).as(r.text()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "1",
            "1",
            "Tables_in_" + endpoint.db.name(),
            "job_queue",
            "plain_t",
            "name",
            "één",
            "two");
  }

  @Test
  void aBatchOfQ4mStatementsTakesAndEndsAJob() throws Exception {
    ClientProcess.Result r =
        cli(
            RunningEndpoint.PASSWORD,
            endpoint.db.name(),
            "INSERT INTO job_queue VALUES (7, 'seven');"
                + " SELECT queue_wait('job_queue', 1); SELECT job_id, payload FROM job_queue;"
                + " SELECT queue_end(); SELECT COUNT(*) FROM job_queue");
    assertThat(r.exitCode()).as(r.text()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "queue_wait('job_queue', 1)",
            "1",
            "job_id\tpayload",
            "7\tseven",
            "queue_end()",
            "1",
            "COUNT(*)",
            "0");
  }

  @Test
  void aLatin1ClientGetsLatin1BytesAlsoFromOwnerModeReads() throws Exception {
    endpoint.db.exec("DELETE FROM job_queue", "INSERT INTO job_queue VALUES (8, 'çà ü')");
    List<String> direct =
        ClientProcess.run(
                Duration.ofMinutes(1),
                List.of(
                    "mariadb",
                    "-h" + org.q4mbridge.q4m.testing.TestDatabase.HOST,
                    "-P" + org.q4mbridge.q4m.testing.TestDatabase.PORT,
                    "-u" + org.q4mbridge.q4m.testing.TestDatabase.USER,
                    "--password=" + org.q4mbridge.q4m.testing.TestDatabase.PASSWORD,
                    "--batch",
                    "--default-character-set=latin1",
                    endpoint.db.name(),
                    "-e",
                    "SELECT payload FROM job_queue"))
            .lines();
    // latin1 bytes are not UTF-8: what the test reads is not the UTF-8 text
    assertThat(direct.get(1)).isNotEqualTo("çà ü");
    ClientProcess.Result r =
        cli(
            RunningEndpoint.PASSWORD,
            endpoint.db.name(),
            "SELECT payload FROM job_queue; SELECT queue_wait('job_queue', 1) AS w;"
                + " SELECT payload FROM job_queue; SELECT queue_end() AS e",
            "--batch",
            "--default-character-set=latin1");
    assertThat(r.exitCode()).as(r.text()).isZero();
    // a plain read (user connection) and an owner-mode read (the shim's queue connection)
    assertThat(r.lines())
        .containsExactly("payload", direct.get(1), "w", "1", "payload", direct.get(1), "e", "1");
  }

  @Test
  void errorsShowTheirCodesAndSqlStates() throws Exception {
    ClientProcess.Result wrongPassword = cli("wrong", null, "SELECT 1");
    assertThat(wrongPassword.exitCode()).isEqualTo(1);
    assertThat(wrongPassword.text())
        .contains("ERROR 1045 (28000)")
        .contains("Access denied for user '" + RunningEndpoint.USER + "'");
    ClientProcess.Result noTable =
        cli(RunningEndpoint.PASSWORD, endpoint.db.name(), "SELECT * FROM no_such_table");
    assertThat(noTable.exitCode()).isEqualTo(1);
    assertThat(noTable.text()).contains("ERROR 1146 (42S02)");
    ClientProcess.Result noDb = cli(RunningEndpoint.PASSWORD, "no_such_db_x", "SELECT 1");
    assertThat(noDb.exitCode()).isEqualTo(1);
    assertThat(noDb.text()).contains("ERROR 1049 (42000)");
    ClientProcess.Result abort =
        cli(RunningEndpoint.PASSWORD, endpoint.db.name(), "SELECT queue_abort()");
    assertThat(abort.text()).contains("ERROR 1123 (HY000)").contains("not in owner mode");
  }

  @Test
  void mariadbAdminPingsAndReadsStatus() throws Exception {
    List<String> base =
        List.of(
            "mariadb-admin",
            "-h127.0.0.1",
            "-P" + endpoint.port(),
            "-u" + RunningEndpoint.USER,
            "-p" + RunningEndpoint.PASSWORD);
    List<String> ping = new ArrayList<>(base);
    ping.add("ping");
    ClientProcess.Result p = ClientProcess.run(Duration.ofSeconds(30), ping);
    assertThat(p.exitCode()).as(p.text()).isZero();
    assertThat(p.text()).contains("is alive");
    List<String> status = new ArrayList<>(base);
    status.add("status");
    ClientProcess.Result s = ClientProcess.run(Duration.ofSeconds(30), status);
    assertThat(s.exitCode()).as(s.text()).isZero();
    assertThat(s.text()).contains("Uptime:").contains("Questions:");
  }
}
