package org.q4mbridge.compare;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The correlation key of a job: what ties the legacy worker's outcome, the candidate worker's
 * outcome and the bridge's ledger rows for one job together. Both sides compute it from the row
 * alone, in Java ({@link #of}), in SQL ({@link #sql}) or in PHP (the snippet in the module README).
 *
 * <h2>The content digest (default)</h2>
 *
 * The key is the lowercase hex SHA-256 of the row's <em>canonical form</em>, encoded as UTF-8:
 *
 * <pre>
 * canonical = piece(col1) + "\n" + piece(col2) + ... (every column, in table order)
 * piece(c)  = name + "=" + encode(value)          name exactly as declared
 * encode(NULL)                    = "N"
 * encode(INTEGER | DECIMAL)       = "D" + canonical decimal
 * encode(TIMESTAMP)               = "D" + canonical decimal of its Unix time in seconds
 * encode(TEXT)                    = "S" + byte length of the UTF-8 text + ":" + the UTF-8 text
 * encode(TEMPORAL)                = encode(TEXT) of the value as the server prints it, fraction trimmed
 * encode(BINARY)                  = "B" + uppercase hex of the bytes
 * </pre>
 *
 * <ul>
 *   <li><b>Canonical decimal</b>: plain notation (no exponent), {@code -} for negatives, no {@code
 *       +}, no leading zeros, no trailing zeros after the point and no point when nothing follows
 *       it; zero is {@code 0}. So {@code DECIMAL(10,2)} {@code 12.30} is {@code 12.3}, {@code
 *       -0.50} is {@code -0.5}, {@code 100.00} is {@code 100}, a ZEROFILL {@code 00042} is {@code
 *       42}. Changing a column's scale therefore does not change keys.
 *   <li><b>Text</b> is the value's characters as UTF-8, whatever the column's character set; the
 *       byte length prefix makes every piece self-delimiting, so no value can imitate a separator.
 *   <li><b>Temporal</b> ({@code DATE}, {@code DATETIME}, {@code TIME}) is the server's text form
 *       ({@code 2024-01-02 03:04:05.5}) with trailing zeros of the fraction and a bare point
 *       removed, so {@code DATETIME(6)} and {@code DATETIME(0)} of a whole second agree.
 *   <li><b>TIMESTAMP</b> is its instant as Unix seconds (the server's {@code UNIX_TIMESTAMP(col)}),
 *       so the session time zone of either side cannot change the key.
 *   <li>{@code FLOAT}, {@code DOUBLE}, {@code BIT}, {@code YEAR} and spatial columns are refused:
 *       approximate numbers have no decimal form MySQL, PHP and Java print alike. Leave such a
 *       column out of the key columns or name a business key.
 * </ul>
 *
 * <h2>A business key</h2>
 *
 * When a queue has a column that identifies a job (an order id), {@link #businessKey} is that
 * value's text: canonical decimal for numbers, the text itself for text. {@link #businessKeySql} is
 * the same in SQL.
 *
 * <p>All methods are pure and thread-safe; invalid columns or values throw {@link
 * IllegalArgumentException} naming the column.
 */
public final class CorrelationKeys {
  /** Longest key the tables take ({@code VARBINARY(200)}). */
  public static final int MAX_KEY_BYTES = 200;

  private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();
  private static final HexFormat HEX_LOWER = HexFormat.of();

  private CorrelationKeys() {}

  /** How a column's value enters the canonical form; see the class comment. */
  public enum Kind {
    INTEGER,
    DECIMAL,
    TEXT,
    BINARY,
    /** DATE, DATETIME, TIME: the server's text form, fraction trimmed. */
    TEMPORAL,
    /** TIMESTAMP: the instant, as Unix seconds. */
    TIMESTAMP;

    /**
     * The kind of a MySQL/MariaDB column type as {@code information_schema.COLUMNS.DATA_TYPE},
     * {@code COLUMN_TYPE} or JDBC's {@code getColumnTypeName} spell it ({@code "int unsigned"},
     * {@code "DECIMAL(10,2)"}, {@code "varchar"}, {@code "DATETIME(6)"}).
     *
     * @throws IllegalArgumentException for types with no agreed canonical form
     */
    public static Kind ofSqlType(String typeName) {
      String t = typeName.strip().toUpperCase(Locale.ROOT);
      int end = 0;
      while (end < t.length() && Character.isLetter(t.charAt(end))) {
        end++;
      }
      String base = t.substring(0, end);
      return switch (base) {
        case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "BOOL", "BOOLEAN" ->
            INTEGER;
        case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> DECIMAL;
        case "CHAR",
            "VARCHAR",
            "TINYTEXT",
            "TEXT",
            "MEDIUMTEXT",
            "LONGTEXT",
            "ENUM",
            "SET",
            "JSON" ->
            TEXT;
        case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> BINARY;
        case "DATE", "DATETIME", "TIME" -> TEMPORAL;
        case "TIMESTAMP" -> TIMESTAMP;
        default ->
            throw new IllegalArgumentException(
                "column type "
                    + typeName
                    + " has no canonical form both sides agree on (approximate or bit values):"
                    + " leave the column out of the key or name a business-key column");
      };
    }
  }

  /**
   * A column that enters the key: its name exactly as declared and its kind.
   *
   * @param name column name; must not contain a backslash or control characters (they would need
   *     escaping that differs between SQL modes)
   */
  public record KeyColumn(String name, Kind kind) {
    public KeyColumn {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      if (name.isEmpty() || name.chars().anyMatch(ch -> ch == '\\' || ch < 0x20 || ch == 0x7f)) {
        throw new IllegalArgumentException(
            "column name '" + name + "' is empty or contains a backslash or control character");
      }
    }

    /** A column whose kind comes from its SQL type name, see {@link Kind#ofSqlType}. */
    public static KeyColumn of(String name, String sqlType) {
      return new KeyColumn(name, Kind.ofSqlType(sqlType));
    }
  }

  /**
   * The content-digest key of a row: 64 lowercase hex characters.
   *
   * @param columns the row's columns in table order
   * @param values one value per column, as JDBC returns them (see {@link #canonicalForm})
   */
  public static String of(List<KeyColumn> columns, List<?> values) {
    return sha256Hex(canonicalForm(columns, values));
  }

  /**
   * The canonical form {@link #of} hashes; useful to see why two sides disagree.
   *
   * <p>Accepted values per kind: INTEGER — any integral {@link Number}, {@link Boolean} (1/0) or
   * integer text; DECIMAL — {@link BigDecimal}, integral numbers or decimal text (never {@code
   * double}); TEXT — any {@link CharSequence}; BINARY — {@code byte[]}; TEMPORAL — {@link
   * LocalDate}, {@link LocalDateTime}, {@link LocalTime}, {@code java.sql.Date/Time/Timestamp} or
   * the server's text; TIMESTAMP — {@link Instant}, {@link Timestamp}, {@link OffsetDateTime},
   * {@link ZonedDateTime} or Unix seconds as a number.
   */
  public static String canonicalForm(List<KeyColumn> columns, List<?> values) {
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          columns.size() + " key columns but " + values.size() + " values");
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a correlation key needs at least one column");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      KeyColumn c = columns.get(i);
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(c.name()).append('=');
      try {
        encode(sb, c.kind(), values.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column " + c.name() + ": " + e.getMessage(), e);
      }
    }
    return sb.toString();
  }

  private static void encode(StringBuilder sb, Kind kind, Object v) {
    if (v == null) {
      sb.append('N');
      return;
    }
    switch (kind) {
      case INTEGER -> sb.append('D').append(integerText(v));
      case DECIMAL -> sb.append('D').append(canonicalDecimal(decimal(v)));
      case TEXT -> text(sb, textOf(v));
      case BINARY -> {
        if (!(v instanceof byte[] b)) {
          throw new IllegalArgumentException("BINARY value must be byte[], got " + typeOf(v));
        }
        sb.append('B').append(HEX_UPPER.formatHex(b));
      }
      case TEMPORAL -> text(sb, temporalText(v));
      case TIMESTAMP -> sb.append('D').append(canonicalDecimal(epochSeconds(v)));
    }
  }

  private static void text(StringBuilder sb, String s) {
    sb.append('S').append(s.getBytes(StandardCharsets.UTF_8).length).append(':').append(s);
  }

  private static String textOf(Object v) {
    if (v instanceof CharSequence cs) {
      return cs.toString();
    }
    throw new IllegalArgumentException("TEXT value must be a string, got " + typeOf(v));
  }

  private static String integerText(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return Long.toString(((Number) v).longValue());
    }
    if (v instanceof BigInteger bi) {
      return bi.toString();
    }
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (v instanceof BigDecimal bd) {
      try {
        return bd.toBigIntegerExact().toString();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("INTEGER value " + bd + " has a fraction", e);
      }
    }
    if (v instanceof CharSequence cs) {
      try {
        return new BigInteger(cs.toString().strip()).toString();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("INTEGER value '" + cs + "' is not an integer", e);
      }
    }
    throw new IllegalArgumentException("INTEGER value must be integral, got " + typeOf(v));
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal bd) {
      return bd;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof BigInteger bi) {
      return new BigDecimal(bi);
    }
    if (v instanceof CharSequence cs) {
      try {
        return new BigDecimal(cs.toString().strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("DECIMAL value '" + cs + "' is not a number", e);
      }
    }
    throw new IllegalArgumentException(
        "DECIMAL value must be BigDecimal, an integral number or decimal text, got "
            + typeOf(v)
            + " (floating-point values are refused: they have no exact decimal form)");
  }

  /** Plain notation, no trailing fractional zeros, {@code 0} for zero. */
  static String canonicalDecimal(BigDecimal d) {
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static String temporalText(Object v) {
    String s;
    if (v instanceof LocalDateTime ldt) {
      s = ldt.toLocalDate() + " " + timeText(ldt.toLocalTime());
    } else if (v instanceof LocalDate ld) {
      s = ld.toString();
    } else if (v instanceof LocalTime lt) {
      s = timeText(lt);
    } else if (v instanceof Timestamp ts) {
      LocalDateTime ldt = ts.toLocalDateTime();
      s = ldt.toLocalDate() + " " + timeText(ldt.toLocalTime());
    } else if (v instanceof java.sql.Date d) {
      s = d.toLocalDate().toString();
    } else if (v instanceof java.sql.Time t) {
      s = timeText(t.toLocalTime());
    } else if (v instanceof CharSequence cs) {
      s = cs.toString();
    } else {
      throw new IllegalArgumentException(
          "DATE/DATETIME/TIME value must be a java.time local type or the server's text, got "
              + typeOf(v));
    }
    return trimFraction(s);
  }

  // LocalTime.toString drops zero seconds ("10:00"); the server always prints them.
  private static String timeText(LocalTime t) {
    String s =
        String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    if (t.getNano() != 0) {
      s += "." + String.format(Locale.ROOT, "%09d", t.getNano());
    }
    return s;
  }

  /**
   * Removes trailing zeros after a decimal point, then a bare point. Text without a point stays.
   */
  static String trimFraction(String s) {
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') {
      end--;
    }
    if (end > 0 && s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }

  private static BigDecimal epochSeconds(Object v) {
    Instant i;
    if (v instanceof Instant in) {
      i = in;
    } else if (v instanceof Timestamp ts) {
      i = ts.toInstant();
    } else if (v instanceof OffsetDateTime odt) {
      i = odt.toInstant();
    } else if (v instanceof ZonedDateTime zdt) {
      i = zdt.toInstant();
    } else if (v instanceof Long || v instanceof Integer || v instanceof BigDecimal) {
      return decimal(v);
    } else {
      throw new IllegalArgumentException(
          "TIMESTAMP value must be an Instant, Timestamp, OffsetDateTime, ZonedDateTime or Unix"
              + " seconds, got "
              + typeOf(v));
    }
    return BigDecimal.valueOf(i.getEpochSecond()).add(BigDecimal.valueOf(i.getNano(), 9));
  }

  private static String typeOf(Object v) {
    return v.getClass().getSimpleName();
  }

  /**
   * An SQL expression that computes {@link #of} for the current row of a {@code SELECT ... FROM
   * table} on MySQL 5.5.3+ or MariaDB; column references are backtick-quoted, qualified with {@code
   * tableAlias} when it is not null. The session must not use {@code NO_BACKSLASH_ESCAPES}-style
   * tricks on identifiers; the expression avoids escape sequences in literals, so SQL modes do not
   * change it.
   *
   * <p>For two columns {@code id INT, note TEXT} it reads:
   *
   * <pre>
   * SHA2(CONCAT_WS(CHAR(10 USING utf8mb4),
   *   CONCAT('id=', IFNULL(CONCAT('D', CAST(`id` + 0 AS CHAR)), 'N')),
   *   CONCAT('note=', IFNULL(CONCAT('S', OCTET_LENGTH(CONVERT(`note` USING utf8mb4)), ':',
   *     CONVERT(`note` USING utf8mb4)), 'N'))), 256)
   * </pre>
   */
  public static String sql(List<KeyColumn> columns, String tableAlias) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a correlation key needs at least one column");
    }
    StringBuilder sb = new StringBuilder("SHA2(CONCAT_WS(CHAR(10 USING utf8mb4)");
    for (KeyColumn c : columns) {
      String ref = reference(c.name(), tableAlias);
      sb.append(",\n  CONCAT(")
          .append(literal(c.name() + "="))
          .append(", IFNULL(")
          .append(sqlEncode(c.kind(), ref))
          .append(", 'N'))");
    }
    return sb.append("), 256)").toString();
  }

  private static String sqlEncode(Kind kind, String ref) {
    return switch (kind) {
      // + 0 drops ZEROFILL padding, which CAST(... AS CHAR) keeps.
      case INTEGER -> "CONCAT('D', CAST(" + ref + " + 0 AS CHAR))";
      case DECIMAL -> "CONCAT('D', " + sqlCanonicalDecimal("CAST(" + ref + " AS CHAR)") + ")";
      case TEXT -> sqlText("CONVERT(" + ref + " USING utf8mb4)");
      case BINARY -> "CONCAT('B', HEX(" + ref + "))";
      case TEMPORAL -> sqlText(sqlTrimFraction("CAST(" + ref + " AS CHAR)"));
      // UNIX_TIMESTAMP of a TIMESTAMP column returns the stored instant, whatever the session zone.
      case TIMESTAMP -> "CONCAT('D', " + sqlCanonicalDecimal("UNIX_TIMESTAMP(" + ref + ")") + ")";
    };
  }

  private static String sqlText(String utf8) {
    return "CONCAT('S', OCTET_LENGTH(" + utf8 + "), ':', " + utf8 + ")";
  }

  private static String sqlTrimFraction(String s) {
    return "IF(LOCATE('.', "
        + s
        + ") > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM "
        + s
        + ")), "
        + s
        + ")";
  }

  // The server never prints leading zeros or an exponent for DECIMAL; only trailing zeros and the
  // zero value ("0.00", "-0.00" after arithmetic) need work.
  private static String sqlCanonicalDecimal(String s) {
    String trimmed = sqlTrimFraction(s);
    return "IF(" + trimmed + " IN ('-0', '0', ''), '0', " + trimmed + ")";
  }

  /**
   * A business key: the value of one identifying column as text (canonical decimal for numbers, the
   * text itself otherwise).
   *
   * @throws IllegalArgumentException when the value is null, the kind is not INTEGER, DECIMAL or
   *     TEXT, or the key is longer than {@link #MAX_KEY_BYTES} bytes
   */
  public static String businessKey(KeyColumn column, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("business key column " + column.name() + " is NULL");
    }
    String key =
        switch (column.kind()) {
          case INTEGER -> integerText(value);
          case DECIMAL -> canonicalDecimal(decimal(value));
          case TEXT -> textOf(value);
          default ->
              throw new IllegalArgumentException(
                  "business key column " + column.name() + " must be a number or text");
        };
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "business key of column "
              + column.name()
              + " is longer than "
              + MAX_KEY_BYTES
              + " bytes");
    }
    return key;
  }

  /** The SQL form of {@link #businessKey} for the current row. */
  public static String businessKeySql(KeyColumn column, String tableAlias) {
    String ref = reference(column.name(), tableAlias);
    return switch (column.kind()) {
      case INTEGER -> "CAST(" + ref + " + 0 AS CHAR)";
      case DECIMAL -> sqlCanonicalDecimal("CAST(" + ref + " AS CHAR)");
      case TEXT -> "CONVERT(" + ref + " USING utf8mb4)";
      default ->
          throw new IllegalArgumentException(
              "business key column " + column.name() + " must be a number or text");
    };
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code s}: the digest used across this module. */
  public static String sha256Hex(String s) {
    try {
      return HEX_LOWER.formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String reference(String name, String alias) {
    String col = "`" + name.replace("`", "``") + "`";
    return alias == null ? col : "`" + alias.replace("`", "``") + "`." + col;
  }

  // Names are checked free of backslashes, so doubling quotes is the whole escaping in every mode.
  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
