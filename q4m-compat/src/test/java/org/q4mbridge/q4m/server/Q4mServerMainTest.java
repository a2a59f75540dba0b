package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class Q4mServerMainTest {

  @Test
  void passwordsComeFromTheNamedEnvironmentVariables() {
    EndpointOptions o =
        Q4mServerMain.parse(
            new String[] {
              "--listen", "0.0.0.0:3310",
              "--backend", "jdbc:mysql://db:3306/app",
              "--backend-user", "q4m",
              "--backend-password-env", "BACKEND_PW",
              "--user", "legacy=LEGACY_PW",
              "--user", "monitor=",
              "--max-connections", "20"
            },
            Q4mServerMain.env(Map.of("BACKEND_PW", "b-secret", "LEGACY_PW", "l-secret")));
    assertThat(o.host()).isEqualTo("0.0.0.0");
    assertThat(o.port()).isEqualTo(3310);
    assertThat(o.backendPassword()).isEqualTo("b-secret");
    assertThat(o.users()).containsEntry("legacy", "l-secret").containsEntry("monitor", "");
    assertThat(o.maxConnections()).isEqualTo(20);
  }

  @Test
  void aMissingVariableIsNamedInTheError() {
    assertThatThrownBy(
            () ->
                Q4mServerMain.parse(
                    new String[] {
                      "--backend", "jdbc:mysql://db/", "--backend-user", "q", "--user", "a=NOPE"
                    },
                    Q4mServerMain.env(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable NOPE is not set");
  }

  @Test
  void unknownOptionsAreRefused() {
    assertThatThrownBy(
            () -> Q4mServerMain.parse(new String[] {"--port", "1"}, Q4mServerMain.env(Map.of())))
        .hasMessageContaining("unknown option --port");
  }
}
