package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration notation of the configuration file: a whole number and a unit, {@code 200ms}, {@code
 * 30s}, {@code 5m}, {@code 24h} or {@code 7d}. Deliberately small: no fractions, no compound forms,
 * no ISO-8601, so a value reads the same to every operator.
 */
public final class Durations {
  /** What a valid value looks like, for error messages. */
  static final String EXPECTED = "a duration like 200ms, 30s, 5m or 24h";

  private static final Pattern FORM = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 200ms}, {@code 30s}, {@code 5m}, {@code 24h} or {@code 7d}.
   *
   * @throws IllegalArgumentException when the text has another form
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    try {
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too large", e);
    }
  }

  /**
   * Formats in the largest unit that represents {@code d} exactly, so {@link #parse} reads it back:
   * {@code 30s}, {@code 1500ms}, {@code 24h}. Sub-millisecond parts are dropped (the notation has
   * no finer unit).
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    // 24h stays 24h, as operators write it; days from 2d on.
    if (ms >= 2 * 86_400_000L && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
