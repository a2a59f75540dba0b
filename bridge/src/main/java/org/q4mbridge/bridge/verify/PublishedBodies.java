package org.q4mbridge.bridge.verify;

import java.util.Map;
import org.q4mbridge.bridge.pump.RowMapper;
import org.q4mbridge.bridge.sink.ShadowReader.Delivery;
import org.q4mbridge.compare.CorrelationKeys;
import org.q4mbridge.q4m.tap.Tap;

/**
 * What transport verification compares: the body of a message exactly as the pump published it,
 * rebuilt from what a shadow reader received, and its digest. Pure and thread-safe.
 */
public final class PublishedBodies {
  private PublishedBodies() {}

  /**
   * The body as published. A body received as such (RabbitMQ) is that body. A Redis entry carries
   * fields instead: a {@code body} field is the body (raw-column mapping, or an envelope without
   * fields); otherwise the fields {@code type} and {@code payload} are put back into the envelope
   * the way {@link RowMapper#map} built it, so an unchanged entry has the published digest.
   */
  public static String body(Delivery d) {
    if (d.body() != null) {
      return d.body();
    }
    Map<String, String> fields = d.fields();
    String body = fields.get("body");
    if (body != null) {
      return body;
    }
    String payload = fields.get("payload");
    return RowMapper.envelope(
        fields.get("type"), payload, payload == null ? null : RowMapper.jsonDocument(payload));
  }

  /** SHA-256 hex of the UTF-8 body: the ledger's and the observation's {@code content_digest}. */
  public static String digest(String body) {
    return CorrelationKeys.sha256Hex(body);
  }

  /**
   * The queue ({@code schema.table}) a message key names: its part before the epoch, without the
   * tap suffix — a row read from {@code app.jobs__tap} belongs to queue {@code app.jobs}. Null when
   * the key is not a bridge message key.
   */
  public static String queueOf(String messageKey) {
    if (messageKey == null) {
      return null;
    }
    int rowSep = messageKey.lastIndexOf(':');
    int epochSep = rowSep <= 0 ? -1 : messageKey.lastIndexOf(':', rowSep - 1);
    if (epochSep <= 0) {
      return null;
    }
    String table = messageKey.substring(0, epochSep);
    return table.endsWith(Tap.TABLE_SUFFIX)
        ? table.substring(0, table.length() - Tap.TABLE_SUFFIX.length())
        : table;
  }
}
