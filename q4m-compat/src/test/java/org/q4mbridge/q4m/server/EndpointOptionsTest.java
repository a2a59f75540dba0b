package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointOptionsTest {

  private static EndpointOptions.Builder valid() {
    return EndpointOptions.builder()
        .backend("jdbc:mysql://db:3306/", "q4m", "pw")
        .user("legacy", "secret");
  }

  @Test
  void defaultsListenOnLoopbackWithMysqlsLimits() {
    EndpointOptions o = valid().build();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.maxConnections()).isEqualTo(151);
    assertThat(o.maxPacketSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(o.idleTimeout()).isEqualTo(Duration.ofHours(8));
    assertThat(o.serverVersion()).isNull();
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsOptionName() {
    assertThatThrownBy(
            () ->
                EndpointOptions.builder()
                    .port(70000)
                    .backend("jdbc:postgresql://x/", "", null)
                    .maxConnections(0)
                    .maxPacketSize(10)
                    .idleTimeout(Duration.ZERO)
                    .serverVersion("q4m")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port: must be 0-65535")
        .hasMessageContaining("backendUrl: must be a jdbc:mysql://")
        .hasMessageContaining("backendUser:")
        .hasMessageContaining("backendPassword:")
        .hasMessageContaining("users: at least one client account")
        .hasMessageContaining("maxConnections: must be at least 1")
        .hasMessageContaining("maxPacketSize:")
        .hasMessageContaining("idleTimeout:")
        .hasMessageContaining("serverVersion:");
  }

  @Test
  void aShimUrlIsAcceptedAsBackend() {
    assertThat(
            valid()
                .backend("jdbc:q4m:mysql://db/?q4mPollMaxMillis=20", "q4m", "")
                .build()
                .backendUrl())
        .startsWith("jdbc:q4m:");
  }

  @Test
  void usersAreCopiedSoLaterChangesDoNotLeakIn() {
    java.util.HashMap<String, String> users = new java.util.HashMap<>(Map.of("a", "x"));
    EndpointOptions o =
        new EndpointOptions(
            "127.0.0.1",
            0,
            "jdbc:mysql://db/",
            "q4m",
            "",
            users,
            1,
            1024,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            null);
    users.put("b", "y");
    assertThat(o.users()).containsOnlyKeys("a");
  }

  @Test
  void theAnnouncedVersionFollowsTheBackend() {
    assertThat(Q4mServer.versionFor("10.11.19-MariaDB-0+deb12u1"))
        .isEqualTo("5.5.5-10.11.19-MariaDB-q4m-compat");
    assertThat(Q4mServer.versionFor("8.0.36")).isEqualTo("8.0.36-q4m-compat");
    assertThat(Q4mServer.versionFor("8.0.28-debug")).isEqualTo("8.0.28-q4m-compat");
  }
}
