package org.q4mbridge.q4m.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of one packet payload: fixed-length little-endian integers, length-encoded
 * integers and strings, NUL-terminated strings. Every read is bounds-checked and a payload that
 * ends early raises {@link ProtocolException#malformed}, so a hostile client cannot make the
 * endpoint read past its packet or allocate more than the packet holds.
 */
final class PayloadReader {
  private final byte[] buf;
  private int pos;

  PayloadReader(byte[] payload) {
    this.buf = payload;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return buf.length - pos;
  }

  boolean hasRemaining() {
    return pos < buf.length;
  }

  private void need(int n, String what) throws ProtocolException {
    if (n < 0 || n > buf.length - pos) {
      throw ProtocolException.malformed(what + " runs past the end of the packet");
    }
  }

  int u8(String what) throws ProtocolException {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  int u16(String what) throws ProtocolException {
    need(2, what);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  int u24(String what) throws ProtocolException {
    need(3, what);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16;
    pos += 3;
    return v;
  }

  long u32(String what) throws ProtocolException {
    need(4, what);
    long v =
        (buf[pos] & 0xFFL)
            | (buf[pos + 1] & 0xFFL) << 8
            | (buf[pos + 2] & 0xFFL) << 16
            | (buf[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  long s64(String what) throws ProtocolException {
    need(8, what);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFFL);
    }
    pos += 8;
    return v;
  }

  /**
   * A length-encoded integer.
   *
   * @return the value; {@code -1} for the NULL marker {@code 0xFB}
   */
  long lenenc(String what) throws ProtocolException {
    int first = u8(what);
    return switch (first) {
      case 0xFB -> -1;
      case 0xFC -> u16(what);
      case 0xFD -> u24(what);
      case 0xFE -> {
        long v = s64(what);
        if (v < 0) {
          throw ProtocolException.malformed(what + " is too large");
        }
        yield v;
      }
      case 0xFF -> throw ProtocolException.malformed(what + " starts with 0xFF");
      default -> first;
    };
  }

  byte[] bytes(int n, String what) throws ProtocolException {
    need(n, what);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  void skip(int n, String what) throws ProtocolException {
    need(n, what);
    pos += n;
  }

  /** A length-encoded string's bytes; {@code null} for the NULL marker. */
  byte[] lenencBytes(String what) throws ProtocolException {
    long n = lenenc(what);
    if (n < 0) {
      return null;
    }
    if (n > remaining()) {
      throw ProtocolException.malformed(what + " runs past the end of the packet");
    }
    return bytes((int) n, what);
  }

  /** Bytes up to the next NUL (consumed); a missing NUL is malformed. */
  byte[] nulBytes(String what) throws ProtocolException {
    for (int i = pos; i < buf.length; i++) {
      if (buf[i] == 0) {
        byte[] out = Arrays.copyOfRange(buf, pos, i);
        pos = i + 1;
        return out;
      }
    }
    throw ProtocolException.malformed(what + " is not NUL-terminated");
  }

  /** A NUL-terminated string, or the rest of the packet when no NUL follows. */
  byte[] nulOrRestBytes() {
    for (int i = pos; i < buf.length; i++) {
      if (buf[i] == 0) {
        byte[] out = Arrays.copyOfRange(buf, pos, i);
        pos = i + 1;
        return out;
      }
    }
    return rest();
  }

  /** A NUL-terminated UTF-8 string (user names, plugin names). */
  String nulString(String what) throws ProtocolException {
    return new String(nulBytes(what), StandardCharsets.UTF_8);
  }

  byte[] rest() {
    byte[] out = Arrays.copyOfRange(buf, pos, buf.length);
    pos = buf.length;
    return out;
  }
}
