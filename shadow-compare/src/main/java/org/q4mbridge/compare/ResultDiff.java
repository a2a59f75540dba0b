package org.q4mbridge.compare;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Field-level comparison of two results under {@link Rules}: both JSON documents are normalised
 * (ignored paths removed, numbers canonical per {@link NumberMatching}) and walked together. Object
 * keys are compared as sets (order ignored), arrays index by index. Immutable and thread-safe.
 */
final class ResultDiff {
  /** At most this many differences are kept per job; a person needs the first few, not all. */
  static final int MAX_DIFFS = 50;

  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  // Exact numbers: 0.1 + 0.2 style float noise must never create (or hide) a difference.
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final List<List<String>> ignored;
  private final NumberMatching numbers;

  ResultDiff(Rules rules) {
    this.ignored = rules.ignoredPaths().stream().map(JsonPaths::parse).toList();
    this.numbers = rules.numbers();
  }

  /** The differences between the two results; empty when they agree. */
  List<FieldDiff> diff(Observation legacy, Observation candidate) {
    String lj = legacy.resultJson();
    String cj = candidate.resultJson();
    // Fast path: identical text (or digests of it) normalises identically; most pairs are equal.
    if (lj != null && lj.equals(cj)) {
      return List.of();
    }
    if (legacy.resultDigest() != null
        && legacy.resultDigest().equalsIgnoreCase(candidate.resultDigest())) {
      return List.of();
    }
    if (lj != null && cj != null) {
      return diffJson(lj, cj);
    }
    String ld = legacy.resultDigest();
    String cd = candidate.resultDigest();
    if (ld != null && cd != null) {
      return ld.equalsIgnoreCase(cd) ? List.of() : List.of(new FieldDiff("$ (digest)", ld, cd));
    }
    String l = lj != null ? lj : ld;
    String c = cj != null ? cj : cd;
    if (l == null && c == null) {
      return List.of();
    }
    // One side recorded a result and the other none: that is a difference a person must see.
    return List.of(new FieldDiff("$", l, c));
  }

  List<FieldDiff> diffJson(String legacyJson, String candidateJson) {
    JsonNode l = parse(legacyJson);
    JsonNode c = parse(candidateJson);
    if (l == null || c == null) {
      // Not JSON on some side: compare the text as it is.
      return legacyJson.strip().equals(candidateJson.strip())
          ? List.of()
          : List.of(new FieldDiff("$", legacyJson, candidateJson));
    }
    List<FieldDiff> out = new ArrayList<>();
    walk(
        "$",
        new ArrayList<>(),
        normalise(l, new ArrayList<>()),
        normalise(c, new ArrayList<>()),
        out);
    return out;
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A copy of {@code n} without ignored paths and with numbers canonical. */
  JsonNode normalise(JsonNode n, List<String> at) {
    if (n.isObject()) {
      ObjectNode o = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        at.add(e.getKey());
        if (!isIgnored(at)) {
          o.set(e.getKey(), normalise(e.getValue(), at));
        }
        at.remove(at.size() - 1);
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JSON.createArrayNode();
      for (int i = 0; i < n.size(); i++) {
        at.add(Integer.toString(i));
        // An ignored element keeps its place as null, so later indices still line up.
        a.add(isIgnored(at) ? JSON.nullNode() : normalise(n.get(i), at));
        at.remove(at.size() - 1);
      }
      return a;
    }
    if (n.isNumber() && numbers != NumberMatching.EXACT) {
      return canonicalNumber(n.decimalValue());
    }
    if (n.isTextual()
        && numbers == NumberMatching.BY_VALUE_AND_NUMERIC_TEXT
        && JSON_NUMBER.matcher(n.textValue()).matches()) {
      return canonicalNumber(new BigDecimal(n.textValue()));
    }
    return n;
  }

  private static JsonNode canonicalNumber(BigDecimal d) {
    return JSON.getNodeFactory()
        .numberNode(d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros());
  }

  private boolean isIgnored(List<String> at) {
    for (List<String> p : ignored) {
      if (JsonPaths.matches(p, at)) {
        return true;
      }
    }
    return false;
  }

  private void walk(String path, List<String> at, JsonNode l, JsonNode c, List<FieldDiff> out) {
    if (out.size() >= MAX_DIFFS || l.equals(c)) {
      return;
    }
    if (l.isObject() && c.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      l.fieldNames().forEachRemaining(names::add);
      c.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String p = path + fieldSuffix(name);
        JsonNode lv = l.get(name);
        JsonNode cv = c.get(name);
        if (lv == null || cv == null) {
          add(out, p, lv, cv);
        } else {
          at.add(name);
          walk(p, at, lv, cv, out);
          at.remove(at.size() - 1);
        }
      }
      return;
    }
    if (l.isArray() && c.isArray()) {
      int n = Math.max(l.size(), c.size());
      for (int i = 0; i < n; i++) {
        String p = path + "[" + i + "]";
        JsonNode lv = i < l.size() ? l.get(i) : null;
        JsonNode cv = i < c.size() ? c.get(i) : null;
        if (lv == null || cv == null) {
          add(out, p, lv, cv);
        } else {
          at.add(Integer.toString(i));
          walk(p, at, lv, cv, out);
          at.remove(at.size() - 1);
        }
      }
      return;
    }
    add(out, path, l, c);
  }

  private static void add(List<FieldDiff> out, String path, JsonNode l, JsonNode c) {
    if (out.size() < MAX_DIFFS) {
      out.add(new FieldDiff(path, text(l), text(c)));
    }
  }

  private static String text(JsonNode n) {
    if (n == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      return n.toString();
    }
  }

  private static String fieldSuffix(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*")
        ? "." + name
        : "[" + text(JSON.getNodeFactory().textNode(name)) + "]";
  }
}
