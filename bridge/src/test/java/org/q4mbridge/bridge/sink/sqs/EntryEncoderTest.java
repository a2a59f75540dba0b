package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** How one message becomes a SendMessageBatch entry (FIFO ids, attributes, size). */
class EntryEncoderTest {
  private final EntryEncoder encoder = new EntryEncoder(262_144);

  private static OutboundMessage message(String key, String group, Map<String, String> attributes) {
    return new OutboundMessage(key, "jobs.fifo", "{}", Map.of(), attributes, group, 0);
  }

  @Test
  void theDeduplicationIdIsTheKeysSha256HexStableAcrossResends() {
    String id = EntryEncoder.deduplicationId("shop.jobs:7:42");

    assertThat(id)
        .hasSize(64)
        .matches("[0-9a-f]{64}")
        .isEqualTo(EntryEncoder.deduplicationId("shop.jobs:7:42"))
        .isNotEqualTo(EntryEncoder.deduplicationId("shop.jobs:7:43"))
        .isNotEqualTo(EntryEncoder.deduplicationId("shop.jobs:8:42"));
  }

  @Test
  void theGroupIsTheMessagesOwnOrTheDefaultOrAStableHashWhenSqsWouldRefuseIt() {
    assertThat(EntryEncoder.groupId(null)).isEqualTo("q4m");
    assertThat(EntryEncoder.groupId("")).isEqualTo("q4m");
    assertThat(EntryEncoder.groupId("tenant-42/eu")).isEqualTo("tenant-42/eu");
    assertThat(EntryEncoder.groupId("x".repeat(128))).isEqualTo("x".repeat(128));
    assertThat(EntryEncoder.groupId("x".repeat(129)))
        .startsWith("q4m-")
        .hasSize(68)
        .isEqualTo(EntryEncoder.groupId("x".repeat(129)));
    assertThat(EntryEncoder.groupId("tenant 42")).startsWith("q4m-").hasSize(68);
    assertThat(EntryEncoder.groupId("mandant-ü")).startsWith("q4m-");
  }

  @Test
  void aFifoEntryCarriesGroupDeduplicationIdAndTheKeyAttribute() {
    EntryEncoder.Result result =
        encoder.encode(message("shop.jobs:7:1", "g1", Map.of("type", "mail")), 3, true);

    SendMessageBatchRequestEntry entry = result.encoded().entry();
    assertThat(entry.id()).isEqualTo("3");
    assertThat(entry.messageGroupId()).isEqualTo("g1");
    assertThat(entry.messageDeduplicationId())
        .isEqualTo(EntryEncoder.deduplicationId("shop.jobs:7:1"));
    assertThat(entry.messageAttributes()).containsOnlyKeys("q4m-key", "type");
    assertThat(entry.messageAttributes().get("q4m-key").stringValue()).isEqualTo("shop.jobs:7:1");
    assertThat(entry.messageAttributes().get("q4m-key").dataType()).isEqualTo("String");
  }

  @Test
  void theSizeCountsBodyAndEachAttributesNameTypeAndValueInUtf8() {
    EntryEncoder.Result result = encoder.encode(message("k", null, Map.of("type", "é")), 0, false);

    // body "{}" 2 + ("q4m-key" 7 + "String" 6 + "k" 1) + ("type" 4 + 6 + "é" 2)
    assertThat(result.encoded().bytes()).isEqualTo(2 + 14 + 12);
  }

  @Test
  void theKeyAttributeCannotBeOverriddenByTheMessagesOwnAttributes() {
    EntryEncoder.Result result =
        encoder.encode(message("real", null, Map.of("q4m-key", "forged")), 0, false);

    assertThat(result.encoded().entry().messageAttributes().get("q4m-key").stringValue())
        .isEqualTo("real");
  }

  @Test
  void attributeNamesSqsRefusesAreRecognised() {
    assertThat(EntryEncoder.validAttributeName("type")).isTrue();
    assertThat(EntryEncoder.validAttributeName("x-tenant_id.v2")).isTrue();
    assertThat(EntryEncoder.validAttributeName("bad name")).isFalse();
    assertThat(EntryEncoder.validAttributeName(".lead")).isFalse();
    assertThat(EntryEncoder.validAttributeName("trail.")).isFalse();
    assertThat(EntryEncoder.validAttributeName("a..b")).isFalse();
    assertThat(EntryEncoder.validAttributeName("AWS.trace")).isFalse();
    assertThat(EntryEncoder.validAttributeName("amazon.x")).isFalse();
    assertThat(EntryEncoder.validAttributeName("n".repeat(256))).isTrue();
    assertThat(EntryEncoder.validAttributeName("n".repeat(257))).isFalse();
  }

  @Test
  void anOversizeMessageIsRejectedForGoodWithItsSizeAndTheLimit() {
    EntryEncoder small = new EntryEncoder(15);

    EntryEncoder.Result result = small.encode(message("k", null, Map.of()), 0, false);

    assertThat(result.encoded()).isNull();
    assertThat(result.rejected())
        .isEqualTo(
            new Verdict.Rejected(
                "oversize: message of 16 bytes (body and attributes) exceeds the limit of 15 bytes",
                false));
  }
}
