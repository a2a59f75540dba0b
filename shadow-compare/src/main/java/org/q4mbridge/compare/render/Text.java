package org.q4mbridge.compare.render;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.q4mbridge.compare.Durations;
import org.q4mbridge.compare.Report;

/** Formatting and escaping shared by the renderers. */
final class Text {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Text() {}

  /** Escapes text for HTML element content and attribute values alike. */
  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Text safe inside a Markdown table cell or code span: pipes, backticks and newlines cannot end
   * the cell or the span, and HTML tags are not interpreted by renderers that allow them.
   */
  static String md(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("`", "'")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "")
        .replace("\n", " ⏎ ");
  }

  static String time(Instant t) {
    return MINUTE.format(t) + " UTC";
  }

  static String axisTime(Instant t, Duration windowLength) {
    return windowLength.compareTo(Duration.ofDays(2)) > 0
        ? DAY.format(t) + " " + CLOCK.format(t)
        : CLOCK.format(t);
  }

  static String window(Report r) {
    return time(r.window().from())
        + " → "
        + time(r.window().to())
        + " ("
        + Durations.format(r.window().length())
        + ")";
  }

  static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String pct(double r) {
    if (Double.isNaN(r)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f%%", r * 100);
  }

  static String duration(Duration d) {
    return d == null ? "> 5m" : "≤ " + Durations.format(d);
  }

  /** Absent (field missing on that side) is shown as an em dash, not as JSON null. */
  static String value(String v) {
    return v == null ? "(absent)" : v;
  }
}
