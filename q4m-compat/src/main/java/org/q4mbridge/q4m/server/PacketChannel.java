package org.q4mbridge.q4m.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The packet layer of one client connection: 3-byte length, 1-byte sequence id, payload; payloads
 * of 16 MiB - 1 bytes or more continue in the next packet. Checks what a client sends before
 * trusting it — the sequence id, the announced length against the packet limit (nothing is
 * allocated beyond what was actually received), and how long a packet may take to arrive.
 *
 * <p>Not thread-safe: used by the connection's own thread. Blocking.
 */
final class PacketChannel {
  /** The client sent nothing for the idle timeout: the connection is closed like MySQL's. */
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException() {
      super("idle timeout");
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int maxPacket;
  private final int netReadTimeoutMillis;
  private int seq;

  PacketChannel(Socket socket, int maxPacket, Duration netReadTimeout) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.maxPacket = maxPacket;
    this.netReadTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, netReadTimeout.toMillis());
  }

  /** A new command starts: the client's packet carries sequence id 0. */
  void resetSequence() {
    seq = 0;
  }

  /**
   * Reads one logical packet (joining continuation packets).
   *
   * @param waitMillis how long to wait for its first byte (0 = forever); the rest must arrive
   *     within the net read timeout
   * @return the payload, or {@code null} when the client closed the connection between packets
   * @throws IdleTimeoutException when nothing arrived within {@code waitMillis}
   * @throws ProtocolException (fatal) for a wrong sequence id, a packet over the limit, or a packet
   *     that stopped arriving
   * @throws EOFException when the client closed the connection inside a packet
   */
  byte[] read(long waitMillis) throws IOException, ProtocolException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMillis));
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException e) {
      throw new IdleTimeoutException();
    }
    if (first < 0) {
      return null;
    }
    socket.setSoTimeout(netReadTimeoutMillis);
    try {
      byte[] payload = new byte[0];
      int total = 0;
      boolean firstHeaderByteRead = true;
      while (true) {
        int b0 = firstHeaderByteRead ? first : readByte();
        firstHeaderByteRead = false;
        int length = b0 | readByte() << 8 | readByte() << 16;
        int packetSeq = readByte();
        if (packetSeq != (seq & 0xFF)) {
          throw new ProtocolException(
              Protocol.ER_NET_PACKETS_OUT_OF_ORDER,
              "08S01",
              "Got packets out of order (expected sequence id "
                  + (seq & 0xFF)
                  + ", got "
                  + packetSeq
                  + ")",
              true);
        }
        seq++;
        if ((long) total + length > maxPacket) {
          throw new ProtocolException(
              Protocol.ER_NET_PACKET_TOO_LARGE,
              "08S01",
              "Got a packet bigger than 'max_allowed_packet' bytes (" + maxPacket + ")",
              true);
        }
        payload = append(payload, total, length);
        total += length;
        if (length < Protocol.MAX_PACKET_CHUNK) {
          return payload.length == total ? payload : Arrays.copyOf(payload, total);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new ProtocolException(
          Protocol.ER_NET_READ_INTERRUPTED,
          "08S01",
          "Got timeout reading communication packets",
          true);
    }
  }

  /**
   * Reads {@code n} bytes after the first {@code filled} of {@code buf}. The buffer grows as bytes
   * arrive, not by the announced length, so a client announcing a large packet and sending little
   * costs little memory.
   */
  private byte[] append(byte[] buf, int filled, int n) throws IOException {
    int end = filled + n;
    int at = filled;
    while (at < end) {
      if (at == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(end, Math.max(8192, buf.length * 2)));
      }
      int r = in.read(buf, at, Math.min(end, buf.length) - at);
      if (r < 0) {
        throw new EOFException("connection closed inside a packet");
      }
      at += r;
    }
    return buf;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a packet");
    }
    return b;
  }

  /** Writes one logical packet (split into continuation packets as needed); buffered. */
  void write(byte[] payload, int off, int len) throws IOException {
    int left = len;
    int at = off;
    while (true) {
      int chunk = Math.min(left, Protocol.MAX_PACKET_CHUNK);
      out.write(chunk & 0xFF);
      out.write((chunk >>> 8) & 0xFF);
      out.write((chunk >>> 16) & 0xFF);
      out.write(seq++ & 0xFF);
      out.write(payload, at, chunk);
      at += chunk;
      left -= chunk;
      if (chunk < Protocol.MAX_PACKET_CHUNK) {
        return;
      }
    }
  }

  void write(PayloadWriter w) throws IOException {
    write(w.array(), 0, w.length());
  }

  void flush() throws IOException {
    out.flush();
  }
}
