package org.q4mbridge.q4m;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encodes a row's columns as JSON so a dead-lettered row can be stored, read by a person and
 * inserted back unchanged: {@code [{"name":"v","type":"INT","value":1}, ...]}; binary values are
 * {@code {"base64":"..."}}, temporal values ISO text, exact numbers kept exact.
 */
public final class RowCodec {
  // Exact numbers stay exact (DECIMAL 12.30 must come back as 12.30, not the double 12.3).
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private RowCodec() {}

  /** The columns of {@code row} as a JSON array. */
  public static String encode(QueueRow row) {
    ArrayNode arr = JSON.createArrayNode();
    for (int i = 0; i < row.columns().size(); i++) {
      QueueColumn c = row.columns().get(i);
      ObjectNode o = arr.addObject();
      o.put("name", c.name());
      o.put("type", c.typeName());
      Object v = row.values().get(i);
      if (v == null) {
        o.putNull("value");
      } else if (v instanceof byte[] b) {
        o.putObject("value").put("base64", Base64.getEncoder().encodeToString(b));
      } else if (v instanceof Long
          || v instanceof Integer
          || v instanceof Short
          || v instanceof Byte) {
        o.put("value", ((Number) v).longValue());
      } else if (v instanceof BigInteger bi) {
        o.put("value", bi);
      } else if (v instanceof BigDecimal bd) {
        o.put("value", bd);
      } else if (v instanceof Double d) {
        o.put("value", d);
      } else if (v instanceof Float f) {
        o.put("value", f);
      } else if (v instanceof Boolean bool) {
        o.put("value", bool ? 1 : 0);
      } else {
        o.put("value", v.toString());
      }
    }
    return arr.toString();
  }

  /** A decoded column: its name and a value ready for {@code PreparedStatement.setObject}. */
  public record Column(String name, String type, Object value) {}

  /** Decodes what {@link #encode} wrote. */
  public static List<Column> decode(String json) {
    try {
      JsonNode arr = JSON.readTree(json);
      List<Column> out = new ArrayList<>();
      for (JsonNode o : arr) {
        JsonNode v = o.get("value");
        Object value;
        if (v == null || v.isNull()) {
          value = null;
        } else if (v.isObject() && v.has("base64")) {
          value = Base64.getDecoder().decode(v.get("base64").asText());
        } else if (v.isIntegralNumber()) {
          value = v.bigIntegerValue();
        } else if (v.isNumber()) {
          value = v.decimalValue();
        } else {
          value = v.asText();
        }
        out.add(new Column(o.get("name").asText(), o.path("type").asText(""), value));
      }
      return out;
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("stored row is not valid row JSON: " + e.getMessage(), e);
    }
  }
}
