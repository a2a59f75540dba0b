package org.q4mbridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.config.MappingConfig.BodyFormat;
import org.q4mbridge.bridge.config.MappingConfig.ColumnGroupId;
import org.q4mbridge.bridge.config.MappingConfig.ConstantGroupId;
import org.q4mbridge.bridge.config.SqsSinkConfig.DefaultChain;
import org.q4mbridge.bridge.config.SqsSinkConfig.StaticKeys;
import org.q4mbridge.q4m.TableRef;

/** Valid configurations: defaults, secrets, the effective view, and the shipped example. */
class ConfigLoaderTest {

  static final String MINIMAL =
      """
      database:
        url: "jdbc:mysql://127.0.0.1:3306/app?useSSL=false"
        user: bridge
      sinks:
        redis-main: {type: redis-streams, uri: "redis://127.0.0.1:6379/0"}
      queues:
        - table: job_queue
          mode: native
          phase: mirror
          sinks: [redis-main]
      """;

  static BridgeConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, "bridge.yml", env::get);
  }

  @Test
  void everyOmittedSettingTakesItsDocumentedDefault() throws ConfigException {
    BridgeConfig c = parse(MINIMAL, Map.of());

    assertThat(c.database().schema()).as("schema from the URL").isEqualTo("app");
    assertThat(c.database().password()).isEmpty();
    assertThat(c.database().pool().maxSize()).isEqualTo(8);

    RedisSinkConfig redis = (RedisSinkConfig) c.sinks().get("redis-main");
    assertThat(redis.tls()).isFalse();
    assertThat(redis.maxLen()).isEmpty();
    assertThat(redis.dedup()).isTrue();
    assertThat(redis.dedupTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(redis.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(redis.maxMessageBytes()).isEqualTo(1 << 20);

    QueueConfig q = c.queues().get(0);
    assertThat(q.table()).isEqualTo(new TableRef("app", "job_queue"));
    assertThat(q.mode()).isEqualTo(SourceMode.NATIVE);
    assertThat(q.phase()).isEqualTo(Phase.MIRROR);
    assertThat(q.sinks()).containsExactly("redis-main");
    assertThat(q.bestEffort()).isEmpty();
    assertThat(q.destination()).isEqualTo("job_queue");
    assertThat(q.shadowDestination()).isEqualTo("job_queue.shadow");
    assertThat(q.publishDestination()).contains("job_queue.shadow");
    assertThat(q.consumers()).isEqualTo(4);
    assertThat(q.batchSize()).isEqualTo(QueueConfig.DEFAULT_BATCH_SIZE);
    assertThat(q.ordered()).isFalse();
    assertThat(q.retry())
        .isEqualTo(new QueueConfig.Retry(5, Duration.ofMillis(200), Duration.ofSeconds(30)));
    assertThat(q.maxMessageBytes()).isEmpty();
    assertThat(q.condition()).isEmpty();
    assertThat(q.rowIdColumn()).isEmpty();
    assertThat(q.queueWaitForm()).isEqualTo(QueueWaitForm.TWO_STEP);
    assertThat(q.mapping()).isEqualTo(MappingConfig.DEFAULT);
    assertThat(q.mapping().typeColumn()).isEqualTo("job_type");
    assertThat(q.mapping().payloadColumn()).isEqualTo("payload");
    assertThat(q.mapping().body()).isEqualTo(BodyFormat.ENVELOPE);
    assertThat(q.mapping().createdAtColumn()).isEqualTo("created_at");
    assertThat(q.force()).isFalse();

    assertThat(c.compare().gate())
        .isEqualTo(new CompareConfig.Gate(1000, 0, 0.001, Duration.ofHours(24)));
    assertThat(c.compare().transport())
        .isEqualTo(
            new CompareConfig.Transport(
                true, java.util.Set.of(Phase.MIRROR, Phase.SHADOW), "q4m-bridge-verify"));
    assertThat(c.compare().transport().covers(Phase.CUTOVER)).isFalse();
    assertThat(c.admin().listen()).isEqualTo("127.0.0.1:9400");
    assertThat(c.shutdown().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.poll())
        .isEqualTo(
            new PollConfig(Duration.ofMillis(1), Duration.ofMillis(50), Duration.ofSeconds(1)));
    assertThat(c.deadLetter().table()).isEqualTo(new TableRef("app", "q4m_dead_letter"));
    assertThat(c.logging()).isEqualTo(new LoggingConfig(LoggingConfig.Format.PLAIN, false));
  }

  @Test
  void transportVerificationCanCoverCutoverUseItsOwnGroupOrBeTurnedOff() throws ConfigException {
    BridgeConfig c =
        parse(
            MINIMAL
                + "compare: {transport: {phases: [shadow, cutover], group: \"bridge:verify-2\"}}\n",
            Map.of());
    CompareConfig.Transport t = c.compare().transport();
    assertThat(t.phases()).containsExactlyInAnyOrder(Phase.SHADOW, Phase.CUTOVER);
    assertThat(t.group()).isEqualTo("bridge:verify-2");
    assertThat(t.covers(Phase.MIRROR)).isFalse();
    assertThat(t.covers(Phase.CUTOVER)).isTrue();

    BridgeConfig off = parse(MINIMAL + "compare: {transport: {enabled: false}}\n", Map.of());
    assertThat(off.compare().transport().covers(Phase.MIRROR)).isFalse();
    assertThat(ConfigDiff.between(c, off).settings())
        .containsExactly(
            "compare.transport.enabled", "compare.transport.phases", "compare.transport.group");
  }

  @Test
  void aQueueWithoutPhaseIsOffAndNeedsNoSinks() throws ConfigException {
    BridgeConfig c =
        parse(
            MINIMAL
                + """
                  - table: other.idle_queue
                    mode: emulated
                """,
            Map.of());
    QueueConfig q = c.queues().get(1);
    assertThat(q.phase()).isEqualTo(Phase.OFF);
    assertThat(q.sinks()).isEmpty();
    assertThat(q.table()).isEqualTo(new TableRef("other", "idle_queue"));
    assertThat(q.publishDestination()).isEmpty();
  }

  @Test
  void scalarsKeepTheTextWrittenInTheFile() throws ConfigException {
    // YAML 1.1 would read these as 493, false, false and true.
    String yaml =
        MINIMAL.replace("user: bridge", "user: 0755\n  password: no")
            + """
              - table: old_queue
                mode: emulated
                phase: off
                ordered: TRUE
            """;
    BridgeConfig c = parse(yaml, Map.of());
    assertThat(c.database().user()).isEqualTo("0755");
    assertThat(c.database().password().orElseThrow().reveal()).isEqualTo("no");
    assertThat(c.queues().get(1).phase()).isEqualTo(Phase.OFF);
    assertThat(c.queues().get(1).ordered()).isTrue();
  }

  @Test
  void anOrderedQueueGetsOneConsumerAndOneFifoGroup() throws ConfigException {
    String yaml =
        MINIMAL.replace(
                "  redis-main:",
                "  sqs-main: {type: sqs, region: elasticmq, endpoint: \"http://127.0.0.1:9324\"}\n"
                    + "  redis-main:")
            + "    bestEffort: [sqs-main]\n    destination: jobs.fifo\n    ordered: true\n";
    QueueConfig q = parse(yaml, Map.of()).queues().get(0);
    assertThat(q.consumers()).isEqualTo(1);
    assertThat(q.mapping().groupId()).contains(new ConstantGroupId("app.job_queue"));
    assertThat(q.shadowDestination())
        .as("SQS names allow no dots but the .fifo suffix")
        .isEqualTo("jobs-shadow.fifo");
  }

  @Test
  void typeSpecificSinkSettingsAreRead() throws ConfigException {
    String yaml =
        """
        database: {url: "jdbc:mariadb://db:3306/", user: bridge, schema: bridge_own}
        sinks:
          r: {type: redis-streams, uri: "rediss://cache:6380/1", maxLen: 500000, dedup: false}
          s:
            type: sqs
            region: ap-northeast-1
            queueUrlPrefix: "https://sqs.ap-northeast-1.amazonaws.com/123456789012"
            maxMessageBytes: 1MiB
          q: {type: rabbitmq, uri: "amqps://rabbit/%2F", exchange: "", mandatory: false}
        queues:
          - table: jobs
            mode: emulated
            phase: cutover
            sinks: [q]
            mapping: {routingKeyColumn: route, groupId: {column: customer_id}, body: raw-column, rawColumn: body_json}
        admin: {listen: "[::1]:9401"}
        """;
    BridgeConfig c = parse(yaml, Map.of());
    assertThat(c.database().schema()).isEqualTo("bridge_own");
    assertThat(c.queues().get(0).table()).isEqualTo(new TableRef("bridge_own", "jobs"));
    RedisSinkConfig r = (RedisSinkConfig) c.sinks().get("r");
    assertThat(r.tls()).as("rediss:// means TLS").isTrue();
    assertThat(r.maxLen()).isEqualTo(OptionalLong.of(500_000));
    assertThat(r.dedup()).isFalse();
    SqsSinkConfig s = (SqsSinkConfig) c.sinks().get("s");
    assertThat(s.credentials()).isInstanceOf(DefaultChain.class);
    assertThat(s.endpoint()).isEmpty();
    assertThat(s.queueUrlPrefix())
        .contains("https://sqs.ap-northeast-1.amazonaws.com/123456789012/");
    assertThat(s.maxMessageBytes()).isEqualTo(1 << 20);
    assertThat(s.publishTimeout()).isEqualTo(Duration.ofSeconds(10));
    RabbitSinkConfig q = (RabbitSinkConfig) c.sinks().get("q");
    assertThat(q.exchange()).isEmpty();
    assertThat(q.declare()).isFalse();
    assertThat(q.mandatory()).isFalse();
    assertThat(q.exchangeType()).isEqualTo(RabbitSinkConfig.ExchangeType.DIRECT);
    MappingConfig m = c.queues().get(0).mapping();
    assertThat(m.routingKeyColumn()).contains("route");
    assertThat(m.groupId()).contains(new ColumnGroupId("customer_id"));
    assertThat(m.body()).isEqualTo(BodyFormat.RAW_COLUMN);
    assertThat(m.rawColumn()).contains("body_json");
    assertThat(c.queues().get(0).publishDestination()).contains("jobs");
    assertThat(c.admin().host()).isEqualTo("::1");
    assertThat(c.admin().listen()).isEqualTo("[::1]:9401");
  }

  @Test
  void secretsComeFromTheEnvironmentAndFiles(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("aws-secret");
    Files.writeString(keyFile, "file-secret-key\n", StandardCharsets.UTF_8);
    String yaml =
        """
        database:
          url: "jdbc:mysql://127.0.0.1:3306/app"
          user: bridge
          password: "${env:BRIDGE_DB_PASSWORD}"
        sinks:
          rabbit-main:
            type: rabbitmq
            uri: "amqp://bridge:${env:RABBIT_PASSWORD}@127.0.0.1:5672/"
            exchange: jobs
          sqs-main:
            type: sqs
            region: ap-northeast-1
            credentials:
              accessKeyId: "${env:AWS_ACCESS_KEY_ID}"
              secretAccessKey: "${file:KEYFILE}"
        queues:
          - {table: job_queue, mode: native, phase: mirror, sinks: [rabbit-main], destination: "jobs-$${literal}"}
        """
            .replace("KEYFILE", keyFile.toString());
    BridgeConfig c = parse(yaml, secrets());
    assertThat(c.database().password().orElseThrow().reveal()).isEqualTo("db-pw-7f3a");
    assertThat(((RabbitSinkConfig) c.sinks().get("rabbit-main")).uri().reveal())
        .isEqualTo("amqp://bridge:rabbit-pw-91c2@127.0.0.1:5672/");
    StaticKeys keys = (StaticKeys) ((SqsSinkConfig) c.sinks().get("sqs-main")).credentials();
    assertThat(keys.accessKeyId().reveal()).isEqualTo("AKIA-test-1234");
    assertThat(keys.secretAccessKey().reveal())
        .as("the final newline of a secret file is not part of the secret")
        .isEqualTo("file-secret-key");
    assertThat(c.queues().get(0).destination())
        .as("$${ is a literal ${")
        .isEqualTo("jobs-${literal}");
  }

  @Test
  void describeShowsTheEffectiveConfigurationWithoutAnySecret(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("aws-secret");
    Files.writeString(keyFile, "file-secret-key\n", StandardCharsets.UTF_8);
    String yaml =
        """
        database:
          url: "jdbc:mysql://127.0.0.1:3306/app"
          user: "${env:DB_USER}"
          password: "${env:BRIDGE_DB_PASSWORD}"
        sinks:
          redis-main: {type: redis-streams, uri: "redis://:literal-redis-pw@127.0.0.1:6379/0"}
          rabbit-main:
            type: rabbitmq
            uri: "amqp://bridge:${env:RABBIT_PASSWORD}@127.0.0.1:5672/"
            exchange: jobs
          sqs-main:
            type: sqs
            region: ap-northeast-1
            credentials: {accessKeyId: "${env:AWS_ACCESS_KEY_ID}", secretAccessKey: "${file:KEYFILE}"}
        queues:
          - table: job_queue
            mode: native
            phase: mirror
            sinks: [redis-main]
            bestEffort: [rabbit-main]
            destination: "${env:DESTINATION}"
        """
            .replace("KEYFILE", keyFile.toString());
    BridgeConfig c = parse(yaml, secrets());
    String described = c.describe();

    for (String secret : secretValues()) {
      assertThat(described).doesNotContain(secret);
    }
    // Credentials are Secret objects, so even a record's toString cannot leak them.
    for (String credential : credentialValues()) {
      assertThat(c.toString()).doesNotContain(credential);
      assertThat(c.database().toString()).doesNotContain(credential);
      assertThat(c.sinks().toString()).doesNotContain(credential);
    }
    assertThat(described)
        .contains("user: '****'")
        .contains("password: '****'")
        .contains("uri: redis://****@127.0.0.1:6379/0")
        .contains("uri: '****'")
        .contains("secretAccessKey: '****'")
        .contains("destination: '****'")
        .contains("shadowDestination: '****'")
        .contains("batchSize: 1000")
        .contains("maxBatchBytes: 4MiB")
        .contains("backoff: 200ms..30s")
        .contains("url: jdbc:mysql://127.0.0.1:3306/app");
  }

  @Test
  void describeReadsBackAsTheSameConfiguration() throws ConfigException {
    // Literal secrets, so the masked URIs are still URIs (amqp://****@host/) when read back.
    String example =
        ConfigLoader.exampleYaml()
            .replace("${env:BRIDGE_DB_PASSWORD}", "db-pw-7f3a")
            .replace("${env:RABBIT_PASSWORD}", "rabbit-pw-91c2")
            .replace("${env:AWS_ACCESS_KEY_ID}", "AKIA-test-1234")
            .replace("${env:AWS_SECRET_ACCESS_KEY}", "aws-secret-5566");
    BridgeConfig c = parse(example, Map.of());
    String described = c.describe();
    assertThat(described).doesNotContain(credentialValues().toArray(String[]::new));
    BridgeConfig again = parse(described, Map.of());
    // Secrets come back as ****, so compare everything that is not a secret.
    assertThat(again.queues()).isEqualTo(c.queues());
    assertThat(again.compare()).isEqualTo(c.compare());
    assertThat(again.admin()).isEqualTo(c.admin());
    assertThat(again.poll()).isEqualTo(c.poll());
    assertThat(again.shutdown()).isEqualTo(c.shutdown());
    assertThat(again.deadLetter()).isEqualTo(c.deadLetter());
    assertThat(again.logging()).isEqualTo(c.logging());
    assertThat(again.sinks().keySet()).isEqualTo(c.sinks().keySet());
    assertThat(again.describe()).isEqualTo(described);
  }

  @Test
  void theShippedExampleParsesAndUsesEveryDocumentedKey() throws ConfigException {
    BridgeConfig c = parse(ConfigLoader.exampleYaml(), secrets());
    assertThat(c.sinks().keySet()).containsExactly("redis-main", "sqs-main", "rabbit-main");
    assertThat(c.queues()).hasSize(2);
    QueueConfig first = c.queues().get(0);
    assertThat(first.phase()).isEqualTo(Phase.MIRROR);
    assertThat(first.bestEffort()).containsExactly("sqs-main");
    assertThat(first.shadowDestination()).isEqualTo("jobs-shadow");
    assertThat(first.mapping().extraFields()).containsExactly("tenant_id");
    QueueConfig second = c.queues().get(1);
    assertThat(second.phase()).isEqualTo(Phase.OFF);
    assertThat(second.ordered()).isTrue();
    assertThat(second.consumers()).isEqualTo(1);
    assertThat(c.describe()).doesNotContain("db-pw-7f3a").doesNotContain("rabbit-pw-91c2");
  }

  @Test
  void theExampleNeedsOnlyItsSecretsFromTheEnvironment() {
    assertThatThrownBy(() -> parse(ConfigLoader.exampleYaml(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "database.password: environment variable BRIDGE_DB_PASSWORD is not set",
                        "sinks.sqs-main.credentials.accessKeyId: environment variable"
                            + " AWS_ACCESS_KEY_ID is not set",
                        "sinks.sqs-main.credentials.secretAccessKey: environment variable"
                            + " AWS_SECRET_ACCESS_KEY is not set",
                        "sinks.rabbit-main.uri: environment variable RABBIT_PASSWORD is not set"));
  }

  @Test
  void loadReadsAFileAndNamesItInMessages(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bridge.yml");
    Files.writeString(file, MINIMAL + "    batchSize: 0\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.<String, String>of()::get))
        .hasMessage("queues[0].batchSize: expected a whole number from 1 to 10000, got '0'");
    Files.writeString(file, "database: {url: x\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.<String, String>of()::get))
        .hasMessageStartingWith(file + " line 2, column 1: ");
    Path missing = dir.resolve("nope.yml");
    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .hasMessage(missing + ": cannot read: no such file");
  }

  @Test
  void loadReturnsTheConfigurationOfAValidFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bridge.yml");
    Files.writeString(file, MINIMAL, StandardCharsets.UTF_8);
    BridgeConfig c = ConfigLoader.load(file, Map.<String, String>of()::get);
    assertThat(c.source()).isEqualTo(file.toString());
    assertThat(c.queue(new TableRef("APP", "JOB_QUEUE")))
        .map(QueueConfig::batchSize)
        .contains(1000);
    assertThat(c.sink("redis-main")).map(SinkConfig::type).contains("redis-streams");
    assertThat(c.sink("nope")).isEqualTo(Optional.empty());
  }

  static Map<String, String> secrets() {
    Map<String, String> env = new HashMap<>();
    env.put("BRIDGE_DB_PASSWORD", "db-pw-7f3a");
    env.put("RABBIT_PASSWORD", "rabbit-pw-91c2");
    env.put("AWS_ACCESS_KEY_ID", "AKIA-test-1234");
    env.put("AWS_SECRET_ACCESS_KEY", "aws-secret-5566");
    env.put("DB_USER", "db-user-from-env");
    env.put("DESTINATION", "hidden-destination");
    return env;
  }

  static List<String> credentialValues() {
    return List.of(
        "db-pw-7f3a",
        "rabbit-pw-91c2",
        "AKIA-test-1234",
        "aws-secret-5566",
        "file-secret-key",
        "literal-redis-pw");
  }

  /** Credentials, and plain values that came from references (masked by describe()). */
  static List<String> secretValues() {
    List<String> all = new ArrayList<>(credentialValues());
    all.add("db-user-from-env");
    all.add("hidden-destination");
    return all;
  }
}
