package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

  static BenchSettings settings(SinkKind sink, String sqsEndpoint, String database, long rows) {
    return new BenchSettings(
        BenchMode.THROUGHPUT,
        sink,
        "jdbc:mysql://127.0.0.1:3306/",
        database,
        "root",
        "",
        "redis://127.0.0.1:6379/0",
        "amqp://guest:guest@127.0.0.1:5672/%2F",
        sqsEndpoint,
        "us-east-1",
        rows,
        1000,
        3,
        BenchSettings.DEFAULT_SWEEP,
        1000,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        4,
        null,
        Duration.ofSeconds(5),
        Duration.ofMinutes(20),
        Path.of("out"),
        null,
        "256m",
        true);
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    assertThatThrownBy(() -> settings(SinkKind.SQS, null, "Bad-Name", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--database must be")
        .hasMessageContaining("--sink sqs needs --sqs-endpoint")
        .hasMessageContaining("--rows must be at least 1, got 0");
  }

  @Test
  void theDefaultDatabaseKeepsThePlainPrefixAndAnyOtherTagsTheDestinations() {
    assertThat(settings(SinkKind.REDIS, null, "q4m_bench", 10).destinationPrefix())
        .isEqualTo("q4m-bench");
    assertThat(settings(SinkKind.REDIS, null, "it_bench_1a", 10).destinationPrefix())
        .isEqualTo("q4m-bench-it_bench_1a");
  }

  @Test
  void jdbcUrlNamesTheDatabaseBeforeAnyParameters() {
    BenchSettings s = settings(SinkKind.REDIS, null, "q4m_bench", 10);
    assertThat(s.jdbc("q4m_bench")).isEqualTo("jdbc:mysql://127.0.0.1:3306/q4m_bench");
  }

  @Test
  void heapSizesReadLikeTheJvmFlag() {
    assertThat(settings(SinkKind.REDIS, null, "q4m_bench", 1).heapBytes()).isEqualTo(256L << 20);
  }

  @Test
  void sweepEntriesReadAsConsumersTimesBatch() {
    assertThat(Sweep.parse(" 8X100 ")).isEqualTo(new Sweep(8, 100));
    assertThat(Sweep.parse("4x200").toString()).isEqualTo("4x200");
    assertThatThrownBy(() -> Sweep.parse("4*100")).hasMessageContaining("such as 4x100");
    assertThatThrownBy(() -> Sweep.parse("0x100")).hasMessageContaining("consumers must be");
    assertThat(BenchSettings.DEFAULT_SWEEP)
        .containsExactlyElementsOf(
            List.of(
                new Sweep(1, 1000),
                new Sweep(2, 1000),
                new Sweep(4, 200),
                new Sweep(4, 500),
                new Sweep(8, 500)));
  }

  @Test
  void cpuLineOfProcStatSplitsBusyFromIdleAndIowait() {
    long[] t = ResourceMeter.parseCpuLine("cpu  100 5 50 800 40 3 2 0 0 0");

    assertThat(t).containsExactly(160, 1000);
    assertThat(ResourceMeter.parseCpuLine("intr 1 2 3")).isNull();
  }
}
