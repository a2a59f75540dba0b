package org.q4mbridge.bridge.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte-size notation of the configuration file: a plain number of bytes ({@code 262144}) or a
 * whole number with a binary unit ({@code 256KiB}, {@code 1MiB}, {@code 1GiB}). Decimal units such
 * as {@code MB} are rejected rather than guessed: broker limits are powers of two and a 4.6 %
 * difference matters at the limit.
 */
public final class ByteSizes {
  /** What a valid value looks like, for error messages. */
  static final String EXPECTED = "a size like 262144, 256KiB or 1MiB";

  private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");

  private ByteSizes() {}

  /**
   * Parses {@code 262144}, {@code 512B}, {@code 256KiB}, {@code 1MiB} or {@code 2GiB}.
   *
   * @throws IllegalArgumentException when the text has another form
   */
  public static long parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long scale =
        switch (unit) {
          case "KiB" -> 1L << 10;
          case "MiB" -> 1L << 20;
          case "GiB" -> 1L << 30;
          default -> 1L;
        };
    try {
      return Math.multiplyExact(n, scale);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large", e);
    }
  }

  /** Formats in the largest binary unit that represents {@code bytes} exactly ({@code 1MiB}). */
  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return Long.toString(bytes);
  }
}
