package org.q4mbridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a configuration can be wrong yields one clear line per problem, starting with the path
 * of the setting and saying what is expected — and nothing else (no follow-on noise).
 */
class ConfigErrorsTest {

  static final Map<String, String> ENV =
      Map.of("BRIDGE_DB_PASSWORD", "db-secret-1", "BATCH", "hunter2-batch");

  /** A valid configuration; every case below changes one thing in it. */
  static final String VALID =
      """
      database:
        url: "jdbc:mysql://127.0.0.1:3306/app"
        user: bridge
        password: "${env:BRIDGE_DB_PASSWORD}"
      sinks:
        redis-main: {type: redis-streams, uri: "redis://127.0.0.1:6379/0"}
        sqs-main: {type: sqs, region: ap-northeast-1}
      queues:
        - table: job_queue
          mode: native
          phase: mirror
          sinks: [redis-main]
      """;

  static BridgeConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "bridge.yml", ENV::get);
  }

  static List<String> errorsOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("expected the configuration to be rejected").isNotNull();
    return e.errors();
  }

  @Test
  void theBaseConfigurationIsValid() throws ConfigException {
    assertThat(parse(VALID).queues()).hasSize(1);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "bad YAML indentation",
            VALID.replace("  user: bridge", "   user: bridge"),
            List.of(
                "bridge.yml line 3, column 4: expected <block end>, but found '<block mapping"
                    + " start>' (while parsing a block mapping that started at line 2, column 3)")),
        Arguments.of(
            "unclosed flow sequence",
            VALID.replace("sinks: [redis-main]", "sinks: [redis-main\n"),
            List.of(
                "bridge.yml line 14, column 1: expected ',' or ']', but got <stream end> (while"
                    + " parsing a flow sequence that started at line 12, column 12)")),
        Arguments.of(
            "duplicate YAML key",
            VALID.replace("  user: bridge", "  user: bridge\n  user: other"),
            List.of("bridge.yml line 4, column 7: duplicate key 'user'")),
        Arguments.of(
            "a second YAML document",
            VALID + "---\nadmin: {listen: \"127.0.0.1:1\"}\n",
            List.of("bridge.yml line 14, column 1: a second YAML document; expected exactly one")),
        Arguments.of(
            "an empty file",
            "# nothing here\n",
            List.of(
                "bridge.yml: the file has no settings (expected a mapping with database, sinks and"
                    + " queues)")),
        Arguments.of(
            "unknown top-level key",
            VALID + "metrics: {port: 9090}\n",
            List.of(
                "bridge.yml: unknown top-level key 'metrics' (expected one of: database, sinks,"
                    + " queues, compare, admin, shutdown, poll, deadLetter, logging)")),
        Arguments.of(
            "unknown nested key (a typo for a required one)",
            VALID.replace("uri: \"redis://", "urii: \"redis://"),
            List.of(
                "sinks.redis-main.uri: missing (expected a redis://, rediss:// or"
                    + " redis-sentinel:// URI)",
                "sinks.redis-main: unknown key 'urii' (expected one of: type, uri, user, password,"
                    + " tls, maxLen, dedup, dedupTtl, publishTimeout, maxMessageBytes)")),
        Arguments.of(
            "wrong type: words for a number",
            VALID + "    batchSize: lots\n",
            List.of("queues[0].batchSize: expected a whole number from 1 to 10000, got 'lots'")),
        Arguments.of(
            "batchSize 0",
            VALID + "    batchSize: 0\n",
            List.of("queues[0].batchSize: expected a whole number from 1 to 10000, got '0'")),
        Arguments.of(
            "maxBatchBytes below a kibibyte",
            VALID + "    maxBatchBytes: 100\n",
            List.of(
                "queues[0].maxBatchBytes: expected a size from 1KiB to 1GiB (like 262144, 256KiB"
                    + " or 1MiB), got '100'")),
        Arguments.of(
            "wrong type: a mapping for a list",
            VALID.replace("sinks: [redis-main]", "sinks: {redis-main: true}"),
            List.of(
                "queues[0].sinks: expected a list of sink names like [redis-main], got a mapping")),
        Arguments.of(
            "wrong type: a word for a boolean",
            VALID + "    ordered: maybe\n",
            List.of("queues[0].ordered: expected true or false, got 'maybe'")),
        Arguments.of(
            "a list where a string is expected",
            VALID.replace("user: bridge", "user: [bridge]"),
            List.of("database.user: expected the bridge's MySQL account name, got a list")),
        Arguments.of(
            "a YAML 1.1 boolean word is not a boolean",
            VALID + "    ordered: yes\n",
            List.of("queues[0].ordered: expected true or false, got 'yes'")),
        Arguments.of(
            "a hexadecimal number",
            VALID + "    batchSize: 0x10\n",
            List.of("queues[0].batchSize: expected a whole number from 1 to 10000, got '0x10'")),
        Arguments.of(
            "unknown sink type",
            VALID.replace(
                "sqs-main: {type: sqs, region: ap-northeast-1}", "kafka-main: {type: kafka}"),
            List.of(
                "sinks.kafka-main.type: unknown sink type 'kafka' (known: redis-streams, sqs,"
                    + " rabbitmq)")),
        Arguments.of(
            "unknown sink name in a queue",
            VALID.replace("sinks: [redis-main]", "sinks: [redis-main, redis-mian]"),
            List.of(
                "queues[0].sinks[1]: unknown sink 'redis-mian' (defined: redis-main, sqs-main)")),
        Arguments.of(
            "invalid sink name",
            VALID.replace("sqs-main:", "\"sqs.main\":"),
            List.of(
                "sinks: sink name 'sqs.main' is not valid: expected 1-64 letters, digits, '-' or"
                    + " '_', starting with a letter or digit")),
        Arguments.of(
            "the same table twice (case and schema differ)",
            VALID
                + """
                  - table: app.JOB_QUEUE
                    mode: native
                """,
            List.of("queues[1].table: 'app.JOB_QUEUE' is already listed at queues[0].table")),
        Arguments.of(
            "missing required key",
            VALID.replace("    mode: native\n", ""),
            List.of("queues[0].mode: missing (expected one of native, emulated)")),
        Arguments.of(
            "missing database URL",
            VALID.replace("  url: \"jdbc:mysql://127.0.0.1:3306/app\"\n", ""),
            List.of(
                "database.url: missing (expected a JDBC URL starting with jdbc:mysql://,"
                    + " jdbc:mariadb:// or jdbc:q4m:mysql://)")),
        Arguments.of(
            "missing environment variable for a secret",
            VALID.replace("${env:BRIDGE_DB_PASSWORD}", "${env:BRIDGE_DB_PASSWD}"),
            List.of("database.password: environment variable BRIDGE_DB_PASSWD is not set")),
        Arguments.of(
            "unreadable secret file",
            VALID.replace("${env:BRIDGE_DB_PASSWORD}", "${file:/nonexistent-q4m-test/db-password}"),
            List.of(
                "database.password: cannot read secret file /nonexistent-q4m-test/db-password: no"
                    + " such file")),
        Arguments.of(
            "a directory as secret file",
            VALID.replace("${env:BRIDGE_DB_PASSWORD}", "${file:/}"),
            List.of("database.password: cannot read secret file /: it is a directory")),
        Arguments.of(
            "relative secret file path",
            VALID.replace("${env:BRIDGE_DB_PASSWORD}", "${file:secrets/db}"),
            List.of(
                "database.password: secret file 'secrets/db' must be an absolute path"
                    + " (${file:/path})")),
        Arguments.of(
            "unknown reference kind",
            VALID.replace("${env:BRIDGE_DB_PASSWORD}", "${vault:db}"),
            List.of(
                "database.password: unknown reference '${vault:db}': expected ${env:NAME} or"
                    + " ${file:/path} (write $${ for a literal ${)")),
        Arguments.of(
            "SQL injection through the table name",
            VALID.replace("table: job_queue", "table: \"jobs; DROP TABLE x\""),
            List.of(
                "queues[0].table: table 'jobs; DROP TABLE x' is not a valid identifier: expected"
                    + " 1-64 characters of A-Z, a-z, 0-9, _ or $ (not all digits)")),
        Arguments.of(
            "SQL injection through a mapping column",
            VALID + "    mapping: {payload: \"payload`, (SELECT 1)\"}\n",
            List.of(
                "queues[0].mapping.payload: column 'payload`, (SELECT 1)' is not a valid"
                    + " identifier: expected 1-64 characters of A-Z, a-z, 0-9, _ or $ (not all"
                    + " digits)")),
        Arguments.of(
            "ordered with 4 consumers",
            VALID + "    ordered: true\n    consumers: 4\n",
            List.of(
                "queues[0].consumers: expected 1 because ordered is true (one consumer keeps row"
                    + " order), got 4")),
        Arguments.of(
            "bad duration",
            VALID + "shutdown: {grace: 30 seconds}\n",
            List.of(
                "shutdown.grace: expected a duration like 200ms, 30s, 5m or 24h, got '30"
                    + " seconds'")),
        Arguments.of(
            "duration out of range",
            VALID + "poll: {timeout: 2h}\n",
            List.of("poll.timeout: expected a duration from 1ms to 5m, got '2h'")),
        Arguments.of(
            "backoff the wrong way round",
            VALID + "    retry: {backoff: 30s..200ms}\n",
            List.of("queues[0].retry.backoff: the minimum 30s is greater than the maximum 200ms")),
        Arguments.of(
            "backoff without a range",
            VALID + "    retry: {backoff: 5s}\n",
            List.of(
                "queues[0].retry.backoff: expected min..max durations like 200ms..30s, got '5s'")),
        Arguments.of(
            "bad listen address",
            VALID + "admin: {listen: localhost}\n",
            List.of("admin.listen: expected host:port like 127.0.0.1:9400, got 'localhost'")),
        Arguments.of(
            "listen port out of range",
            VALID + "admin: {listen: \"0.0.0.0:70000\"}\n",
            List.of("admin.listen: expected a port from 1 to 65535 (0: any free port), got 70000")),
        Arguments.of(
            "bad phase name",
            VALID.replace("phase: mirror", "phase: cutvoer"),
            List.of(
                "queues[0].phase: expected one of off, mirror, shadow, cutover, got 'cutvoer'")),
        Arguments.of(
            "a sink both required and best-effort",
            VALID + "    bestEffort: [sqs-main, redis-main]\n",
            List.of(
                "queues[0].bestEffort[1]: sink 'redis-main' is also in queues[0].sinks; a sink is"
                    + " either required or best-effort")),
        Arguments.of(
            "a sink listed twice",
            VALID.replace("sinks: [redis-main]", "sinks: [redis-main, redis-main]"),
            List.of("queues[0].sinks[1]: sink 'redis-main' is listed twice")),
        Arguments.of(
            "no required sink outside phase off",
            VALID.replace("sinks: [redis-main]", "sinks: []"),
            List.of(
                "queues[0].sinks: expected at least one required sink in phase mirror (only phase"
                    + " off may have none), got []")),
        Arguments.of(
            "bad JDBC URL scheme",
            VALID.replace("jdbc:mysql://127.0.0.1:3306/app", "postgresql://127.0.0.1/app"),
            List.of(
                "database.url: expected a JDBC URL starting with jdbc:mysql://, jdbc:mariadb:// or"
                    + " jdbc:q4m:mysql://, got 'postgresql://…'")),
        Arguments.of(
            "credentials in the JDBC URL",
            VALID.replace("127.0.0.1:3306/app", "127.0.0.1:3306/app?user=x&password=pw1"),
            List.of(
                "database.url: must not carry credentials (user:password@ or password=); use"
                    + " database.user and database.password")),
        Arguments.of(
            "bad broker URL scheme",
            VALID.replace("redis://127.0.0.1:6379/0", "http://user:pw2@127.0.0.1:6379/0"),
            List.of(
                "sinks.redis-main.uri: expected a URI starting with redis://, rediss://,"
                    + " redis-sentinel://, got 'http://****@127.0.0.1:6379/0'")),
        Arguments.of(
            "decimal byte unit",
            VALID.replace(
                "uri: \"redis://127.0.0.1:6379/0\"", "uri: \"redis://h\", maxMessageBytes: 1MB"),
            List.of(
                "sinks.redis-main.maxMessageBytes: expected a size from 1 to 512MiB (like 262144,"
                    + " 256KiB or 1MiB), got '1MB'")),
        Arguments.of(
            "RabbitMQ sink without exchange",
            VALID.replace(
                "sqs-main: {type: sqs, region: ap-northeast-1}",
                "rabbit-main: {type: rabbitmq, uri: \"amqp://127.0.0.1/\"}"),
            List.of(
                "sinks.rabbit-main.exchange: missing (expected an exchange name; \"\" for the"
                    + " default exchange)")),
        Arguments.of(
            "SQS FIFO destination without group",
            VALID.replace("sinks: [redis-main]", "sinks: [sqs-main]\n    destination: jobs.fifo"),
            List.of(
                "queues[0].mapping.groupId: missing (the SQS destination is a FIFO queue, which"
                    + " needs a group: {column: <name>} or {constant: <value>}; or set ordered: true"
                    + " for one group)")),
        Arguments.of(
            "destination that SQS cannot name",
            VALID.replace("sinks: [redis-main]", "sinks: [sqs-main]\n    destination: jobs.v2"),
            List.of(
                "queues[0].destination: 'jobs.v2' is not a valid SQS queue name for sink sqs-main:"
                    + " expected at most 80 letters, digits, '-' or '_', with .fifo last for a FIFO"
                    + " queue")),
        Arguments.of(
            "shadow destination equal to the live one",
            VALID + "    destination: jobs\n    shadowDestination: jobs\n",
            List.of(
                "queues[0].shadowDestination: must differ from 'jobs' (shadow copies must never"
                    + " reach live workers)")),
        Arguments.of(
            "a native-only setting on an emulated queue",
            VALID.replace("mode: native", "mode: emulated") + "    queueWaitForm: where\n",
            List.of("queues[0].queueWaitForm: only applies to mode: native")),
        Arguments.of(
            "an emulated-only setting on a native queue",
            VALID + "    rowIdColumn: q4m_rowid\n",
            List.of(
                "queues[0].rowIdColumn: only applies to mode: emulated (native queues have"
                    + " queue_rowid())")),
        Arguments.of(
            "raw-column body without the column",
            VALID + "    mapping: {body: raw-column}\n",
            List.of(
                "queues[0].mapping.rawColumn: missing (body: raw-column needs the column whose value"
                    + " is sent)")),
        Arguments.of(
            "poll intervals the wrong way round",
            VALID + "poll: {minInterval: 100ms, maxInterval: 10ms}\n",
            List.of("poll.maxInterval: must be at least poll.minInterval (100ms), got 10ms")),
        Arguments.of(
            "mismatch rate above 1",
            VALID + "compare: {gate: {maxMismatchRate: 2}}\n",
            List.of("compare.gate.maxMismatchRate: expected a number from 0 to 1, got '2'")),
        Arguments.of(
            "transport verification in phase off",
            VALID + "compare: {transport: {phases: [mirror, off]}}\n",
            List.of(
                "compare.transport.phases[1]: expected mirror, shadow or cutover, got 'off' (a"
                    + " queue in phase off forwards nothing to verify)")),
        Arguments.of(
            "transport verification with a bad group and a yes for a boolean",
            VALID + "compare: {transport: {enabled: yes, group: \"verify me\"}}\n",
            List.of(
                "compare.transport.enabled: expected true or false, got 'yes'",
                "compare.transport.group: expected 1-100 letters, digits, '.', '_', ':' or '-'"
                    + " (starting with a letter or digit), got 'verify me'")),
        Arguments.of(
            "transport phases not a list",
            VALID + "compare: {transport: {phases: mirror}}\n",
            List.of(
                "compare.transport.phases: expected a list of phases (mirror, shadow or cutover),"
                    + " e.g. [mirror, shadow], got 'mirror'")),
        Arguments.of(
            "a section that is not a mapping (no follow-on noise about its keys)",
            VALID.replace(
                "  redis-main: {type: redis-streams, uri: \"redis://127.0.0.1:6379/0\"}",
                "  redis-main: \"redis://127.0.0.1:6379/0\""),
            List.of(
                "sinks.redis-main: expected a mapping with type: redis-streams, sqs, rabbitmq, got"
                    + " 'redis://127.0.0.1:6379/0'")),
        Arguments.of(
            "the dead-letter table is a queue table",
            VALID + "deadLetter: {table: app.job_queue}\n",
            List.of(
                "deadLetter.table: 'app.job_queue' is also a queue table; dead letters need their"
                    + " own table")),
        Arguments.of(
            "an invalid identifier from a reference is not echoed",
            VALID + "    mapping: {type: \"${env:BATCH}\"}\n",
            List.of(
                "queues[0].mapping.type: the value of '${env:BATCH}' is not valid: expected"
                    + " identifiers of 1-64 characters of A-Z, a-z, 0-9, _ or $ (not all digits)")),
        Arguments.of(
            "bad logging format",
            VALID + "logging: {format: xml}\n",
            List.of("logging.format: expected one of plain, json, got 'xml'")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void eachProblemIsReportedWithItsPathAndWhatIsExpected(
      String description, String yaml, List<String> expected) {
    assertThat(errorsOf(yaml)).containsExactlyElementsOf(expected);
  }

  @Test
  void everyProblemInTheFileIsReportedAtOnce() {
    String yaml =
        """
        database:
          url: "jdbc:mysql://127.0.0.1:3306/app"
          user: bridge
          password: "${env:NOT_SET}"
          pool: {maxSize: 0}
        sinks:
          redis-main: {type: redis-streams, uri: "redis://127.0.0.1:6379/0", urii: x}
          sqs-main: {type: sqs, region: ap-northeast-1}
        queues:
          - table: job_queue
            mode: native
            phase: mirror
            sinks: [redis-mian]
            batchSize: lots
          - table: "jobs; DROP TABLE x"
            mode: emulated
            ordered: true
            consumers: 4
          - table: job_queue
            mode: native
        admin: {listen: nowhere}
        shutdown: {grace: soon}
        """;
    assertThat(errorsOf(yaml))
        .containsExactly(
            "database.password: environment variable NOT_SET is not set",
            "database.pool.maxSize: expected a whole number from 1 to 1000, got '0'",
            "sinks.redis-main: unknown key 'urii' (expected one of: type, uri, user, password, tls,"
                + " maxLen, dedup, dedupTtl, publishTimeout, maxMessageBytes)",
            "queues[0].sinks[0]: unknown sink 'redis-mian' (defined: redis-main, sqs-main)",
            "queues[0].batchSize: expected a whole number from 1 to 10000, got 'lots'",
            "queues[1].table: table 'jobs; DROP TABLE x' is not a valid identifier: expected 1-64"
                + " characters of A-Z, a-z, 0-9, _ or $ (not all digits)",
            "queues[1].consumers: expected 1 because ordered is true (one consumer keeps row"
                + " order), got 4",
            "queues[2].table: 'app.job_queue' is already listed at queues[0].table",
            "admin.listen: expected host:port like 127.0.0.1:9400, got 'nowhere'",
            "shutdown.grace: expected a duration like 200ms, 30s, 5m or 24h, got 'soon'");
  }

  @Test
  void theExceptionMessageIsTheErrorsOneLineEach() {
    String yaml = VALID + "    batchSize: 0\n    consumers: 999\n";
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "queues[0].consumers: expected a whole number from 1 to 256, got '999'\n"
                + "queues[0].batchSize: expected a whole number from 1 to 10000, got '0'");
  }

  @Test
  void aValueFromAReferenceIsNotEchoedInTheError() {
    List<String> errors = errorsOf(VALID + "    batchSize: \"${env:BATCH}\"\n");
    assertThat(errors)
        .containsExactly(
            "queues[0].batchSize: expected a whole number from 1 to 10000, got the value of"
                + " '${env:BATCH}'");
    assertThat(String.join("\n", errors)).doesNotContain("hunter2");
  }

  @Test
  void credentialsInABrokerUriAreNotEchoedInTheError() {
    List<String> errors =
        errorsOf(VALID.replace("redis://127.0.0.1:6379/0", "redis//:pw-in-uri@127.0.0.1:6379/0"));
    assertThat(errors)
        .containsExactly(
            "sinks.redis-main.uri: expected a URI starting with redis://, rediss://,"
                + " redis-sentinel://, got 'redis…'");
  }

  @Test
  void aSyntaxErrorDoesNotQuoteTheOffendingLine() {
    String yaml = VALID.replace("  user: bridge", "  user: bridge: pw-on-this-line");
    List<String> errors = errorsOf(yaml);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("bridge.yml line 3, column 15: ").doesNotContain("pw-on");
  }
}
