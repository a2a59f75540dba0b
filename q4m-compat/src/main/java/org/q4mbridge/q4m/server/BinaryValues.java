package org.q4mbridge.q4m.server;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Values of the binary protocol (prepared statements): encodes a column value — given as the text
 * the server sent — in its binary form, and decodes parameters a client sends. Static and
 * thread-safe.
 */
final class BinaryValues {
  private BinaryValues() {}

  /** True for the types whose binary form is a length-encoded string. */
  static boolean isStringForm(int type) {
    return switch (type) {
      case Protocol.TYPE_TINY,
          Protocol.TYPE_SHORT,
          Protocol.TYPE_YEAR,
          Protocol.TYPE_LONG,
          Protocol.TYPE_INT24,
          Protocol.TYPE_LONGLONG,
          Protocol.TYPE_FLOAT,
          Protocol.TYPE_DOUBLE,
          Protocol.TYPE_DATE,
          Protocol.TYPE_NEWDATE,
          Protocol.TYPE_DATETIME,
          Protocol.TYPE_TIMESTAMP,
          Protocol.TYPE_DATETIME2,
          Protocol.TYPE_TIMESTAMP2,
          Protocol.TYPE_TIME,
          Protocol.TYPE_TIME2,
          Protocol.TYPE_NULL ->
          false;
      default -> true;
    };
  }

  /**
   * Writes a non-NULL value in binary form.
   *
   * @param text the value as the text protocol carries it (ASCII for numbers and temporals)
   * @throws NumberFormatException when {@code text} is not a value of {@code type}
   */
  static void encode(PayloadWriter w, int type, boolean unsigned, byte[] text) {
    switch (type) {
      case Protocol.TYPE_TINY -> w.u8((int) integer(text, unsigned));
      case Protocol.TYPE_SHORT, Protocol.TYPE_YEAR -> w.u16((int) integer(text, unsigned));
      case Protocol.TYPE_LONG, Protocol.TYPE_INT24 -> w.u32(integer(text, unsigned));
      case Protocol.TYPE_LONGLONG -> w.u64(integer(text, unsigned));
      case Protocol.TYPE_FLOAT -> w.u32(Float.floatToIntBits(Float.parseFloat(ascii(text))));
      case Protocol.TYPE_DOUBLE -> w.u64(Double.doubleToLongBits(Double.parseDouble(ascii(text))));
      case Protocol.TYPE_DATE,
          Protocol.TYPE_NEWDATE,
          Protocol.TYPE_DATETIME,
          Protocol.TYPE_TIMESTAMP,
          Protocol.TYPE_DATETIME2,
          Protocol.TYPE_TIMESTAMP2 ->
          dateTime(w, ascii(text));
      case Protocol.TYPE_TIME, Protocol.TYPE_TIME2 -> time(w, ascii(text));
      default -> w.lenencBytes(text);
    }
  }

  private static String ascii(byte[] text) {
    return new String(text, StandardCharsets.ISO_8859_1).trim();
  }

  /**
   * An integer's two's-complement bits (unsigned BIGINT values above 2^63 wrap, as on the wire).
   */
  static long integer(byte[] text, boolean unsigned) {
    String s = ascii(text);
    if (unsigned && s.length() >= 19) {
      return new BigInteger(s).longValue();
    }
    return Long.parseLong(s);
  }

  /** {@code YYYY-MM-DD[ HH:MM:SS[.ffffff]]} as 0, 4, 7 or 11 bytes. */
  static void dateTime(PayloadWriter w, String s) {
    int year = num(s, 0, 4);
    int month = num(s, 5, 7);
    int day = num(s, 8, 10);
    int hour = 0;
    int minute = 0;
    int second = 0;
    int micros = 0;
    if (s.length() >= 19) {
      hour = num(s, 11, 13);
      minute = num(s, 14, 16);
      second = num(s, 17, 19);
      if (s.length() > 20 && s.charAt(19) == '.') {
        micros = micros(s.substring(20));
      }
    }
    if (micros != 0) {
      w.u8(11).u16(year).u8(month).u8(day).u8(hour).u8(minute).u8(second).u32(micros);
    } else if (hour != 0 || minute != 0 || second != 0) {
      w.u8(7).u16(year).u8(month).u8(day).u8(hour).u8(minute).u8(second);
    } else if (year != 0 || month != 0 || day != 0) {
      w.u8(4).u16(year).u8(month).u8(day);
    } else {
      w.u8(0);
    }
  }

