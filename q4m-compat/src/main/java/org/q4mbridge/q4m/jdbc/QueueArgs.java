package org.q4mbridge.q4m.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Converts Q4M function arguments the way MySQL converts UDF arguments: a string where the function
 * expects an integer reads its leading number ({@code 't2'} is 0, {@code '10s'} is 10), a number
 * where it expects a string reads as its decimal text.
 */
final class QueueArgs {
  private QueueArgs() {}

  /**
   * A numeric literal's value.
   *
   * @param text digits with an optional fraction/exponent, or {@code 0x…}/{@code 0b…}
   * @param sign 1 or -1
   * @return a {@link Long} when integral and in range, else a {@link BigDecimal}; {@code null} when
   *     unparsable
   */
  static Object parseNumber(String text, int sign) {
    try {
      BigDecimal v;
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("0x")) {
        v = new BigDecimal(new BigInteger(text.substring(2), 16));
      } else if (lower.startsWith("0b")) {
        v = new BigDecimal(new BigInteger(text.substring(2), 2));
      } else {
        v = new BigDecimal(text);
      }
      if (sign < 0) {
        v = v.negate();
      }
      try {
        return v.longValueExact();
      } catch (ArithmeticException notIntegral) {
        return v;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Normalises a bound parameter value to what a literal would have given. */
  static Object fromParameter(Object v) {
    if (v == null || v instanceof String || v instanceof Long || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return parseNumber(b.toString(), 1);
    }
    if (v instanceof Double || v instanceof Float) {
      return BigDecimal.valueOf(((Number) v).doubleValue());
    }
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return v.toString();
  }

  /**
   * The integer MySQL would pass for {@code v}.
   *
   * @return {@code null} for SQL NULL
   */
  static Long toInteger(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof BigDecimal d) {
      return clamp(d.setScale(0, RoundingMode.HALF_UP));
    }
    String s = v.toString().strip();
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int digitsStart = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digitsStart) {
      return 0L;
    }
    BigDecimal d = new BigDecimal(s.substring(digitsStart, i));
    return clamp(negative ? d.negate() : d);
  }

  private static long clamp(BigDecimal d) {
    if (d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    if (d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return Long.MIN_VALUE;
    }
    return d.longValue();
  }

  /**
   * The string MySQL would pass for {@code v}.
   *
   * @return {@code null} for SQL NULL
   */
  static String toText(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }
}
