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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Perl DBI — Debian's DBD::mysql (libdbd-mysql-perl) and DBD::MariaDB (libdbd-mariadb-perl),
 * each with client-side placeholders and with server-side prepared statements — running the
 * two-statement Q4M worker loop from {@code src/test/resources/perl} unchanged. Fails, naming the
 * packages, when a driver is missing.
 */
class PerlClientIT {
  static final String PACKAGES = "libdbd-mysql-perl libdbd-mariadb-perl";

  private static RunningEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    ClientProcess.require(
        "Perl DBI with DBD::mysql and DBD::MariaDB",
        PACKAGES,
        "perl",
        "-MDBI",
        "-MDBD::mysql",
        "-MDBD::MariaDB",
        "-e",
        "1");
    endpoint = RunningEndpoint.start("ep_perl");
  }

  @AfterAll
  static void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static List<String> perl(String script, String driver, boolean prepare, String... more) {
    List<String> cmd = new ArrayList<>();
    cmd.add("perl");
    cmd.add(ClientProcess.script("perl/" + script));
    cmd.add(driver);
    cmd.add("127.0.0.1");
    cmd.add(Integer.toString(endpoint.port()));
    cmd.add(endpoint.db.name());
    cmd.add(RunningEndpoint.USER);
    cmd.add(RunningEndpoint.PASSWORD);
    cmd.add(prepare ? "1" : "0");
    cmd.addAll(List.of(more));
    return cmd;
  }

  @ParameterizedTest(name = "DBD::{0}, server-side prepare {1}")
  @CsvSource({"mysql, false", "mysql, true", "MariaDB, false", "MariaDB, true"})
  void twoStatementWorkersProcessEveryJobExactlyOnce(String driver, boolean prepare)
      throws Exception {
    endpoint.db.exec(
        "DROP TABLE IF EXISTS job_queue",
        RunningEndpoint.queueTable(
            "job_queue", "job_id INT NOT NULL, payload VARCHAR(255) NOT NULL"));
    int jobs = 120;
    int workers = 2;
    List<ClientProcess> running = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        running.add(ClientProcess.start(perl("worker.pl", driver, prepare)));
      }
      ClientProcess.Result produced =
          ClientProcess.run(
              Duration.ofMinutes(2),
              perl("producer.pl", driver, prepare, "1", Integer.toString(jobs), "2"));
      assertThat(produced.exitCode()).as(produced.text()).isZero();
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
      assertThat(done.stream().filter(v -> !seen.add(v)).toList()).as("duplicates").isEmpty();
      assertThat(seen)
          .isEqualTo(IntStream.rangeClosed(1, jobs).boxed().collect(Collectors.toSet()));
      assertThat(output).filteredOn(l -> l.equals("STOPPED")).hasSize(workers);
      try (Connection c = endpoint.db.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM job_queue")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    } finally {
      for (ClientProcess w : running) {
        w.close();
      }
    }
  }
}