  /** {@code [-]H+:MM:SS[.ffffff]} as 0, 8 or 12 bytes. */
  static void time(PayloadWriter w, String s) {
    boolean negative = s.startsWith("-");
    String t = negative ? s.substring(1) : s;
    int c1 = t.indexOf(':');
    int hours = Integer.parseInt(t.substring(0, c1));
    int minute = num(t, c1 + 1, c1 + 3);
    int second = num(t, c1 + 4, c1 + 6);
    int micros = t.length() > c1 + 7 && t.charAt(c1 + 6) == '.' ? micros(t.substring(c1 + 7)) : 0;
    int days = hours / 24;
    int hour = hours % 24;
    if (days == 0 && hour == 0 && minute == 0 && second == 0 && micros == 0) {
      w.u8(0);
      return;
    }
    w.u8(micros != 0 ? 12 : 8).u8(negative ? 1 : 0).u32(days).u8(hour).u8(minute).u8(second);
    if (micros != 0) {
      w.u32(micros);
    }
  }

  private static int num(String s, int from, int to) {
    return Integer.parseInt(s.substring(from, to));
  }

  /** A fraction of up to six digits as microseconds ({@code "5"} = 500000). */
  private static int micros(String digits) {
    String d = digits.length() > 6 ? digits.substring(0, 6) : digits;
    StringBuilder sb = new StringBuilder(d);
    while (sb.length() < 6) {
      sb.append('0');
    }
    return Integer.parseInt(sb.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters

  /**
   * Reads one non-NULL parameter of a COM_STMT_EXECUTE.
   *
   * @return a {@link Long}, {@link BigInteger} (unsigned BIGINT above 2^63), {@link Float}, {@link
   *     Double}, or a {@link String} — temporal values as MySQL literals, everything else the
   *     client's bytes read as ISO-8859-1 (passed to the backend byte for byte)
   */
  static Object decodeParam(PayloadReader r, int type, boolean unsigned) throws ProtocolException {
    switch (type) {
      case Protocol.TYPE_TINY -> {
        int v = r.u8("TINY parameter");
        return (long) (unsigned ? v : (byte) v);
      }
      case Protocol.TYPE_SHORT, Protocol.TYPE_YEAR -> {
        int v = r.u16("SHORT parameter");
        return (long) (unsigned ? v : (short) v);
      }
      case Protocol.TYPE_LONG, Protocol.TYPE_INT24 -> {
        long v = r.u32("LONG parameter");
        return unsigned ? v : (long) (int) v;
      }
      case Protocol.TYPE_LONGLONG -> {
        long v = r.s64("LONGLONG parameter");
        if (unsigned && v < 0) {
          return new BigInteger(Long.toUnsignedString(v));
        }
        return v;
      }
      case Protocol.TYPE_FLOAT -> {
        return Float.intBitsToFloat((int) r.u32("FLOAT parameter"));
      }
      case Protocol.TYPE_DOUBLE -> {
        return Double.longBitsToDouble(r.s64("DOUBLE parameter"));
      }
      case Protocol.TYPE_DATE,
          Protocol.TYPE_NEWDATE,
          Protocol.TYPE_DATETIME,
          Protocol.TYPE_TIMESTAMP,
          Protocol.TYPE_DATETIME2,
          Protocol.TYPE_TIMESTAMP2 -> {
        return readDateTime(r, type == Protocol.TYPE_DATE || type == Protocol.TYPE_NEWDATE);
      }
      case Protocol.TYPE_TIME, Protocol.TYPE_TIME2 -> {
        return readTime(r);
      }
      default -> {
        byte[] b = r.lenencBytes("string parameter");
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static String readDateTime(PayloadReader r, boolean dateOnly) throws ProtocolException {
    int len = r.u8("date length");
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long micros = 0;
    if (len != 0 && len != 4 && len != 7 && len != 11) {
      throw ProtocolException.malformed("date parameter of length " + len);
    }
    if (len >= 4) {
      year = r.u16("year");
      month = r.u8("month");
      day = r.u8("day");
    }
    if (len >= 7) {
      hour = r.u8("hour");
      minute = r.u8("minute");
      second = r.u8("second");
    }
    if (len == 11) {
      micros = r.u32("microseconds");
    }
    String date = String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day);
    if (dateOnly) {
      return date;
    }
    String out = date + String.format(Locale.ROOT, " %02d:%02d:%02d", hour, minute, second);
    return micros == 0 ? out : out + String.format(Locale.ROOT, ".%06d", micros);
  }

  private static String readTime(PayloadReader r) throws ProtocolException {
    int len = r.u8("time length");
    if (len != 0 && len != 8 && len != 12) {
      throw ProtocolException.malformed("time parameter of length " + len);
    }
    if (len == 0) {
      return "00:00:00";
    }
    boolean negative = r.u8("time sign") != 0;
    long days = r.u32("days");
    int hour = r.u8("hour");
    int minute = r.u8("minute");
    int second = r.u8("second");
    long micros = len == 12 ? r.u32("microseconds") : 0;
    String out =
        (negative ? "-" : "")
            + String.format(Locale.ROOT, "%02d:%02d:%02d", days * 24 + hour, minute, second);
    return micros == 0 ? out : out + String.format(Locale.ROOT, ".%06d", micros);
  }
}
