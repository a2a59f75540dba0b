package org.q4mbridge.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A YAML mapping being validated at a path ({@code queues[0].retry}). Every typed read records the
 * key as known, reports a problem (with the path, what is expected and what was found) instead of
 * throwing, and returns the default so reading goes on and every problem is found in one pass.
 * {@link #finish()} then reports the keys nobody read as unknown.
 *
 * <p>A key whose value is YAML {@code null} (written as {@code key:} with nothing after it) counts
 * as absent.
 */
final class Section {
  private final Reading reading;
  private final String path;
  private final ObjectNode node;
  private final Set<String> known = new LinkedHashSet<>();

  /**
   * True when the value here was not a mapping (a scalar or a list): that one problem is reported,
   * and the keys it therefore lacks are not reported again one by one.
   */
  private final boolean unreadable;

  private Section(Reading reading, String path, ObjectNode node, boolean unreadable) {
    this.reading = reading;
    this.path = path;
    this.node = node;
    this.unreadable = unreadable;
  }

  /**
   * The mapping at {@code path}: {@code node} itself, an empty mapping when it is absent, or an
   * empty, unreadable mapping and a problem when it is something else.
   */
  static Section of(Reading reading, String path, JsonNode node, String expected) {
    return of(reading, path, node, expected, false);
  }

  private static Section of(
      Reading reading, String path, JsonNode node, String expected, boolean parentUnreadable) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new Section(reading, path, JsonNodeFactory.instance.objectNode(), parentUnreadable);
    }
    if (!node.isObject()) {
      reading.problem(path, "expected " + expected + ", got " + shown(node));
      return new Section(reading, path, JsonNodeFactory.instance.objectNode(), true);
    }
    return new Section(reading, path, (ObjectNode) node, parentUnreadable);
  }

  String path() {
    return path;
  }

  Reading reading() {
    return reading;
  }

  /** The path of {@code key} inside this mapping. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Records a problem with {@code key}; silent in an unreadable mapping (see above). */
  void problem(String key, String message) {
    if (!unreadable) {
      reading.problem(pathOf(key), message);
    }
  }

  /** True when {@code key} is present with a non-null value; marks it known. */
  boolean has(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The node under {@code key} as written (a missing node when absent); marks it known. */
  JsonNode rawNode(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : v;
  }

  /** The child mapping under {@code key} (empty when absent). */
  Section section(String key, String expected) {
    known.add(key);
    return of(reading, pathOf(key), node.get(key), expected, unreadable);
  }

  /**
   * Every entry of this mapping, in file order, all marked known: for mappings whose keys are names
   * chosen by the operator ({@code sinks:}).
   */
  Map<String, JsonNode> entries() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      known.add(e.getKey());
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** One element of a YAML list, with its path ({@code queues[2]}). */
  record Element(String path, JsonNode node) {}

  /** The elements of the list under {@code key}; empty when absent, a problem when not a list. */
  List<Element> list(String key, String expected) {
    known.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      problem(key, "expected " + expected + ", got " + shown(v));
      return List.of();
    }
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(new Element(pathOf(key) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  // ---- scalars -------------------------------------------------------------------------------
  //
  // The loader keeps every scalar as the text written in the file (see ConfigLoader.tree), so each
  // setting parses its own type here: no YAML 1.1 surprises (off = false, 0755 = 493, 1e3 = 1000.0)
  // can change a value before it is checked, and messages quote what the operator wrote.

  /** A resolved string value, with how to show it in an error message without leaking secrets. */
  record Text(String path, String value, String raw, boolean referenced) {
    /** {@code 'lots'}, or {@code the value of '${env:X}'} when it came from a reference. */
    String shown() {
      return referenced ? "the value of '" + raw + "'" : "'" + value + "'";
    }
  }

  /**
   * The scalar under {@code key} with references resolved; empty when absent or invalid (the
   * problem is recorded).
   */
  Optional<Text> text(String key, String expected) {
    known.add(key);
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    return textOf(pathOf(key), v, expected);
  }

  /** As {@link #text} for a list element or any node at {@code path}. */
  Optional<Text> textOf(String at, JsonNode v, String expected) {
    if (!v.isValueNode()) {
      reading.problem(at, "expected " + expected + ", got " + shown(v));
      return Optional.empty();
    }
    String raw = v.asText();
    try {
      References.Resolved r = reading.references().resolve(raw);
      if (r.referenced()) {
        reading.referenced(at);
      }
      return Optional.of(new Text(at, r.value(), raw, r.referenced()));
    } catch (IllegalArgumentException e) {
      reading.problem(at, e.getMessage());
      return Optional.empty();
    }
  }

  /** A string that must be present and not blank; empty (and a problem) otherwise. */
  Optional<Text> requiredText(String key, String expected) {
    boolean present = has(key);
    if (!present) {
      problem(key, "missing (expected " + expected + ")");
      return Optional.empty();
    }
    return text(key, expected).filter(t -> notBlank(t, expected));
  }

  /** A string that may be absent, but not blank when present. */
  Optional<Text> optionalText(String key, String expected) {
    return text(key, expected).filter(t -> notBlank(t, expected));
  }

  private boolean notBlank(Text t, String expected) {
    if (t.value().isBlank()) {
      reading.problem(t.path(), "expected " + expected + ", got an empty value");
      return false;
    }
    return true;
  }

  /** A whole number from {@code min} to {@code max}; empty when absent or invalid. */
  OptionalLong wholeNumber(String key, long min, long max) {
    String expected =
        max == Long.MAX_VALUE
            ? "a whole number of at least " + min
            : "a whole number from " + min + " to " + max;
    Optional<Text> t = text(key, expected);
    if (t.isEmpty()) {
      return OptionalLong.empty();
    }
    long n;
    try {
      n = Long.parseLong(t.get().value().strip());
    } catch (NumberFormatException e) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return OptionalLong.empty();
    }
    if (n < min || n > max) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return OptionalLong.empty();
    }
    return OptionalLong.of(n);
  }

  /** {@link #wholeNumber} with a default for int settings. */
  int integer(String key, int defaultValue, int min, int max) {
    return (int) wholeNumber(key, min, max).orElse(defaultValue);
  }

  /** A decimal number from {@code min} to {@code max}, else {@code defaultValue}. */
  double decimal(String key, double defaultValue, double min, double max) {
    String expected = "a number from " + plain(min) + " to " + plain(max);
    Optional<Text> t = text(key, expected);
    if (t.isEmpty()) {
      return defaultValue;
    }
    String s = t.get().value().strip();
    // Plain decimal notation only: no hex, no .inf / .nan, no 1_000.
    if (!DECIMAL.matcher(s).matches()) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return defaultValue;
    }
    double d = Double.parseDouble(s);
    if (d < min || d > max) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return defaultValue;
    }
    return d;
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code true} or {@code false} (YAML 1.2: also True, TRUE, False, FALSE); else empty. */
  Optional<Boolean> optionalBool(String key) {
    Optional<Text> t = text(key, "true or false");
    if (t.isEmpty()) {
      return Optional.empty();
    }
    switch (t.get().value().strip()) {
      case "true", "True", "TRUE":
        return Optional.of(true);
      case "false", "False", "FALSE":
        return Optional.of(false);
      default:
        // yes/no/on/off are booleans only in YAML 1.1; here they are a mistake worth a word.
        problem(key, "expected true or false, got " + t.get().shown());
        return Optional.empty();
    }
  }

  boolean bool(String key, boolean defaultValue) {
    return optionalBool(key).orElse(defaultValue);
  }

  /** The YAML name of an enum constant: {@code TWO_STEP} is {@code two-step}. */
  static String yamlName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** One of {@code type}'s constants by YAML name; empty when absent or invalid. */
  <E extends Enum<E>> Optional<E> optionalChoice(String key, Class<E> type) {
    Optional<Text> t = text(key, "one of " + names(type));
    if (t.isEmpty()) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (yamlName(e).equals(t.get().value())) {
        return Optional.of(e);
      }
    }
    problem(key, "expected one of " + names(type) + ", got " + t.get().shown());
    return Optional.empty();
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    return optionalChoice(key, type).orElse(defaultValue);
  }

  static <E extends Enum<E>> String names(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(yamlName(e));
    }
    return String.join(", ", names);
  }

  /** A duration from {@code min} to {@code max}; empty when absent or invalid. */
  Optional<Duration> optionalDuration(String key, Duration min, Duration max) {
    Optional<Text> t = text(key, Durations.EXPECTED);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Durations.parse(t.get().value());
    } catch (IllegalArgumentException e) {
      problem(key, "expected " + Durations.EXPECTED + ", got " + t.get().shown());
      return Optional.empty();
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problem(
          key,
          "expected a duration from "
              + Durations.format(min)
              + " to "
              + Durations.format(max)
              + ", got "
              + t.get().shown());
      return Optional.empty();
    }
    return Optional.of(d);
  }

  Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    return optionalDuration(key, min, max).orElse(defaultValue);
  }

  /** A byte size from {@code min} to {@code max}; empty when absent or invalid. */
  OptionalLong optionalBytes(String key, long min, long max) {
    String expected =
        "a size from "
            + ByteSizes.format(min)
            + " to "
            + ByteSizes.format(max)
            + " (like 262144, 256KiB or 1MiB)";
    Optional<Text> t = text(key, expected);
    if (t.isEmpty()) {
      return OptionalLong.empty();
    }
    long n;
    try {
      n = ByteSizes.parse(t.get().value());
    } catch (IllegalArgumentException e) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return OptionalLong.empty();
    }
    if (n < min || n > max) {
      problem(key, "expected " + expected + ", got " + t.get().shown());
      return OptionalLong.empty();
    }
    return OptionalLong.of(n);
  }

  long bytes(String key, long defaultValue, long min, long max) {
    return optionalBytes(key, min, max).orElse(defaultValue);
  }

  // ---- unknown keys ---------------------------------------------------------------------------

  /** Reports every key of this mapping that no read asked for. Call after all reads. */
  void finish() {
    List<String> unknown = new ArrayList<>();
    node.fieldNames().forEachRemaining(k -> unknown.add(k));
    unknown.removeAll(known);
    for (String k : unknown) {
      String where = path.isEmpty() ? "unknown top-level key" : "unknown key";
      reading.problem(
          path,
          where
              + " '"
              + k
              + "' (expected one of: "
              + known.stream().collect(Collectors.joining(", "))
              + ")");
    }
  }

  /** How a non-string node is shown in an error message. */
  static String shown(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.textValue() + "'";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    return v.asText();
  }
}
