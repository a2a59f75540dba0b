package org.q4mbridge.bridge.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSinkOptionsTest {
  private static final Duration TTL = Duration.ofHours(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static RedisSinkOptions options(String uri) {
    return new RedisSinkOptions("redis-main", uri, null, true, TTL, TIMEOUT, 1 << 20);
  }

  @Test
  void aPlainTlsOrAclUriIsAccepted() {
    options("redis://127.0.0.1:6379");
    options("rediss://cache.example:6380/2");
    options("redis://bridge:s3cret@127.0.0.1:6379/0");
  }

  @Test
  void theRecordsTextNeverShowsThePassword() {
    RedisSinkOptions options = options("redis://bridge:s3cret@127.0.0.1:6379/0");

    assertThat(options.toString())
        .contains("uri=redis://bridge:***@127.0.0.1:6379/0")
        .doesNotContain("s3cret");
    assertThat(options.redactedUri()).isEqualTo("redis://bridge:***@127.0.0.1:6379/0");
  }

  @Test
  void aUserInfoWithoutColonIsAPasswordAndHiddenWhole() {
    assertThat(RedisSinkOptions.redact("redis://s3cret@host:6379"))
        .isEqualTo("redis://***@host:6379");
  }

  @Test
  void aDriverMessageQuotingThePasswordIsScrubbed() {
    RedisSinkOptions options = options("redis://bridge:p%40ss@127.0.0.1:6379");

    assertThat(options.scrub("AUTH p@ss failed, p%40ss")).isEqualTo("AUTH *** failed, ***");
  }

  @Test
  void aWrongSchemeIsRefusedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> options("http://bridge:s3cret@127.0.0.1:6379"))
        .hasMessage(
            "sink 'redis-main': uri must start with redis:// or rediss://,"
                + " was http://bridge:***@127.0.0.1:6379");
  }

  @Test
  void everyBadValueIsNamedWithTheSink() {
    String uri = "redis://127.0.0.1:6379";
    assertThatThrownBy(() -> new RedisSinkOptions(" ", uri, null, false, null, TIMEOUT, 1))
        .hasMessage("redis sink: name must not be blank");
    assertThatThrownBy(() -> new RedisSinkOptions("r", uri, 0L, false, null, TIMEOUT, 1))
        .hasMessage("sink 'r': maxLen must be at least 1 (or absent for no trimming), was 0");
    assertThatThrownBy(() -> new RedisSinkOptions("r", uri, null, true, null, TIMEOUT, 1))
        .hasMessage("sink 'r': dedupTtl is required when dedup is on");
    assertThatThrownBy(() -> new RedisSinkOptions("r", uri, null, true, Duration.ZERO, TIMEOUT, 1))
        .hasMessage("sink 'r': dedupTtl must be at least 1 ms, was 0 ms");
    assertThatThrownBy(() -> new RedisSinkOptions("r", uri, null, false, null, null, 1))
        .hasMessage("sink 'r': publishTimeout must be at least 1 ms, was absent");
    assertThatThrownBy(() -> new RedisSinkOptions("r", uri, null, false, null, TIMEOUT, 0))
        .hasMessage(
            "sink 'r': maxMessageBytes must be between 1 and 536870912 (Redis's"
                + " proto-max-bulk-len), was 0");
  }
}
