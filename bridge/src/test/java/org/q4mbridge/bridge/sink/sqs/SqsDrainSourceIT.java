package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.phase.DrainBack;
import org.q4mbridge.bridge.sink.DrainBackFixture;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;

class SqsDrainSourceIT {

  @Test
  void drainBackReceivesDeletesAndInsertsEachJobOnce() throws Exception {
    try (ElasticMq sqs = ElasticMq.launch();
        DrainBackFixture table = new DrainBackFixture("sqsdrain")) {
      String queue = sqs.createQueue(false);
      List<OutboundMessage> batch = new ArrayList<>();
      for (int n = 0; n < 30; n++) {
        batch.add(
            new OutboundMessage(
                DrainBackFixture.key(n),
                queue,
                DrainBackFixture.body(n),
                Map.of(),
                Map.of("type", "email"),
                null,
                0));
      }
      SqsSink sink = new SqsSink(sqs.options("sqs-main", Duration.ofSeconds(10), 262_144));
      sink.start();
      List<Verdict> sent = sink.publish(batch).toCompletableFuture().get();
      assertThat(sent).allMatch(Verdict::confirmed);
      DrainBack.Result first = table.drain(new SqsDrainSource(sink, queue));
      assertThat(first.moved()).isEqualTo(30);
      assertThat(table.payloads()).hasSize(30);

      SqsSink again = new SqsSink(sqs.options("sqs-main", Duration.ofSeconds(10), 262_144));
      again.start();
      again.publish(batch).toCompletableFuture().get();
      DrainBack.Result second = table.drain(new SqsDrainSource(again, queue));
      assertThat(second.moved()).isZero();
      assertThat(second.duplicates()).isEqualTo(30);
      assertThat(table.payloads()).as("no job twice").hasSize(30);
    }
  }
}
