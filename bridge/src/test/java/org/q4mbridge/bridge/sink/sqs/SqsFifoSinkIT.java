package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The sink contract and FIFO behaviour (groups, deduplication ids, order) on ElasticMQ. */
class SqsFifoSinkIT extends SqsSinkContract {

  @Override
  protected boolean fifo() {
    return true;
  }

  private static OutboundMessage grouped(String queue, int n, String group) {
    return new OutboundMessage(
        "shop.jobs:7:" + n, queue, "{\"n\":" + n + "}", Map.of(), Map.of("type", "mail"), group, 0);
  }

  private static String key(Message m) {
    return m.messageAttributes().get(EntryEncoder.KEY_ATTRIBUTE).stringValue();
  }

  private static String system(Message m, MessageSystemAttributeName name) {
    return m.attributes().get(name);
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void orderWithinEachGroupIsKeptAcrossRequests() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    List<OutboundMessage> batch = new ArrayList<>();
    for (int n = 0; n < 95; n++) {
      batch.add(grouped(queue, n, "tenant-" + (n % 3)));
    }

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    Map<String, List<String>> arrivedByGroup =
        elasticMq.drain(queue).stream()
            .collect(
                Collectors.groupingBy(
                    m -> system(m, MessageSystemAttributeName.MESSAGE_GROUP_ID),
                    LinkedHashMap::new,
                    Collectors.mapping(SqsFifoSinkIT::key, Collectors.toList())));
    Map<String, List<String>> sentByGroup =
        batch.stream()
            .collect(
                Collectors.groupingBy(
                    OutboundMessage::groupId,
                    LinkedHashMap::new,
                    Collectors.mapping(OutboundMessage::key, Collectors.toList())));
    assertThat(arrivedByGroup).isEqualTo(sentByGroup);
  }

  @Test
  void sendingTheSameGroupedBatchTwiceDeliversEachMessageOnce() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    List<OutboundMessage> batch = new ArrayList<>();
    for (int n = 0; n < 35; n++) {
      batch.add(grouped(queue, n, "tenant-" + (n % 4)));
    }

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    assertThat(elasticMq.drain(queue))
        .extracting(SqsFifoSinkIT::key)
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboundMessage::key).toList());
  }

  @Test
  void aMessageWithoutGroupGoesToTheDefaultGroupWithTheKeysHashAsDeduplicationId()
      throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();

    assertThat(verdicts(sink, batch(queue, 0, 1))).containsExactly(Verdict.CONFIRMED);

    Message got = elasticMq.drain(queue).get(0);
    assertThat(system(got, MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("q4m");
    assertThat(system(got, MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
        .isEqualTo(sha256Hex("shop.jobs:7:0"))
        .hasSize(64);
  }

  @Test
  void aGroupSqsWouldRefuseBecomesAStableValidGroup() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    String group = "tenant ü/42";

    assertThat(verdicts(sink, List.of(grouped(queue, 1, group), grouped(queue, 2, group))))
        .allMatch(Verdict::confirmed);

    assertThat(elasticMq.drain(queue))
        .extracting(m -> system(m, MessageSystemAttributeName.MESSAGE_GROUP_ID))
        .containsOnly("q4m-" + sha256Hex(group))
        .hasSize(2);
  }
}
