package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Request splitting. ElasticMQ does not enforce SQS's limit on a request's total payload, so the
 * byte limit is checked here rather than against the server.
 */
class ChunksTest {

  private static List<EntryEncoder.Encoded> entries(long... sizes) {
    return IntStream.range(0, sizes.length)
        .mapToObj(
            i ->
                new EntryEncoder.Encoded(
                    i,
                    SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).build(),
                    sizes[i],
                    0))
        .toList();
  }

  private static List<List<Integer>> indexes(List<List<EntryEncoder.Encoded>> chunks) {
    return chunks.stream().map(c -> c.stream().map(EntryEncoder.Encoded::index).toList()).toList();
  }

  @Test
  void aChunkHoldsAtMostTenEntriesInOrder() {
    long[] sizes = new long[23];
    java.util.Arrays.fill(sizes, 100);

    List<List<EntryEncoder.Encoded>> chunks = Chunks.split(entries(sizes), 10, 262_144);

    assertThat(chunks).extracting(List::size).containsExactly(10, 10, 3);
    assertThat(indexes(chunks).get(1)).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  }

  @Test
  void aChunkClosesBeforeTheEntryThatWouldTakeItOverTheByteLimit() {
    List<List<EntryEncoder.Encoded>> chunks =
        Chunks.split(entries(100_000, 100_000, 62_144, 1, 262_144, 5), 10, 262_144);

    assertThat(indexes(chunks))
        .containsExactly(List.of(0, 1, 2), List.of(3), List.of(4), List.of(5));
    assertThat(chunks)
        .allSatisfy(
            c ->
                assertThat(c.stream().mapToLong(EntryEncoder.Encoded::bytes).sum())
                    .isLessThanOrEqualTo(262_144));
  }

  @Test
  void noEntriesMakeNoChunks() {
    assertThat(Chunks.split(List.of(), 10, 262_144)).isEmpty();
  }
}
