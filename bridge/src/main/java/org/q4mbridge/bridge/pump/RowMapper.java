package org.q4mbridge.bridge.pump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;

/**
 * Turns queue rows into {@link OutboundMessage}s according to a {@link Mapping}. Column roles are
 * resolved against the table once ({@link #check}), so a wrong column name is a start-up error, not
 * a dead letter per row. A row whose values cannot be represented (binary payload that is not
 * UTF-8, invalid JSON when JSON is required) raises {@link MappingException}.
 *
 * <p>Thread-safe and stateless apart from its configuration.
 */
public final class RowMapper {
  private static final JsonFactory JSON = new JsonFactory();

  private final Mapping mapping;
  private final ZoneId zone;

  public RowMapper(Mapping mapping, ZoneId zone) {
    this.mapping = mapping;
    this.zone = zone;
  }

  public Mapping mapping() {
    return mapping;
  }

  /**
   * Checks that every column the mapping names exists in the table.
   *
   * @return one message per problem, naming the column and the columns the table has
   */
  public List<String> check(String table, List<QueueColumn> columns) {
    List<String> problems = new ArrayList<>();
    List<String> names = columns.stream().map(QueueColumn::name).toList();
    if (mapping.body() == Mapping.Body.ENVELOPE) {
      require(problems, table, names, "mapping.type", mapping.typeColumn());
      require(problems, table, names, "mapping.payload", mapping.payloadColumn());
    } else {
      require(problems, table, names, "mapping.rawColumn", mapping.rawColumn());
    }
    for (String f : mapping.extraFields()) {
      require(problems, table, names, "mapping.extraFields", f);
    }
    if (mapping.groupIdColumn() != null) {
      require(problems, table, names, "mapping.groupId.column", mapping.groupIdColumn());
    }
    if (mapping.routingKeyColumn() != null) {
      require(problems, table, names, "mapping.routingKeyColumn", mapping.routingKeyColumn());
    }
    return problems;
  }

  private static void require(
      List<String> problems, String table, List<String> names, String what, String column) {
    if (column != null && names.stream().noneMatch(n -> n.equalsIgnoreCase(column))) {
      problems.add(
          what
              + ": table "
              + table
              + " has no column '"
              + column
              + "' (columns: "
              + String.join(", ", names)
              + ")");
    }
  }

  /**
   * Maps one row.
   *
   * @param destination where the message goes unless the mapping takes it from a column
   */
  public OutboundMessage map(QueueRow row, String destination) throws MappingException {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    String body;
    if (mapping.body() == Mapping.Body.ENVELOPE) {
      String type = text(row, mapping.typeColumn());
      String payload = text(row, mapping.payloadColumn());
      String document = payload == null ? null : jsonDocument(payload);
      if (document == null && mapping.requireJson()) {
        throw new MappingException(
            "column "
                + mapping.payloadColumn()
                + " is not valid JSON and mapping.requireJson is set");
      }
      body = envelope(type, payload, document);
      putIfPresent(fields, "type", type);
      putIfPresent(fields, "payload", payload);
      putIfPresent(attributes, "type", type);
    } else {
      body = text(row, mapping.rawColumn());
      if (body == null) {
        throw new MappingException("column " + mapping.rawColumn() + " is NULL: no body to send");
      }
      if (mapping.requireJson() && jsonDocument(body) == null) {
        throw new MappingException(
            "column " + mapping.rawColumn() + " is not valid JSON and mapping.requireJson is set");
      }
      fields.put("body", body);
    }
    for (String f : mapping.extraFields()) {
      String v = text(row, f);
      putIfPresent(fields, f, v);
      putIfPresent(attributes, f, v);
    }
    String group = mapping.groupIdConstant();
    if (mapping.groupIdColumn() != null) {
      group = text(row, mapping.groupIdColumn());
      if (group == null || group.isEmpty()) {
        throw new MappingException("column " + mapping.groupIdColumn() + " (group id) is empty");
      }
    }
    String dest = destination;
    if (mapping.routingKeyColumn() != null) {
      dest = text(row, mapping.routingKeyColumn());
      if (dest == null || dest.isEmpty()) {
        throw new MappingException(
            "column " + mapping.routingKeyColumn() + " (routing key) is empty");
      }
    }
    return new OutboundMessage(
        row.messageKey(), dest, body, fields, attributes, group, createdAt(row));
  }

  private static void putIfPresent(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /**
   * The envelope {@code {"type":…,"payload":…}}: the payload as the JSON document it is ({@code
   * document}, embedded as the producer wrote it, surrounding blanks stripped), else as a JSON
   * string (or null). Written directly rather than through a tree: parsing the payload into nodes
   * only to print them again was a tenth of the pump threads' samples in a profile.
   */
  public static String envelope(String type, String payload, String document) {
    StringBuilder b =
        new StringBuilder(
            32 + (type == null ? 4 : type.length()) + (payload == null ? 4 : payload.length()));
    b.append("{\"type\":");
    quote(b, type);
    b.append(",\"payload\":");
    if (document != null) {
      b.append(document);
    } else {
      quote(b, payload);
    }
    return b.append('}').toString();
  }

  private static void quote(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
    } else {
      b.append('"');
      JsonStringEncoder.getInstance().quoteAsString(s, b);
      b.append('"');
    }
  }

  /**
   * {@code text} stripped of surrounding blanks when it is exactly one JSON object, array or string
   * (checked by a streaming parser: nothing built, nothing after the value); otherwise null. Bare
   * numbers and words are not taken as JSON: "123" in a payload column is usually an id.
   */
  public static String jsonDocument(String text) {
    String t = text.strip();
    if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[' && t.charAt(0) != '"')) {
      return null;
    }
    try (JsonParser p = JSON.createParser(t)) {
      if (p.nextToken() == null) {
        return null;
      }
      p.skipChildren();
      return p.nextToken() == null ? t : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The column's value as text; binary must be UTF-8. */
  private static String text(QueueRow row, String column) throws MappingException {
    int i = row.indexOf(column);
    if (i < 0) {
      throw new MappingException("row has no column '" + column + "'");
    }
    Object v = row.values().get(i);
    if (v == null) {
      return null;
    }
    if (v instanceof byte[] b) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b))
            .toString();
      } catch (CharacterCodingException e) {
        throw new MappingException(
            "column " + column + " holds " + b.length + " bytes that are not valid UTF-8 text");
      }
    }
    return v.toString();
  }

  private long createdAt(QueueRow row) {
    String c = mapping.createdAtColumn();
    if (c == null) {
      return 0;
    }
    int i = row.indexOf(c);
    if (i < 0) {
      return 0;
    }
    Object v = row.values().get(i);
    if (v instanceof Timestamp ts) {
      return ts.getTime();
    }
    if (v instanceof LocalDateTime ldt) {
      return ldt.atZone(zone).toInstant().toEpochMilli();
    }
    if (v instanceof OffsetDateTime odt) {
      return odt.toInstant().toEpochMilli();
    }
    return 0;
  }
}
