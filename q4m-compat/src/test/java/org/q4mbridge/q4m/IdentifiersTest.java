package org.q4mbridge.q4m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

  @ParameterizedTest
  @ValueSource(strings = {"jobs", "job_queue", "Q1", "a$b", "t2"})
  void plainNamesAreQuotedWithBackquotes(String name) {
    assertThat(Identifiers.quote(name)).isEqualTo("`" + name + "`");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jobs; DROP TABLE users",
        "jobs`",
        "a b",
        "x'--",
        "",
        "123",
        "t.x",
        "ｊｏｂｓ",
        "a_very_long_name_that_goes_on_and_on_and_on_past_sixty_four_characters_x"
      })
  void namesThatCouldInjectSqlAreRejectedWithTheRule(String name) {
    assertThatThrownBy(() -> Identifiers.quote(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid identifier")
        .hasMessageContaining("expected 1-64 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.jobs", "jobs"})
  void tableRefsResolveTheDefaultSchema(String name) {
    TableRef t = TableRef.parse(name, "app");
    assertThat(t.quoted()).isEqualTo("`app`.`jobs`");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.jobs;x", "app.`jobs`", "app.jo bs"})
  void tableRefsRejectBadParts(String name) {
    assertThatThrownBy(() -> TableRef.parse(name, "app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid identifier");
  }

  @org.junit.jupiter.api.Test
  void bareTableWithoutCurrentDatabaseIsAnError() {
    assertThatThrownBy(() -> TableRef.parse("jobs", null))
        .hasMessageContaining("has no schema and the connection has no current database");
  }

  @org.junit.jupiter.api.Test
  void subscriptionsSplitAtTheFirstColon() {
    Subscription s = Subscription.parse("app.jobs:v>3:x", "db");
    assertThat(s.table()).isEqualTo(new TableRef("app", "jobs"));
    assertThat(s.condition()).isEqualTo("v>3:x");
    assertThat(s.toQueueWaitArgument()).isEqualTo("app.jobs:v>3:x");
    assertThat(Subscription.parse("jobs", "db").condition()).isNull();
  }
}
