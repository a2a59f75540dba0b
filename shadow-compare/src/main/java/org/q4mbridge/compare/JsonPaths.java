package org.q4mbridge.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The path syntax of {@link Rules#ignoredPaths()}: {@code $.meta.requestId}, {@code
 * items[*].price}, {@code items.*.price}, {@code $.lines[0]}. A leading {@code $} or {@code $.} is
 * optional; segments are separated by dots; {@code [n]} selects an array index and {@code *} or
 * {@code [*]} any one field or index. A path matches a location exactly (a prefix does not match
 * deeper fields, so ignore {@code meta} to drop the whole object).
 */
final class JsonPaths {
  private JsonPaths() {}

  /** The segments of {@code path}; throws {@link IllegalArgumentException} on bad syntax. */
  static List<String> parse(String path) {
    String p = path.strip();
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    if (p.startsWith(".")) {
      p = p.substring(1);
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    StringBuilder name = new StringBuilder();
    while (i < p.length()) {
      char ch = p.charAt(i);
      if (ch == '.') {
        if (name.isEmpty() && (out.isEmpty() || p.charAt(i - 1) != ']')) {
          throw bad(path, "empty segment");
        }
        flush(name, out);
        i++;
      } else if (ch == '[') {
        flush(name, out);
        int close = p.indexOf(']', i);
        if (close < 0) {
          throw bad(path, "'[' without ']'");
        }
        String idx = p.substring(i + 1, close).strip();
        if (!idx.equals("*") && !idx.matches("\\d+")) {
          throw bad(path, "index must be a number or *");
        }
        out.add(idx);
        i = close + 1;
        if (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
          throw bad(path, "expected '.' or '[' after ']'");
        }
      } else if (ch == ']') {
        throw bad(path, "']' without '['");
      } else {
        name.append(ch);
        i++;
      }
    }
    if (p.endsWith(".")) {
      throw bad(path, "empty segment");
    }
    flush(name, out);
    if (out.isEmpty()) {
      throw bad(path, "a path must name at least one field");
    }
    return List.copyOf(out);
  }

  private static void flush(StringBuilder name, List<String> out) {
    if (!name.isEmpty()) {
      out.add(name.toString());
      name.setLength(0);
    }
  }

  private static IllegalArgumentException bad(String path, String why) {
    return new IllegalArgumentException("ignored path '" + path + "': " + why);
  }

  /** Whether {@code location} (field names and array indices) matches {@code pattern}. */
  static boolean matches(List<String> pattern, List<String> location) {
    if (pattern.size() != location.size()) {
      return false;
    }
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (!p.equals("*") && !p.equals(location.get(i))) {
        return false;
      }
    }
    return true;
  }
}
