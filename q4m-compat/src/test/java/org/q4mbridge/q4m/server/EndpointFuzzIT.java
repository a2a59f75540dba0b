package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken client can send — random bytes, truncated headers, wrong sequence ids,
 * lengths larger than the payload, unknown commands, malformed and oversized packets, wrong
 * passwords — gets a proper error packet or a clean close; the server keeps serving and a
 * well-behaved client working at the same time (a queue worker) is undisturbed. Loopback only,
 * every loop bounded.
 */
class EndpointFuzzIT {
  private static final String FUZZ_USER = "fuzz";
  private static final String FUZZ_PASSWORD = "fuzz-secret";
  private static final int MAX_PACKET = 64 * 1024;

  private static RunningEndpoint endpoint;

  private final AtomicBoolean wellBehavedRuns = new AtomicBoolean();
  private final AtomicLong wellBehavedCycles = new AtomicLong();
  private final List<Throwable> wellBehavedFailures = new ArrayList<>();
  private CompletableFuture<Void> wellBehaved;

  @BeforeAll
  static void start() throws Exception {
    endpoint =
        RunningEndpoint.start(
            "ep_fuzz",
            b ->
                b.user(FUZZ_USER, FUZZ_PASSWORD)
                    .maxPacketSize(MAX_PACKET)
                    .netReadTimeout(Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(2)));
    endpoint.db.exec(RunningEndpoint.queueTable("jobs", "v INT NOT NULL"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  /**
   * A queue worker on Connector/J: insert, wait, read, end — in a loop, all through the endpoint.
   */
  @BeforeEach
  void startWellBehavedClient() {
    wellBehavedRuns.set(true);
    wellBehaved =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = endpoint.connect();
                  Statement st = c.createStatement()) {
                int v = 0;
                while (wellBehavedRuns.get()) {
                  v++;
                  st.executeUpdate("INSERT INTO jobs VALUES (" + v + ")");
                  try (ResultSet rs = st.executeQuery("SELECT queue_wait('jobs', 5)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                  }
                  try (ResultSet rs = st.executeQuery("SELECT v FROM jobs")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(v);
                  }
                  st.executeQuery("SELECT queue_end()").close();
                  wellBehavedCycles.incrementAndGet();
                }
              } catch (Throwable e) {
                synchronized (wellBehavedFailures) {
                  wellBehavedFailures.add(e);
                }
              }
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> wellBehavedCycles.get() > 0 || wellBehaved.isDone());
  }

  @AfterEach
  void wellBehavedClientWasUndisturbed() throws Exception {
    long before = wellBehavedCycles.get();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> wellBehavedCycles.get() > before + 3 || wellBehaved.isDone());
    wellBehavedRuns.set(false);
    wellBehaved.get(30, TimeUnit.SECONDS);
    assertThat(wellBehavedFailures).as("failures of the well-behaved client").isEmpty();
    assertThat(endpoint.server.isRunning()).isTrue();
    try (Connection c = endpoint.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(endpoint.server.connectionCount()).isZero());
  }

  private static RawClient raw() throws IOException {
    return new RawClient(endpoint.port(), 10_000);
  }

  private static RawClient loggedIn() throws IOException {
    RawClient c = raw();
    RawClient.Packet answer = c.handshake(FUZZ_USER, FUZZ_PASSWORD);
    assertThat(answer).isNotNull();
    assertThat(answer.isOk()).as(answer.isError() ? answer.message() : "ok").isTrue();
    return c;
  }

  private static void assertError(RawClient.Packet p, int code, String sqlState) {
    assertThat(p).as("an error packet").isNotNull();
    assertThat(p.isError()).as("an error packet").isTrue();
    assertThat(p.errorCode()).as(p.message()).isEqualTo(code);
    assertThat(p.sqlState()).isEqualTo(sqlState);
  }

  private static void assertStillServes(RawClient c) throws IOException {
    c.write(0, RawClient.command(Protocol.COM_PING));
    RawClient.Packet ok = c.read();
    assertThat(ok).isNotNull();
    assertThat(ok.isOk()).as(ok.isError() ? ok.message() : "ok").isTrue();
  }

  @Test
  void randomBytesAfterTheHandshakeGetErrorsOrACleanClose() throws Exception {
    Random random = new Random(20261129L);
    for (int i = 0; i < 150; i++) {
      try (RawClient c = loggedIn()) {
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        if (i % 2 == 0) {
          // unframed garbage: the header itself is random
          c.writeRaw(junk);
        } else {
          // framed, random command and body: exercises every command parser
          c.write(0, junk);
        }
        c.halfClose();
        RawClient.Packet p = c.readUntilErrorOrClose();
        if (p != null) {
          assertThat(p.errorCode()).isBetween(1000, 1999);
          assertThat(p.sqlState()).matches("[0-9A-Z]{5}");
        }
      }
    }
  }

  @Test
  void aTruncatedHeaderAndAClosedSocketLeaveTheServerServing() throws Exception {
    for (int n = 1; n <= 3; n++) {
      try (RawClient c = loggedIn()) {
        c.writeRaw(new byte[n]);
      }
    }
    try (RawClient c = raw()) {
      c.greeting();
      c.writeRaw(new byte[] {5, 0});
    }
    try (RawClient c = loggedIn()) {
      assertStillServes(c);
    }
  }

  @Test
  void aWrongSequenceIdIsAnOutOfOrderErrorAndClosesTheConnection() throws Exception {
    try (RawClient c = loggedIn()) {
      c.write(3, RawClient.command(Protocol.COM_PING));
      assertError(c.read(), Protocol.ER_NET_PACKETS_OUT_OF_ORDER, "08S01");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aPacketThatStopsArrivingTimesOutWithAnError() throws Exception {
    try (RawClient c = loggedIn()) {
      // announces 100 bytes, sends 10, keeps the socket open
      c.writeRaw(
          new byte[] {
            100, 0, 0, 0, Protocol.COM_QUERY, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1', ' '
          });
      assertError(c.read(), Protocol.ER_NET_READ_INTERRUPTED, "08S01");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aLengthLargerThanThePayloadFollowedByACloseIsAQuietClose() throws Exception {
    try (RawClient c = loggedIn()) {
      c.writeRaw(new byte[] {(byte) 0xF0, (byte) 0xFF, 0, 0, Protocol.COM_QUERY, 'S'});
      c.halfClose();
      assertThat(c.readUntilErrorOrClose()).isNull();
    }
  }

  @Test
  void unknownCommandsAreReportedAndTheConnectionGoesOn() throws Exception {
    try (RawClient c = loggedIn()) {
      for (int command : new int[] {0x05, 0x06, 0x08, 0x0a, 0x10, 0x1e, 0x20, 0x7f, 0xff}) {
        c.write(0, RawClient.command(command, (byte) 1, (byte) 2));
        assertError(c.read(), Protocol.ER_UNKNOWN_COM_ERROR, "08S01");
      }
      assertStillServes(c);
    }
  }

  @Test
  void malformedCommandPayloadsAreReportedAndTheConnectionGoesOn() throws Exception {
    try (RawClient c = loggedIn()) {
      c.write(0, new byte[0]);
      assertError(c.read(), Protocol.ER_MALFORMED_PACKET, "08S01");
      c.write(0, RawClient.command(Protocol.COM_STMT_EXECUTE, (byte) 1));
      assertError(c.read(), Protocol.ER_MALFORMED_PACKET, "08S01");
      c.write(
          0, RawClient.command(Protocol.COM_STMT_EXECUTE, (byte) 9, (byte) 0, (byte) 0, (byte) 0));
      assertError(c.read(), Protocol.ER_UNKNOWN_STMT_HANDLER, "HY000");
      c.write(0, RawClient.command(Protocol.COM_PROCESS_KILL, (byte) 1));
      assertError(c.read(), Protocol.ER_MALFORMED_PACKET, "08S01");
      c.write(0, RawClient.command(Protocol.COM_FIELD_LIST));
      assertError(c.read(), Protocol.ER_MALFORMED_PACKET, "08S01");
      c.write(0, RawClient.command(Protocol.COM_SET_OPTION, (byte) 9, (byte) 0));
      assertError(c.read(), Protocol.ER_UNKNOWN_COM_ERROR, "08S01");
      // a prepared statement, then an execution whose parameter block is cut short
      c.write(0, RawClient.command(Protocol.COM_STMT_PREPARE, "SELECT ?, ?".getBytes()));
      RawClient.Packet prepared = c.read();
      assertThat(prepared.isOk()).isTrue();
      int id = prepared.payload()[1] & 0xFF;
      for (int i = 0; i < 3; i++) {
        assertThat(c.read()).isNotNull(); // two parameter definitions and their EOF
      }
      c.write(
          0,
          RawClient.command(
              Protocol.COM_STMT_EXECUTE,
              (byte) id,
              (byte) 0,
              (byte) 0,
              (byte) 0,
              (byte) 0,
              (byte) 1,
              (byte) 0,
              (byte) 0,
              (byte) 0,
              (byte) 0,
              (byte) 1,
              (byte) Protocol.TYPE_LONG));
      assertError(c.read(), Protocol.ER_MALFORMED_PACKET, "08S01");
      assertStillServes(c);
    }
  }

  @Test
  void anOversizedPacketIsRefusedWith1153AndTheConnectionClosed() throws Exception {
    try (RawClient c = loggedIn()) {
      // announces 1 MiB against a 64 KiB limit; nothing of it is read
      c.writeRaw(new byte[] {0, 0, 0x10, 0, Protocol.COM_QUERY});
      assertError(c.read(), Protocol.ER_NET_PACKET_TOO_LARGE, "08S01");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = loggedIn()) {
      // a real query over the limit, in continuation packets' worth of bytes
      byte[] sql = ("SELECT '" + "x".repeat(MAX_PACKET) + "'").getBytes();
      c.write(0, RawClient.command(Protocol.COM_QUERY, sql));
      assertError(c.read(), Protocol.ER_NET_PACKET_TOO_LARGE, "08S01");
      assertThat(c.closedByServer()).isTrue();
    }
    try (Connection cj = endpoint.connect();
        Statement st = cj.createStatement()) {
      assertThatThrownBy(() -> st.executeQuery("SELECT '" + "y".repeat(MAX_PACKET) + "'"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void wrongPasswordsAndUnknownUsersAreDeniedWith1045() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (RawClient c = raw()) {
        RawClient.Packet p = c.handshake(i % 2 == 0 ? FUZZ_USER : "nobody" + i, "wrong" + i);
        assertError(p, Protocol.ER_ACCESS_DENIED_ERROR, "28000");
        assertThat(p.message()).contains("Access denied for user").contains("using password: YES");
        assertThat(c.closedByServer()).isTrue();
      }
    }
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                    endpoint.url(), RunningEndpoint.USER, "not-the-password"))
        .isInstanceOf(SQLException.class)
        .satisfies(
            e -> {
              assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045);
              assertThat(((SQLException) e).getSQLState()).isEqualTo("28000");
            });
    assertThat(endpoint.stats.rejected("access_denied")).isGreaterThanOrEqualTo(21);
    try (RawClient c = loggedIn()) {
      assertStillServes(c);
    }
  }

  @Test
  void aGarbledOrSslHandshakeIsRefusedWith1043() throws Exception {
    try (RawClient c = raw()) {
      c.greeting();
      c.write(1, new byte[] {1, 2, 3, 4, 5, 6, 7});
      assertError(c.read(), Protocol.ER_HANDSHAKE_ERROR, "08S01");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawClient c = raw()) {
      c.greeting();
      byte[] ssl = new byte[32];
      int caps =
          Protocol.CLIENT_PROTOCOL_41 | Protocol.CLIENT_SSL | Protocol.CLIENT_SECURE_CONNECTION;
      for (int i = 0; i < 4; i++) {
        ssl[i] = (byte) (caps >>> (8 * i));
      }
      c.write(1, ssl);
      RawClient.Packet p = c.read();
      assertError(p, Protocol.ER_HANDSHAKE_ERROR, "08S01");
      assertThat(p.message()).contains("SSL");
    }
    try (RawClient c = raw()) {
      // says nothing at all: dropped after the connect timeout
      c.greeting();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void connectionsOverTheLimitAreRefusedWith1040() throws Exception {
    try (RunningEndpoint small = RunningEndpoint.start("ep_limit", b -> b.maxConnections(2));
        Connection a = small.connect();
        Connection b = small.connect()) {
      assertThatThrownBy(small::connect)
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getErrorCode()).isEqualTo(1040);
                assertThat(e.getMessage()).contains("Too many connections");
              });
      assertThat(small.stats.rejected("too_many_connections")).isEqualTo(1);
      a.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                try (Connection c = small.connect()) {
                  assertThat(c.isValid(5)).isTrue();
                }
              });
      assertThat(b.isValid(5)).isTrue();
    }
  }
}
