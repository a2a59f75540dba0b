package org.q4mbridge.q4m.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A hand-made MySQL client for sending what real drivers never send: raw bytes, wrong sequence ids,
 * lying lengths. Loopback only; every read is bounded by the socket timeout.
 */
final class RawClient implements AutoCloseable {
  /** A packet as read: its sequence id and payload. */
  record Packet(int seq, byte[] payload) {
    boolean isError() {
      return payload.length > 0 && (payload[0] & 0xFF) == 0xFF;
    }

    boolean isOk() {
      return payload.length > 0 && payload[0] == 0;
    }

    int errorCode() {
      return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
    }

    String sqlState() {
      return new String(payload, 4, 5, StandardCharsets.US_ASCII);
    }

    String message() {
      return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private byte[] scramble;

  RawClient(int port, int timeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The next packet, or {@code null} when the server closed the connection. */
  Packet read() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    try {
      int len = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
      int seq = in.readUnsignedByte();
      byte[] p = new byte[len];
      in.readFully(p);
      return new Packet(seq, p);
    } catch (EOFException e) {
      throw new IOException("server closed inside a packet", e);
    }
  }

  /**
   * Reads packets until an error packet or the end of the connection.
   *
   * @return the error packet, or {@code null} when the server just closed
   */
  Packet readUntilErrorOrClose() throws IOException {
    while (true) {
      Packet p;
      try {
        p = read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server neither answered nor closed in time", e);
      } catch (IOException e) {
        if (isReset(e)) {
          return null;
        }
        throw e;
      }
      if (p == null || p.isError()) {
        return p;
      }
    }
  }

  /** True when the server closed the connection (EOF or reset) within the timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        Packet p = read();
        if (p == null) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      if (isReset(e)) {
        return true;
      }
      throw e;
    }
  }

  private static boolean isReset(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("reset") || m.contains("broken pipe");
  }

  void write(int seq, byte[] payload) throws IOException {
    byte[] h = {
      (byte) payload.length,
      (byte) (payload.length >>> 8),
      (byte) (payload.length >>> 16),
      (byte) seq
    };
    out.write(h);
    out.write(payload);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void halfClose() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads the greeting and keeps its scramble. */
  Packet greeting() throws IOException {
    Packet g = read();
    if (g == null || g.isError()) {
      return g;
    }
    byte[] p = g.payload();
    int i = 1;
    while (p[i] != 0) {
      i++;
    }
    i += 1 + 4;
    byte[] s = new byte[20];
    System.arraycopy(p, i, s, 0, 8);
    i += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
    System.arraycopy(p, i, s, 8, 12);
    scramble = s;
    return g;
  }

  /** A HandshakeResponse41 for {@code user} with the native-password token. */
  byte[] login(String user, String password) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int caps =
        Protocol.CLIENT_LONG_PASSWORD
            | Protocol.CLIENT_PROTOCOL_41
            | Protocol.CLIENT_SECURE_CONNECTION
            | Protocol.CLIENT_PLUGIN_AUTH
            | Protocol.CLIENT_TRANSACTIONS;
    write32(b, caps);
    write32(b, 1 << 24);
    b.write(Protocol.COLLATION_UTF8MB4_GENERAL_CI);
    b.writeBytes(new byte[23]);
    b.writeBytes(user.getBytes(StandardCharsets.UTF_8));
    b.write(0);
    byte[] token = NativePassword.token(password, scramble);
    b.write(token.length);
    b.writeBytes(token);
    b.writeBytes(Protocol.NATIVE_PASSWORD.getBytes(StandardCharsets.US_ASCII));
    b.write(0);
    return b.toByteArray();
  }

  /** Greeting, login; returns the server's answer (OK or error). */
  Packet handshake(String user, String password) throws IOException {
    greeting();
    write(1, login(user, password));
    return read();
  }

  private static void write32(ByteArrayOutputStream b, int v) {
    for (int i = 0; i < 4; i++) {
      b.write(v >>> (8 * i));
    }
  }

  static byte[] command(int command, byte... body) {
    byte[] p = Arrays.copyOf(new byte[] {(byte) command}, 1 + body.length);
    System.arraycopy(body, 0, p, 1, body.length);
    return p;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
