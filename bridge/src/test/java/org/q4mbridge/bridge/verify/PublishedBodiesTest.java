package org.q4mbridge.bridge.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.pump.Mapping;
import org.q4mbridge.bridge.pump.RowMapper;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.ShadowReader.Delivery;
import org.q4mbridge.bridge.sink.redis.RedisStreamsSink;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.TableRef;

/**
 * The body rebuilt from what the shadow consumer reads has the digest of the body the pump
 * published, whatever the payload looks like — and a changed entry does not.
 */
class PublishedBodiesTest {
  private static final List<QueueColumn> COLUMNS =
      List.of(
          new QueueColumn("job_type", Types.VARCHAR, "VARCHAR"),
          new QueueColumn("payload", Types.LONGVARCHAR, "MEDIUMTEXT"),
          new QueueColumn("tenant", Types.VARCHAR, "VARCHAR"));

  private static OutboundMessage map(Mapping m, Object type, Object payload) throws Exception {
    QueueRow row =
        new QueueRow(
            new TableRef("app", "jobs__tap"), 7, 2, COLUMNS, Arrays.asList(type, payload, "acme"));
    return new RowMapper(m, ZoneOffset.UTC).map(row, "jobs.shadow");
  }

  /** The entry the Redis sink writes for a message, as XREADGROUP returns it (minus the key). */
  private static Delivery asRedisEntry(OutboundMessage m) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (m.fields().isEmpty()) {
      fields.put(RedisStreamsSink.BODY_FIELD, m.body());
    } else {
      fields.putAll(m.fields());
    }
    return new Delivery(m.destination(), "1-0", m.key(), fields, null);
  }

  private static String publishedDigest(OutboundMessage m) {
    return PublishedBodies.digest(m.body());
  }

  @Test
  void anUntouchedEntryHasThePublishedDigestWhateverThePayload() throws Exception {
    Mapping withTenant =
        new Mapping(
            "job_type",
            "payload",
            Mapping.Body.ENVELOPE,
            null,
            false,
            List.of("tenant"),
            null,
            null,
            null,
            null);
    Object[][] rows = {
      {"email", "{\"user\": 42, \"price\": 1.50}"},
      {"email", "  [1, 2,\n 3]  \n"},
      {"email", "\"quoted\""},
      {"email", "not json at all: {"},
      {"email", "123"},
      {"email", "{\"a\":1} trailing"},
      {"caf\u00e9 \u2713", "{\"text\": \"\\u00e9 \u2713 \\\" \\\\\"}"},
      {null, "{\"x\":1}"},
      {"email", null},
      {null, null},
      {"email", ""},
    };
    for (Mapping m : List.of(Mapping.defaults(), withTenant)) {
      for (Object[] r : rows) {
        OutboundMessage published = map(m, r[0], r[1]);
        Delivery read = asRedisEntry(published);
        assertThat(PublishedBodies.body(read))
            .as("type %s payload %s", r[0], r[1])
            .isEqualTo(published.body());
        assertThat(PublishedBodies.digest(PublishedBodies.body(read)))
            .isEqualTo(publishedDigest(published));
      }
    }
  }

  @Test
  void aRawColumnBodyAndABodyReceivedAsSuchAreTakenAsTheyAre() throws Exception {
    Mapping raw =
        new Mapping(
            null, null, Mapping.Body.RAW, "payload", false, List.of(), null, null, null, null);
    OutboundMessage published = map(raw, "email", "<job id='1'/>");
    assertThat(PublishedBodies.body(asRedisEntry(published))).isEqualTo(published.body());

    Delivery amqp = new Delivery("verify.jobs", "5", published.key(), Map.of(), "<job/>");
    assertThat(PublishedBodies.body(amqp)).isEqualTo("<job/>");
  }

  @Test
  void anAlteredPayloadChangesTheDigest() throws Exception {
    OutboundMessage published = map(Mapping.defaults(), "email", "{\"user\": 42}");
    Map<String, String> fields = new LinkedHashMap<>(published.fields());
    fields.put("payload", "{\"user\": 43}");
    Delivery altered = new Delivery("jobs.shadow", "1-0", published.key(), fields, null);

    assertThat(PublishedBodies.digest(PublishedBodies.body(altered)))
        .isNotEqualTo(publishedDigest(published));
  }

  @Test
  void theQueueIsTheMessageKeysTableWithoutTheTapSuffix() {
    assertThat(PublishedBodies.queueOf("app.jobs__tap:2:7")).isEqualTo("app.jobs");
    assertThat(PublishedBodies.queueOf("app.jobs:0:1")).isEqualTo("app.jobs");
    assertThat(PublishedBodies.queueOf("app.a:b:0:1")).isEqualTo("app.a:b");
    assertThat(PublishedBodies.queueOf("no-key")).isNull();
    assertThat(PublishedBodies.queueOf(null)).isNull();
  }
}
