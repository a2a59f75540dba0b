package org.q4mbridge.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * What an operator sees when the configuration or the environment is wrong: the real launcher
 * prints one line {@code q4m-bridge: <path>: <what is wrong>} and exits with the documented code
 * ({@link ExitCode}); a stack trace only with {@code --verbose}. Files are checked with {@code
 * check --offline} in this JVM; what needs servers runs {@code run} as a child process, as systemd
 * would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliErrorsIT {
  private static final String STACK_FRAME = "\tat ";

  /** A valid file; every case changes one thing in it. */
  private static final String VALID =
      """
      database:
        url: "jdbc:mysql://127.0.0.1:3306/app"
        user: root
      sinks:
        redis-main: {type: redis-streams, uri: "redis://127.0.0.1:6379/0"}
      queues:
        - table: job_queue
          mode: emulated
          phase: cutover
          force: true
          sinks: [redis-main]
          destination: jobs
      """;

  @TempDir Path dir;

  private JobQueue queue;

  @BeforeAll
  void createQueue() throws Exception {
    queue = JobQueue.create("cli");
  }

  @AfterAll
  void dropQueue() throws Exception {
    if (queue != null) {
      queue.close();
    }
  }

  record Case(String name, UnaryOperator<String> change, ExitCode code, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case config(String name, UnaryOperator<String> change, String line) {
    return new Case(name, change, ExitCode.CONFIG, line);
  }

  private static UnaryOperator<String> replace(String from, String to) {
    return s -> {
      if (!s.contains(from)) {
        throw new IllegalArgumentException("'" + from + "' is not in the base configuration");
      }
      return s.replace(from, to);
    };
  }

  private static UnaryOperator<String> append(String text) {
    return s -> s + text;
  }

  static Stream<Case> malformed() {
    return Stream.of(
        config(
            "bad YAML: an indented key",
            replace("  user: root", "   user: root"),
            "line 3, column 4: expected <block end>, but found '<block mapping start>'"),
        config(
            "bad YAML: an unclosed list",
            append("    bestEffort: [redis-main\n"),
            "expected ',' or ']', but got <stream end> (while parsing a flow sequence that started"
                + " at line 13, column 17)"),
        config("an empty file", s -> "# nothing yet\n", ": the file has no settings"),
        config(
            "an unknown top-level key",
            append("metrics: {port: 9090}\n"),
            ": unknown top-level key 'metrics' (expected one of: database, sinks, queues,"),
        config(
            "an unknown key: a typo",
            append("    batchsize: 100\n"),
            "queues[0]: unknown key 'batchsize' (expected one of: "),
        config(
            "wrong type: words for a number",
            append("    batchSize: lots\n"),
            "queues[0].batchSize: expected a whole number from 1 to 10000, got 'lots'"),
        config(
            "wrong type: a list for a string",
            replace("user: root", "user: [root]"),
            "database.user: expected the bridge's MySQL account name, got a list"),
        config(
            "wrong type: a word for a boolean",
            append("    ordered: maybe\n"),
            "queues[0].ordered: expected true or false, got 'maybe'"),
        config(
            "an unknown sink type",
            replace("type: redis-streams", "type: kafka"),
            "sinks.redis-main.type: unknown sink type 'kafka' (known: redis-streams, sqs,"
                + " rabbitmq)"),
        config(
            "an unknown sink in a queue",
            replace("sinks: [redis-main]", "sinks: [redis-mian]"),
            "queues[0].sinks[0]: unknown sink 'redis-mian' (defined: redis-main)"),
        config(
            "a missing secret: unset environment variable",
            replace("  user: root\n", "  user: root\n  password: \"${env:Q4M_IT_UNSET_SECRET}\"\n"),
            "database.password: "),
        config(
            "a missing secret: no such file",
            replace(
                "  user: root\n",
                "  user: root\n  password: \"${file:/nonexistent/q4m-secret}\"\n"),
            "database.password: "),
        config(
            "a bad identifier: SQL in a table name",
            replace("table: job_queue", "table: \"job_queue; DROP TABLE users\""),
            "queues[0].table: "),
        config(
            "a bad identifier: the bridge schema",
            replace("  user: root\n", "  user: root\n  schema: \"app-2\"\n"),
            "database.schema: "),
        config(
            "a duration without a unit",
            append("shutdown: {grace: 30}\n"),
            "shutdown.grace: expected "),
        config(
            "a size in an unknown unit",
            replace(
                "uri: \"redis://127.0.0.1:6379/0\"",
                "uri: \"redis://127.0.0.1:6379/0\", maxMessageBytes: 1MB"),
            "sinks.redis-main.maxMessageBytes: expected "),
        config(
            "a missing required key",
            replace("    mode: emulated\n", ""),
            "queues[0].mode: missing (expected one of native, emulated)"),
        config(
            "a misspelt phase",
            replace("phase: cutover", "phase: cutovr"),
            "queues[0].phase: expected one of "),
        config(
            "credentials in the JDBC URL",
            replace("jdbc:mysql://127.0.0.1", "jdbc:mysql://root:secret@127.0.0.1"),
            "database.url: must not carry credentials"),
        config(
            "ordered with several consumers",
            append("    ordered: true\n    consumers: 4\n"),
            "queues[0].consumers: expected 1 because ordered is true"),
        config(
            "a broker URI of the wrong scheme",
            replace("redis://127.0.0.1:6379/0", "http://127.0.0.1:6379/0"),
            "sinks.redis-main.uri: expected a URI starting with redis://"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedFileIsOneLineNamingThePathAndExitsConfig(Case c) throws Exception {
    Path file = write(c);
    BridgeProcess.Finished r = Launcher.execute("check", "--offline", "--config", file.toString());
    System.out.printf("CliErrorsIT [%s] exit %d: %s", c.name(), r.exitCode(), r.err());

    assertThat(r.exitCode()).as(r.both()).isEqualTo(c.code().code());
    assertThat(r.err().lines().toList())
        .as("stderr")
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("q4m-bridge: ")
                    .contains(c.line())
                    .doesNotContain("Exception"));
    assertThat(r.out()).as("stdout").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void withVerboseTheSameErrorComesWithItsStackTrace(Case c) throws Exception {
    Path file = write(c);
    BridgeProcess.Finished r =
        Launcher.execute("check", "--verbose", "--offline", "--config", file.toString());

    assertThat(r.exitCode()).as(r.both()).isEqualTo(c.code().code());
    assertThat(r.err().lines().findFirst()).get().asString().contains(c.line());
    assertThat(r.err()).as("stderr").contains(STACK_FRAME);
  }

  @Test
  void aMissingFileNamesTheFileAndHowToGetAnExample() {
    BridgeProcess.Finished r =
        Launcher.execute("check", "--offline", "--config", dir.resolve("nope.yml").toString());
    System.out.printf("CliErrorsIT [missing file] exit %d: %s", r.exitCode(), r.err());
    assertThat(r.exitCode()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(r.err().lines().toList())
        .singleElement()
        .asString()
        .contains("nope.yml does not exist")
        .contains("check --example");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    BridgeProcess.Finished r = Launcher.execute("check", "--ofline");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err())
        .startsWith("q4m-bridge: Unknown option: '--ofline'")
        .doesNotContain(STACK_FRAME);
  }

  // ---- servers: `run` as a child process --------------------------------------------------------

  /** The base file pointed at the scenario's database, with {@code change} applied. */
  private Path serverFile(String name, String database, UnaryOperator<String> change)
      throws Exception {
    String text =
        VALID.replace(
            "jdbc:mysql://127.0.0.1:3306/app",
            "jdbc:mysql://"
                + TestDatabase.HOST
                + ":"
                + TestDatabase.PORT
                + "/"
                + database
                + "?useSSL=false&allowPublicKeyRetrieval=true");
    text = text.replace("user: root", "user: \"" + TestDatabase.USER + "\"");
    if (!TestDatabase.PASSWORD.isEmpty()) {
      text = text.replace("  user:", "  password: \"${env:Q4M_TEST_MYSQL_PASSWORD}\"\n  user:");
    }
    text = text.replace("redis://127.0.0.1:6379/0", SharedRedis.URI);
    Path file = dir.resolve(name + ".yml");
    Files.writeString(file, change.apply(text));
    return file;
  }

  private static BridgeProcess.Finished run(Path file, String... options) {
    String[] args =
        Stream.concat(Stream.of(options), Stream.of("run", "--config", file.toString()))
            .toArray(String[]::new);
    BridgeProcess.Finished r = BridgeProcess.once(Duration.ofSeconds(90), args);
    System.out.printf(
        Locale.ROOT, "CliErrorsIT [run %s] exit %d: %s", file.getFileName(), r.exitCode(), r.err());
    return r;
  }

  /** The lines the launcher itself printed ({@code q4m-bridge: …}), not the log. */
  private static List<String> errorLines(BridgeProcess.Finished r) {
    return r.err().lines().filter(l -> l.startsWith("q4m-bridge: ")).toList();
  }

  @Test
  void runAgainstAnUnreachableMysqlIsOneLineAndExitsUnavailable() throws Exception {
    Path file =
        serverFile(
            "mysql-down",
            queue.database().name(),
            s -> s.replace(TestDatabase.HOST + ":" + TestDatabase.PORT, "127.0.0.1:1"));
    BridgeProcess.Finished r = run(file);
    assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(r.err().lines().toList())
        .as("stderr")
        .singleElement()
        .asString()
        .startsWith("q4m-bridge: ")
        .contains("127.0.0.1:1");
  }

  @Test
  void runAgainstAnUnreachableRedisIsOneLineAndExitsUnavailable() throws Exception {
    Path file =
        serverFile(
            "redis-down",
            queue.database().name(),
            s -> s.replace(SharedRedis.URI, "redis://127.0.0.1:1/0"));
    BridgeProcess.Finished r = run(file);
    assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(errorLines(r))
        .singleElement()
        .isEqualTo(
            "q4m-bridge: redis-main: cannot connect to redis://127.0.0.1:1/0: Connection refused");
    assertThat(r.err()).doesNotContain(STACK_FRAME);
  }

  @Test
  void runWithVerboseShowsTheStackTraceOfTheSameError() throws Exception {
    Path file =
        serverFile(
            "redis-down-verbose",
            queue.database().name(),
            s -> s.replace(SharedRedis.URI, "redis://127.0.0.1:1/0"));
    BridgeProcess.Finished r = run(file, "--verbose");
    assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(errorLines(r)).first().asString().contains("redis-main: cannot connect");
    assertThat(r.err()).contains(STACK_FRAME);
  }

  @Test
  void runWithoutTheBridgeSchemaSaysToMigrateAndExitsSchema() throws Exception {
    try (TestDatabase bare = TestDatabase.create("cli_bare")) {
      Path file = serverFile("no-schema", bare.name(), UnaryOperator.identity());
      BridgeProcess.Finished r = run(file);
      assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.SCHEMA.code());
      assertThat(r.err().lines().toList())
          .as("stderr")
          .singleElement()
          .asString()
          .startsWith("q4m-bridge: bridge schema " + bare.name() + " is at version none")
          .endsWith("run 'q4m-bridge migrate' first");
    }
  }

  @Test
  void runOnAMissingQueueTableNamesItAndExitsConfig() throws Exception {
    Path file =
        serverFile(
            "no-table",
            queue.database().name(),
            s -> s.replace("table: job_queue", "table: no_such_table"));
    BridgeProcess.Finished r = run(file);
    assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(r.err())
        .contains(
            "queue table 'no_such_table' does not exist in database '"
                + queue.database().name()
                + "'")
        .doesNotContain(STACK_FRAME);
  }

  @Test
  void checkAgainstAnUnreachableMysqlReportsItOnOneLineAndExitsUnavailable() throws Exception {
    Path file =
        serverFile(
            "check-mysql-down",
            queue.database().name(),
            s -> s.replace(TestDatabase.HOST + ":" + TestDatabase.PORT, "127.0.0.1:1"));
    BridgeProcess.Finished r = Launcher.execute("check", "--config", file.toString());
    System.out.printf("CliErrorsIT [check mysql-down] exit %d: %s", r.exitCode(), r.err());
    assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(r.err().lines().toList())
        .as("stderr")
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith("q4m-bridge: "));
    assertThat(r.err().lines().findFirst()).get().asString().contains("127.0.0.1:1");
  }

  @Test
  void checkNamesTheMissingGrantOnTheLedgerWhileTransportVerificationIsOn() throws Exception {
    String db = queue.database().name();
    String user = "cli_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    queue
        .database()
        .exec(
            "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
            "GRANT SELECT ON `" + db + "`.* TO '" + user + "'@'%'",
            "GRANT DELETE ON `" + db + "`.`" + JobQueue.TABLE + "` TO '" + user + "'@'%'",
            "GRANT INSERT ON `" + db + "`.`q4m_dead_letter` TO '" + user + "'@'%'",
            "GRANT INSERT ON `" + db + "`.`q4m_transport_observation` TO '" + user + "'@'%'");
    try {
      Path file =
          serverFile(
              "check-ledger-grant",
              db,
              s ->
                  s.replace(
                      "user: \"" + TestDatabase.USER + "\"",
                      "user: \"" + user + "\"\n  password: pw"));
      BridgeProcess.Finished r = Launcher.execute("check", "--config", file.toString());
      System.out.printf("CliErrorsIT [check ledger grant] exit %d: %s", r.exitCode(), r.err());
      assertThat(r.exitCode()).as(r.both()).isEqualTo(ExitCode.PRIVILEGE.code());
      assertThat(r.err().lines().toList())
          .as("stderr")
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("q4m-bridge: ")
                      .contains("compare.transport", "q4m_ledger", "GRANT", "INSERT"))
          .noneSatisfy(l -> assertThat(l).contains("q4m_transport_observation"))
          .noneSatisfy(l -> assertThat(l).contains("deadLetter"));

      Path off =
          serverFile(
              "check-ledger-off",
              db,
              s ->
                  s.replace(
                          "user: \"" + TestDatabase.USER + "\"",
                          "user: \"" + user + "\"\n  password: pw")
                      + "compare: { transport: { enabled: false } }\n");
      BridgeProcess.Finished without = Launcher.execute("check", "--config", off.toString());
      assertThat(without.exitCode()).as(without.both()).isEqualTo(ExitCode.OK.code());
    } finally {
      queue.database().exec("DROP USER IF EXISTS '" + user + "'@'%'");
    }
  }

  private Path write(Case c) throws Exception {
    Path file = dir.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-") + ".yml");
    Files.writeString(file, c.change().apply(VALID));
    return file;
  }
}
