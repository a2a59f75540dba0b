package org.q4mbridge.bridge.pump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.TableRef;

/**
 * What a worker receives for a row: the envelope body, the fields, and which rows are unmappable.
 */
class RowMapperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<QueueColumn> COLUMNS =
      List.of(
          new QueueColumn("job_type", Types.VARCHAR, "VARCHAR"),
          new QueueColumn("payload", Types.LONGVARCHAR, "MEDIUMTEXT"),
          new QueueColumn("grp", Types.VARCHAR, "VARCHAR"));

  private static QueueRow row(Object type, Object payload) {
    return new QueueRow(
        new TableRef("app", "jobs"), 7, 2, COLUMNS, Arrays.asList(type, payload, "g1"));
  }

  private static OutboundMessage map(Mapping m, Object type, Object payload)
      throws MappingException {
    return new RowMapper(m, ZoneOffset.UTC).map(row(type, payload), "jobs");
  }

  private static Mapping requireJson() {
    Mapping d = Mapping.defaults();
    return new Mapping(
        d.typeColumn(),
        d.payloadColumn(),
        d.body(),
        null,
        true,
        List.of(),
        null,
        null,
        null,
        d.createdAtColumn());
  }

  @Test
  void aJsonPayloadIsEmbeddedInTheEnvelopeAsTheProducerWroteIt() throws Exception {
    String payload = "  {\"user\": 42, \"tags\": [\"a\", \"b\"], \"price\": 1.50}\n";
    OutboundMessage m = map(Mapping.defaults(), "email", payload);

    assertThat(m.body())
        .isEqualTo(
            "{\"type\":\"email\",\"payload\":{\"user\": 42, \"tags\": [\"a\", \"b\"], \"price\":"
                + " 1.50}}");
    assertThat(JSON.readTree(m.body()).path("payload").path("user").intValue()).isEqualTo(42);
    assertThat(m.key()).isEqualTo("app.jobs:2:7");
    assertThat(m.fields()).containsEntry("type", "email").containsEntry("payload", payload);
  }

  @Test
  void textThatIsNotOneJsonDocumentTravelsAsAJsonString() throws Exception {
    for (String payload :
        List.of("123", "hello", "{\"a\":1} trailing", "{\"a\":", "[1,2", "{'a':1}", "")) {
      OutboundMessage m = map(Mapping.defaults(), "email", payload);
      assertThat(JSON.readTree(m.body()).path("payload").isTextual())
          .as("payload %s", payload)
          .isTrue();
      assertThat(JSON.readTree(m.body()).path("payload").textValue()).isEqualTo(payload);
    }
  }

  @Test
  void typeAndTextPayloadAreEscapedIntoValidJson() throws Exception {
    String type = "say \"hi\"\\now\u0001";
    String payload = "line1\nline2\t\"quoted\" é ✓";
    OutboundMessage m = map(Mapping.defaults(), type, payload);

    var body = JSON.readTree(m.body());
    assertThat(body.path("type").textValue()).isEqualTo(type);
    assertThat(body.path("payload").textValue()).isEqualTo(payload);
  }

  @Test
  void nullColumnsBecomeJsonNull() throws Exception {
    OutboundMessage m = map(Mapping.defaults(), null, null);

    assertThat(m.body()).isEqualTo("{\"type\":null,\"payload\":null}");
    assertThat(m.fields()).doesNotContainKeys("type", "payload");
  }

  @Test
  void aJsonStringOrArrayPayloadIsJsonToo() throws Exception {
    assertThat(map(Mapping.defaults(), "t", "\"quoted\"").body())
        .isEqualTo("{\"type\":\"t\",\"payload\":\"quoted\"}");
    assertThat(map(Mapping.defaults(), "t", "[1, {\"b\": null}]").body())
        .isEqualTo("{\"type\":\"t\",\"payload\":[1, {\"b\": null}]}");
  }

  @Test
  void requireJsonMakesATextPayloadUnmappableWithTheColumnNamed() throws Exception {
    assertThat(map(requireJson(), "t", "{\"ok\":true}").body())
        .isEqualTo("{\"type\":\"t\",\"payload\":{\"ok\":true}}");
    assertThatThrownBy(() -> map(requireJson(), "t", "{\"a\":1} trailing"))
        .isInstanceOf(MappingException.class)
        .hasMessage("column payload is not valid JSON and mapping.requireJson is set");
  }

  @Test
  void binaryThatIsNotUtf8IsUnmappableWithItsSize() throws Exception {
    byte[] utf8 = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(map(Mapping.defaults(), "t", utf8).body())
        .isEqualTo("{\"type\":\"t\",\"payload\":{\"n\":1}}");

    assertThatThrownBy(() -> map(Mapping.defaults(), "t", new byte[] {(byte) 0xC3, 0x28}))
        .isInstanceOf(MappingException.class)
        .hasMessage("column payload holds 2 bytes that are not valid UTF-8 text");
  }
}
