package org.q4mbridge.q4m.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds one packet payload: little-endian integers, length-encoded values, strings. */
final class PayloadWriter {
  private byte[] buf;
  private int len;

  PayloadWriter() {
    this(64);
  }

  PayloadWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  PayloadWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  PayloadWriter u16(int v) {
    ensure(2);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    return this;
  }

  PayloadWriter u24(int v) {
    ensure(3);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) (v >>> 16);
    return this;
  }

  PayloadWriter u32(long v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  PayloadWriter u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** A length-encoded integer (values are treated as unsigned). */
  PayloadWriter lenenc(long v) {
    if (v >= 0 && v < 251) {
      return u8((int) v);
    }
    if (v >= 0 && v < (1 << 16)) {
      return u8(0xFC).u16((int) v);
    }
    if (v >= 0 && v < (1 << 24)) {
      return u8(0xFD).u24((int) v);
    }
    return u8(0xFE).u64(v);
  }

  PayloadWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  PayloadWriter bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  PayloadWriter zeros(int n) {
    ensure(n);
    // The buffer is reused after reset(): clear what may be left there.
    Arrays.fill(buf, len, len + n, (byte) 0);
    len += n;
    return this;
  }

  /** A length-encoded string; {@code null} becomes the NULL marker {@code 0xFB}. */
  PayloadWriter lenencBytes(byte[] b) {
    if (b == null) {
      return u8(0xFB);
    }
    return lenenc(b.length).bytes(b);
  }

  PayloadWriter lenencString(String s) {
    return lenencBytes(s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
  }

  PayloadWriter nulString(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8)).u8(0);
  }

  int length() {
    return len;
  }

  /** Overwrites one byte already written (NULL bitmaps are filled in after the values). */
  void set(int at, int v) {
    buf[at] = (byte) v;
  }

  int get(int at) {
    return buf[at] & 0xFF;
  }

  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void reset() {
    len = 0;
  }
}
