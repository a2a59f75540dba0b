package org.q4mbridge.q4m.server;

import com.mysql.cj.CharsetMapping;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MySQL character sets and collations, from Connector/J's static tables: which charset a collation
 * id of a handshake or column definition means, and the Java charset to transcode it with.
 * Immutable and thread-safe.
 */
final class Charsets {
  /** Character sets MySQL refuses as client character sets; such clients get utf8mb4. */
  private static final Set<String> NOT_FOR_CLIENTS = Set.of("ucs2", "utf16", "utf16le", "utf32");

  private static final Map<String, Integer> DEFAULT_COLLATION = new HashMap<>();

  static {
    for (int id = 1; id < 2048; id++) {
      String cs = charsetOf(id);
      if (cs != null) {
        DEFAULT_COLLATION.putIfAbsent(cs, id);
      }
    }
    // Prefer the classic defaults over whatever id comes first in the table.
    DEFAULT_COLLATION.put("utf8mb4", Protocol.COLLATION_UTF8MB4_GENERAL_CI);
    DEFAULT_COLLATION.put("utf8mb3", 33);
    DEFAULT_COLLATION.put("latin1", 8);
    DEFAULT_COLLATION.put("binary", Protocol.COLLATION_BINARY);
  }

  private Charsets() {}

  /** The MySQL charset name of a collation id ({@code utf8} normalised to utf8mb3), or null. */
  static String charsetOf(int collationId) {
    String cs;
    try {
      cs = CharsetMapping.getStaticMysqlCharsetNameForCollationIndex(collationId);
    } catch (RuntimeException e) {
      return null;
    }
    return cs == null ? null : normalise(cs);
  }

  static String normalise(String mysqlCharset) {
    String cs = mysqlCharset.toLowerCase(Locale.ROOT);
    return cs.equals("utf8") ? "utf8mb3" : cs;
  }

  /** The charset to {@code SET NAMES} for a handshake's collation id. */
  static String clientCharset(int collationId) {
    String cs = charsetOf(collationId);
    if (cs == null || NOT_FOR_CLIENTS.contains(cs)) {
      return "utf8mb4";
    }
    return cs;
  }

  /** The Java charset for a MySQL charset name; null when Java has none (or for binary). */
  static Charset java(String mysqlCharset) {
    if (mysqlCharset == null) {
      return null;
    }
    String cs = normalise(mysqlCharset);
    if (cs.equals("binary")) {
      return null;
    }
    Integer id = DEFAULT_COLLATION.get(cs);
    return id == null ? null : javaOf(id);
  }

  /** The Java charset of a collation id; null when unknown or binary. */
  static Charset javaOf(int collationId) {
    if (collationId == Protocol.COLLATION_BINARY) {
      return null;
    }
    try {
      String enc = CharsetMapping.getStaticJavaEncodingForCollationIndex(collationId);
      return enc == null ? null : Charset.forName(enc);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The default collation id of a charset, or utf8mb4_general_ci when unknown. */
  static int defaultCollation(String mysqlCharset) {
    Integer id = mysqlCharset == null ? null : DEFAULT_COLLATION.get(normalise(mysqlCharset));
    return id == null ? Protocol.COLLATION_UTF8MB4_GENERAL_CI : id;
  }
}
