package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class SystemdNotifierTest {

  private static String receive(AFUNIXDatagramChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    ch.receive(buf);
    buf.flip();
    return StandardCharsets.UTF_8.decode(buf).toString();
  }

  @Test
  void sendsToAPathSocket(@TempDir Path dir) throws Exception {
    Path sock = dir.resolve("notify");
    try (AFUNIXDatagramChannel server = AFUNIXDatagramChannel.open()) {
      server.bind(AFUNIXSocketAddress.of(sock));
      try (SystemdNotifier n =
          SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString()), 42)) {
        assertThat(n.ready("ready; app.jobs cutover")).isTrue();
      }
      assertThat(receive(server)).isEqualTo("READY=1\nSTATUS=ready; app.jobs cutover");
    }
  }

  @Test
  void sendsToAnAbstractNamespaceSocket() throws Exception {
    String name = "q4m-bridge-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    try (AFUNIXDatagramChannel server = AFUNIXDatagramChannel.open()) {
      server.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
      try (SystemdNotifier n =
          SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name), 42)) {
        assertThat(n.reloading("reloading")).isTrue();
        assertThat(n.stopping("stopping")).isTrue();
      }
      assertThat(receive(server)).matches("RELOADING=1\nMONOTONIC_USEC=\\d+\nSTATUS=reloading");
      assertThat(receive(server)).isEqualTo("STOPPING=1\nSTATUS=stopping");
    }
  }

  @Test
  void sendsNothingWithoutNotifySocketAndNeverThrowsWhenNobodyListens(@TempDir Path dir) {
    assertThat(SystemdNotifier.fromEnvironment(Map.of(), 1).enabled()).isFalse();
    assertThat(SystemdNotifier.NONE.watchdog()).isFalse();
    SystemdNotifier gone =
        SystemdNotifier.fromEnvironment(
            Map.of("NOTIFY_SOCKET", dir.resolve("nobody").toString()), 1);
    assertThat(gone.enabled()).isTrue();
    assertThat(gone.watchdog()).isFalse();
  }

  @Test
  void watchdogPingsEveryHalfOfWatchdogUsecOnlyForThisProcess() {
    assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "20000000"), 7))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            SystemdNotifier.watchdogInterval(
                Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", "7"), 7))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            SystemdNotifier.watchdogInterval(
                Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", "8"), 7))
        .isNull();
    assertThat(SystemdNotifier.watchdogInterval(Map.of(), 7)).isNull();
    assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 7)).isNull();
  }

  @Test
  void statusIsOneBoundedLine() {
    assertThat(SystemdNotifier.oneLine("a\nb")).isEqualTo("a b");
    assertThat(SystemdNotifier.oneLine("x".repeat(1000))).hasSize(400);
  }
}
