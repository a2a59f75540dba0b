package org.q4mbridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.config.ConfigDiff.PhaseTransition;
import org.q4mbridge.bridge.config.ConfigDiff.QueueAdded;
import org.q4mbridge.bridge.config.ConfigDiff.QueueChanged;
import org.q4mbridge.bridge.config.ConfigDiff.QueueRemoved;
import org.q4mbridge.bridge.config.ConfigDiff.SinkChange;
import org.q4mbridge.q4m.TableRef;

/** What reload sees when the file changes. */
class ConfigDiffTest {

  static final String BASE =
      """
      database: {url: "jdbc:mysql://127.0.0.1:3306/app", user: bridge, password: "${env:DB_PW}"}
      sinks:
        redis-main: {type: redis-streams, uri: "redis://:${env:REDIS_PW}@127.0.0.1:6379/0"}
        rabbit-main: {type: rabbitmq, uri: "amqp://127.0.0.1/", exchange: jobs}
      queues:
        - {table: job_queue, mode: native, phase: mirror, sinks: [redis-main]}
        - {table: mail_queue, mode: emulated, phase: shadow, sinks: [rabbit-main]}
      """;

  static final Map<String, String> ENV = Map.of("DB_PW", "old-db-pw", "REDIS_PW", "old-redis-pw");

  static BridgeConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, "bridge.yml", env::get);
  }

  @Test
  void theSameFileHasNoChanges() throws ConfigException {
    ConfigDiff diff = parse(BASE, ENV).diff(parse(BASE, ENV));
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.lines()).isEmpty();
  }

  @Test
  void writingADefaultOutIsNoChange() throws ConfigException {
    String explicit =
        BASE.replace(
            "phase: mirror,", "phase: mirror, batchSize: 1000, maxBatchBytes: 4MiB, consumers: 4,");
    assertThat(parse(BASE, ENV).diff(parse(explicit, ENV)).isEmpty()).isTrue();
  }

  @Test
  void aPhaseMoveIsReportedFromAndTo() throws ConfigException {
    BridgeConfig next = parse(BASE.replace("phase: mirror", "phase: shadow"), ENV);
    ConfigDiff diff = parse(BASE, ENV).diff(next);

    assertThat(diff.queues()).hasSize(1);
    QueueChanged change = (QueueChanged) diff.queues().get(0);
    assertThat(change.table()).isEqualTo(new TableRef("app", "job_queue"));
    assertThat(change.phaseChange()).contains(new PhaseTransition(Phase.MIRROR, Phase.SHADOW));
    assertThat(change.settings()).containsExactly("phase");
    assertThat(change.otherSettingsChanged()).isFalse();
    assertThat(diff.lines()).containsExactly("queue app.job_queue: phase mirror -> shadow");
  }

  @Test
  void otherQueueSettingsAreNamedByTheirYamlPath() throws ConfigException {
    BridgeConfig next =
        parse(
            BASE.replace(
                "phase: shadow, sinks: [rabbit-main]",
                "phase: cutover, sinks: [rabbit-main], batchSize: 2000,"
                    + " retry: {backoff: 1s..1m}, mapping: {groupId: {column: customer_id}}"),
            ENV);
    ConfigDiff diff = parse(BASE, ENV).diff(next);

    QueueChanged change = (QueueChanged) diff.queues().get(0);
    assertThat(change.table()).isEqualTo(new TableRef("app", "mail_queue"));
    assertThat(change.settings())
        .containsExactly("phase", "batchSize", "retry.backoff", "mapping.groupId");
    assertThat(change.otherSettingsChanged()).isTrue();
    assertThat(diff.lines())
        .containsExactly(
            "queue app.mail_queue: phase shadow -> cutover; changed batchSize, retry.backoff,"
                + " mapping.groupId");
  }

  @Test
  void queuesAreMatchedByTheirResolvedTable() throws ConfigException {
    // job_queue and app.job_queue are the same table: no change.
    String next =
        BASE.replace("table: job_queue", "table: app.job_queue")
            .replace("table: mail_queue", "table: sms_queue");
    ConfigDiff diff = parse(BASE, ENV).diff(parse(next, ENV));

    assertThat(diff.queues()).hasSize(2);
    assertThat(diff.queues().get(0)).isInstanceOf(QueueAdded.class);
    assertThat(diff.queues().get(0).table()).isEqualTo(new TableRef("app", "sms_queue"));
    assertThat(diff.queues().get(1)).isInstanceOf(QueueRemoved.class);
    assertThat(diff.queues().get(1).table()).isEqualTo(new TableRef("app", "mail_queue"));
    assertThat(diff.lines())
        .containsExactly(
            "queue app.sms_queue: added (phase shadow)", "queue app.mail_queue: removed");
  }

  @Test
  void aChangedSecretIsNoticedButNeverShown() throws ConfigException {
    Map<String, String> rotated = new HashMap<>(ENV);
    rotated.put("REDIS_PW", "new-redis-pw");
    rotated.put("DB_PW", "new-db-pw");
    BridgeConfig before = parse(BASE, ENV);
    BridgeConfig next = parse(BASE, rotated);
    ConfigDiff diff = before.diff(next);

    assertThat(diff.queues()).isEmpty();
    assertThat(diff.sinks())
        .containsExactly(new SinkChange("redis-main", SinkChange.Kind.CHANGED, List.of("uri")));
    assertThat(diff.settings()).containsExactly("database.password");
    assertThat(diff.affectedQueues(next))
        .as("queues publishing to a changed sink must be re-planned")
        .containsExactly(new TableRef("app", "job_queue"));
    assertThat(String.join("\n", diff.lines()))
        .isEqualTo("sink redis-main: changed uri\nsetting database.password: changed")
        .doesNotContain("redis-pw")
        .doesNotContain("db-pw");
    assertThat(diff.toString()).doesNotContain("redis-pw").doesNotContain("db-pw");
  }

  @Test
  void sinksAddedAndRemovedAndOtherSectionsAreListed() throws ConfigException {
    String next =
        BASE.replace("rabbit-main: {", "rabbit-backup: {")
                .replace("sinks: [rabbit-main]", "sinks: [rabbit-backup]")
            + "admin: {listen: \"0.0.0.0:9500\"}\npoll: {maxInterval: 20ms}\n";
    BridgeConfig after = parse(next, ENV);
    ConfigDiff diff = parse(BASE, ENV).diff(after);

    assertThat(diff.sinks())
        .containsExactly(
            new SinkChange("rabbit-backup", SinkChange.Kind.ADDED, List.of()),
            new SinkChange("rabbit-main", SinkChange.Kind.REMOVED, List.of()));
    assertThat(diff.settings()).containsExactly("admin.listen", "poll.maxInterval");
    QueueChanged mail = (QueueChanged) diff.queues().get(0);
    assertThat(mail.settings()).containsExactly("sinks");
    assertThat(diff.affectedQueues(after)).containsExactly(new TableRef("app", "mail_queue"));
  }
}
