package org.q4mbridge.bridge.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  void oneScriptCallCarriesEachMessagesFieldCountAndFieldsAfterTtlAndMaxLen() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("body", "a");
    one.put("key", "k1");
    Map<String, String> two = new LinkedHashMap<>();
    two.put("type", "mail");
    two.put("payload", "b");
    two.put("key", "k2");

    assertThat(DedupScript.args(60_000, null, List.of(one, two)))
        .containsExactly(
            "60000", "", "2", "body", "a", "key", "k1", "3", "type", "mail", "payload", "b", "key",
            "k2");
    assertThat(DedupScript.args(60_000, 1000L, List.of(one))).startsWith("60000", "1000", "2");
    assertThat(DedupScript.keys("jobs", List.of("k1", "k2")))
        .containsExactly("jobs", "q4m-bridge:dedup:{jobs}:k1", "q4m-bridge:dedup:{jobs}:k2");
  }

  @Test
  void eachReplyOfAScriptCallSaysAddedAlreadyThereOrFailed() {
    assertThat(DedupScript.parse("1700000000000-0"))
        .isEqualTo(new DedupScript.Added("1700000000000-0"));
    assertThat(DedupScript.parse("=1700000000000-0"))
        .isEqualTo(new DedupScript.Known("1700000000000-0"));
    assertThat(DedupScript.parse("!WRONGTYPE Operation against a key"))
        .isEqualTo(new DedupScript.Failed("WRONGTYPE Operation against a key"));
  }

  @Test
  void anErrorReplysCodeIsItsUpperCaseFirstWord() {
    assertThat(RedisStreamsSink.errorCode("WRONGTYPE Operation against a key"))
        .isEqualTo("WRONGTYPE");
    assertThat(RedisStreamsSink.errorCode("OOM command not allowed")).isEqualTo("OOM");
    assertThat(RedisStreamsSink.errorCode("Currently not connected")).isEmpty();
  }
}
