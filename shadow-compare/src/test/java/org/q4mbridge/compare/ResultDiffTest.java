package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultDiffTest {
  private static List<FieldDiff> diff(Rules rules, String legacy, String candidate) {
    return new ResultDiff(rules).diffJson(legacy, candidate);
  }

  @Test
  void keyOrderIsAlwaysIgnored() {
    assertThat(
            diff(
                Rules.defaults(),
                "{\"a\":1,\"b\":{\"x\":1,\"y\":2}}",
                "{\"b\":{\"y\":2,\"x\":1},\"a\":1}"))
        .isEmpty();
  }

  @Test
  void changedMissingAndExtraFieldsAreReportedWithTheirPaths() {
    assertThat(
            diff(
                Rules.defaults(),
                "{\"total\":110,\"items\":[{\"sku\":\"A\"}],\"gone\":true}",
                "{\"total\":100,\"items\":[{\"sku\":\"B\"}],\"new\":null}"))
        .containsExactly(
            new FieldDiff("$.gone", "true", null),
            new FieldDiff("$.items[0].sku", "\"A\"", "\"B\""),
            new FieldDiff("$.new", null, "null"),
            new FieldDiff("$.total", "110", "100"));
  }

  @Test
  void arraysCompareByPositionAndReportExtraElements() {
    assertThat(diff(Rules.defaults(), "[1,2]", "[1,2,3]"))
        .containsExactly(new FieldDiff("$[2]", null, "3"));
    assertThat(diff(Rules.defaults(), "[1,2]", "[2,1]")).hasSize(2);
  }

  @Test
  void ignoredPathsAreLeftOutOnBothSides() {
    Rules rules = Rules.defaults().ignoring("$.meta.requestId", "items[*].at");
    assertThat(
            diff(
                rules,
                "{\"meta\":{\"requestId\":\"r1\",\"v\":1},\"items\":[{\"id\":1,\"at\":\"t1\"}]}",
                "{\"meta\":{\"requestId\":\"r2\",\"v\":1},\"items\":[{\"id\":1,\"at\":\"t2\"}]}"))
        .isEmpty();
  }

  @Test
  void anIgnoredPathDoesNotHideItsSiblings() {
    Rules rules = Rules.defaults().ignoring("meta.*");
    assertThat(diff(rules, "{\"meta\":{\"a\":1},\"x\":1}", "{\"meta\":{\"a\":2},\"x\":2}"))
        .containsExactly(new FieldDiff("$.x", "1", "2"));
  }

  @Test
  void numbersCompareByValueByDefault() {
    assertThat(
            diff(
                Rules.defaults(),
                "{\"n\":1,\"m\":2.50,\"z\":0.0}",
                "{\"n\":1.0,\"m\":2.5,\"z\":0}"))
        .isEmpty();
    assertThat(diff(Rules.defaults(), "{\"n\":1}", "{\"n\":\"1\"}")).hasSize(1);
  }

  @Test
  void numericTextEqualsTheNumberWhenConfigured() {
    Rules rules = Rules.defaults().withNumbers(NumberMatching.BY_VALUE_AND_NUMERIC_TEXT);
    assertThat(diff(rules, "{\"n\":1,\"m\":\"2.50\"}", "{\"n\":\"1.0\",\"m\":2.5}")).isEmpty();
    assertThat(diff(rules, "{\"s\":\"01\"}", "{\"s\":1}")).hasSize(1);
  }

  @Test
  void exactNumbersTellOneFromOnePointZero() {
    Rules rules = Rules.defaults().withNumbers(NumberMatching.EXACT);
    assertThat(diff(rules, "{\"n\":1}", "{\"n\":1.0}"))
        .containsExactly(new FieldDiff("$.n", "1", "1.0"));
  }

  @Test
  void largeDecimalsKeepTheirPrecision() {
    assertThat(diff(Rules.defaults(), "{\"n\":0.30000000000000000001}", "{\"n\":0.3}")).hasSize(1);
  }

  @Test
  void textThatIsNotJsonIsComparedAsText() {
    assertThat(diff(Rules.defaults(), "done: 3 rows", "done: 3 rows")).isEmpty();
    assertThat(diff(Rules.defaults(), "done: 3 rows", "done: 4 rows"))
        .containsExactly(new FieldDiff("$", "done: 3 rows", "done: 4 rows"));
  }

  @Test
  void digestsAreComparedWhenASideHasNoJson() {
    Observation l = run("ok", "abc", null);
    assertThat(new ResultDiff(Rules.defaults()).diff(l, run("ok", "ABC", null))).isEmpty();
    assertThat(new ResultDiff(Rules.defaults()).diff(l, run("ok", "def", null))).hasSize(1);
    assertThat(new ResultDiff(Rules.defaults()).diff(run("ok", null, null), run("ok", null, "{}")))
        .containsExactly(new FieldDiff("$", null, "{}"));
  }

  @Test
  void badPathsAreRejectedWhenRulesAreBuilt() {
    assertThatThrownBy(() -> Rules.defaults().ignoring("a..b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a..b");
    assertThatThrownBy(() -> Rules.defaults().ignoring("items[x]")).hasMessageContaining("index");
    assertThatThrownBy(() -> Rules.defaults().ignoring("$")).hasMessageContaining("at least one");
  }

  @Test
  void pathsAcceptBracketAndDotSpellings() {
    assertThat(JsonPaths.parse("$.items[*].id")).containsExactly("items", "*", "id");
    assertThat(JsonPaths.parse("items.*.id")).containsExactly("items", "*", "id");
    assertThat(JsonPaths.parse("$.lines[0]")).containsExactly("lines", "0");
    assertThat(JsonPaths.parse("a[1][2].b")).containsExactly("a", "1", "2", "b");
  }

  private static Observation run(String outcome, String digest, String json) {
    java.time.Instant t = java.time.Instant.parse("2024-01-01T00:00:00Z");
    return new Observation("k", outcome, digest, json, t, t, null);
  }
}
