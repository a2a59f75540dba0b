package org.q4mbridge.q4m.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ShimOptionsTest {

  @Test
  void defaultsApplyWhenTheUrlNamesNothing() throws SQLException {
    ShimOptions o = ShimOptions.from("jdbc:q4m:mysql://h:3306/app", null);
    assertThat(o.rowIdColumn()).isEqualTo("q4m_rowid");
    assertThat(o.minPoll()).isEqualTo(Duration.ofMillis(2));
    assertThat(o.maxPoll()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void urlQueryAndPropertiesAreReadAndPropertiesWin() throws SQLException {
    Properties p = new Properties();
    p.setProperty("q4mPollMaxMillis", "250");
    ShimOptions o =
        ShimOptions.from(
            "jdbc:q4m:mysql://h/app?useSSL=false&q4mRowIdColumn=id&q4mPollMaxMillis=50", p);
    assertThat(o.rowIdColumn()).isEqualTo("id");
    assertThat(o.maxPoll()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void badValuesAreRejectedWithWhatWasExpected() {
    assertThatThrownBy(() -> ShimOptions.from("jdbc:q4m:mysql://h/app?q4mRowIdColumn=a-b", null))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("q4mRowIdColumn='a-b'")
        .hasMessageContaining("expected a column name");
    assertThatThrownBy(() -> ShimOptions.from("jdbc:q4m:mysql://h/app?q4mPollMinMillis=x", null))
        .hasMessageContaining("whole number of milliseconds");
    assertThatThrownBy(
            () ->
                ShimOptions.from(
                    "jdbc:q4m:mysql://h/app?q4mPollMinMillis=50&q4mPollMaxMillis=10", null))
        .hasMessageContaining("1 <= q4mPollMinMillis <= q4mPollMaxMillis");
  }

  @Test
  void theCounterScopeIsTheUrlsHostAndPort() {
    assertThat(Q4mDriver.server("jdbc:mysql://127.0.0.1:3306/app?x=1")).isEqualTo("127.0.0.1:3306");
    assertThat(Q4mDriver.server("jdbc:mysql://db1/app")).isEqualTo("db1");
  }
}
