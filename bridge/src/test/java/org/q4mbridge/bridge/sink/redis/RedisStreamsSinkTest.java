package org.q4mbridge.bridge.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sink's pure parts; everything that talks to Redis is in {@link RedisStreamsSinkIT}. */
class RedisStreamsSinkTest {

  @Test
  void memoryIsNearTheLimitFromNinetyFivePercentOfASetMaxmemory() {
    assertThat(RedisStreamsSink.memoryNearLimit("used_memory:950\r\nmaxmemory:1000\r\n")).isTrue();
    assertThat(RedisStreamsSink.memoryNearLimit("used_memory:949\r\nmaxmemory:1000\r\n")).isFalse();
    assertThat(RedisStreamsSink.memoryNearLimit("used_memory:5000\r\nmaxmemory:0\r\n"))
        .as("no limit set")
        .isFalse();
  }

  @Test
  void theDedupKeyTagsTheStreamSoBothShareASlot() {
    assertThat(DedupScript.dedupKey("jobs", "shop.jobs:7:42"))
        .isEqualTo("q4m-bridge:dedup:{jobs}:shop.jobs:7:42");
  }

  @Test
  void anErrorReplysCodeIsItsUpperCaseFirstWord() {
    assertThat(RedisStreamsSink.errorCode("WRONGTYPE Operation against a key"))
        .isEqualTo("WRONGTYPE");
    assertThat(RedisStreamsSink.errorCode("OOM command not allowed")).isEqualTo("OOM");
    assertThat(RedisStreamsSink.errorCode("Currently not connected")).isEmpty();
  }
}
