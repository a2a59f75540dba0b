package org.q4mbridge.q4m.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionException.TableState;

/**
 * The live definition of a table to convert. Column definitions are taken verbatim from the
 * server's own {@code SHOW CREATE TABLE} (types, NULL/NOT NULL, defaults, charset/collation,
 * comments, generated expressions), so the twin table is declared exactly like the original; only
 * the column name is re-quoted through {@link Identifiers#quote}. Immutable.
 *
 * @param columns every column in table order
 * @param otherDefinitions keys and CHECK constraints to repeat on the twin, verbatim, except that a
 *     PRIMARY KEY becomes {@code UNIQUE KEY `q4m_source_primary`} (the row id is the new primary
 *     key; producers keep the uniqueness they relied on)
 * @param primaryKey the primary key's columns, empty when there is none
 * @param uniqueKeys the columns of each UNIQUE key, in definition order
 */
record SourceTable(
    TableRef ref,
    String engine,
    String createStatement,
    List<Column> columns,
    List<String> otherDefinitions,
    List<String> primaryKey,
    List<List<String>> uniqueKeys,
    String charset,
    String collation,
    String comment) {

  /** Name of the unique key that replaces the source's primary key on the twin. */
  static final String SOURCE_PRIMARY_KEY_NAME = "q4m_source_primary";

  /**
   * One column.
   *
   * @param definition everything after the name in SHOW CREATE TABLE, e.g. {@code varchar(32) NOT
   *     NULL}
   * @param generated a VIRTUAL/PERSISTENT column: declared on the twin, never copied
   */
  record Column(
      String name, String definition, boolean nullable, boolean generated, boolean autoIncrement) {}

  /** A column as INFORMATION_SCHEMA.COLUMNS describes it. */
  record ColumnInfo(String name, boolean nullable, boolean generated, String extra) {}

  SourceTable {
    columns = List.copyOf(columns);
    otherDefinitions = List.copyOf(otherDefinitions);
    primaryKey = List.copyOf(primaryKey);
    uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
  }

  boolean isQueueEngine() {
    return "QUEUE".equalsIgnoreCase(engine);
  }

  /** Columns that are copied: all but generated ones, in table order. */
  List<String> copiedColumns() {
    return columns.stream().filter(c -> !c.generated()).map(Column::name).toList();
  }

  /**
   * The order rows are copied in, or empty to copy in scan order. The primary key if there is one;
   * for InnoDB without one, the first UNIQUE key on NOT NULL columns — InnoDB clusters the table by
   * it, so a scan follows that key rather than insertion order. Otherwise (QUEUE, which has no
   * keys, MyISAM, InnoDB with only a hidden row id) a plain scan returns rows in insertion order.
   */
  List<String> orderKey() {
    if (!primaryKey.isEmpty()) {
      return primaryKey;
    }
    if ("InnoDB".equalsIgnoreCase(engine)) {
      for (List<String> key : uniqueKeys) {
        if (key.stream().allMatch(k -> column(k) != null && !column(k).nullable())) {
          return key;
        }
      }
    }
    return List.of();
  }

  Column column(String name) {
    for (Column c : columns) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Parses {@code createStatement} (the second column of {@code SHOW CREATE TABLE}) and checks it
   * against {@code infos} (INFORMATION_SCHEMA.COLUMNS in ORDINAL_POSITION order).
   *
   * @throws ConversionException INVALID, naming the table and the reason, for definitions the
   *     conversion cannot reproduce safely (foreign keys, partitioning, system versioning, column
   *     names that cannot be quoted, lines it does not understand)
   */
  static SourceTable parse(
      TableRef ref,
      String engine,
      String createStatement,
      List<ColumnInfo> infos,
      String charset,
      String collation,
      String comment)
      throws ConversionException {
    String[] lines = createStatement.split("\n");
    if (lines.length < 3 || !lines[0].trim().endsWith("(")) {
      throw invalid(ref, "SHOW CREATE TABLE returned a definition this tool cannot read", null);
    }
    List<String[]> parsedColumns = new ArrayList<>();
    List<String> other = new ArrayList<>();
    List<String> primaryKey = List.of();
    List<List<String>> uniqueKeys = new ArrayList<>();
    int i = 1;
    for (; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith(")")) {
        break;
      }
      if (line.endsWith(",")) {
        line = line.substring(0, line.length() - 1);
      }
      String upper = line.toUpperCase(Locale.ROOT);
      if (line.startsWith("`") || line.startsWith("\"")) {
        int[] end = new int[1];
        String name = readIdentifier(line, 0, end);
        if (name == null) {
          throw invalid(ref, "cannot read the column definition: " + line, null);
        }
        if (!Identifiers.isValid(name)) {
          throw invalid(
              ref,
              "column '"
                  + name
                  + "' has a name this tool does not quote (expected 1-64 characters of A-Z, a-z,"
                  + " 0-9, _ or $); rename it first",
              null);
        }
        parsedColumns.add(new String[] {name, line.substring(end[0]).strip()});
      } else if (upper.startsWith("PRIMARY KEY")) {
        primaryKey = keyColumns(ref, line);
        other.add(
            "UNIQUE KEY "
                + Identifiers.quote(SOURCE_PRIMARY_KEY_NAME)
                + " "
                + line.substring("PRIMARY KEY".length()).strip());
      } else if (upper.startsWith("UNIQUE KEY") || upper.startsWith("UNIQUE INDEX")) {
        uniqueKeys.add(keyColumns(ref, line));
        other.add(line);
      } else if (upper.startsWith("KEY ")
          || upper.startsWith("INDEX ")
          || upper.startsWith("FULLTEXT ")
          || upper.startsWith("SPATIAL ")) {
        other.add(line);
      } else if (upper.startsWith("CONSTRAINT ") || upper.startsWith("CHECK ")) {
        if (upper.contains(" FOREIGN KEY ")) {
          throw invalid(
              ref,
              "it has a foreign key ("
                  + line
                  + "); a queue table should not have one — drop it before converting",
              null);
        }
        if (!upper.contains("CHECK")) {
          throw invalid(ref, "unsupported constraint: " + line, null);
        }
        other.add(line);
      } else {
        throw invalid(ref, "unsupported line in its definition: " + line, null);
      }
    }
    if (i >= lines.length) {
      throw invalid(ref, "SHOW CREATE TABLE returned a definition without its closing line", null);
    }
    String options = String.join(" ", List.of(lines).subList(i, lines.length));
    String upperOptions = options.toUpperCase(Locale.ROOT);
    if (upperOptions.contains("PARTITION BY")) {
      throw invalid(ref, "it is partitioned; convert an unpartitioned table", null);
    }
    if (upperOptions.contains("WITH SYSTEM VERSIONING")) {
      throw invalid(ref, "it is system-versioned; convert a plain table", null);
    }
    if (!primaryKey.isEmpty()
        && other.stream()
                .filter(k -> k.contains(Identifiers.quote(SOURCE_PRIMARY_KEY_NAME)))
                .count()
            > 1) {
      throw invalid(
          ref, "it already has a key named " + SOURCE_PRIMARY_KEY_NAME + "; rename it first", null);
    }

    if (parsedColumns.size() != infos.size()) {
      throw invalid(
          ref,
          "SHOW CREATE TABLE lists "
              + parsedColumns.size()
              + " columns but INFORMATION_SCHEMA lists "
              + infos.size(),
          null);
    }
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < infos.size(); c++) {
      ColumnInfo info = infos.get(c);
      String[] parsed = parsedColumns.get(c);
      if (!parsed[0].equalsIgnoreCase(info.name())) {
        throw invalid(
            ref,
            "column "
                + (c + 1)
                + " is '"
                + parsed[0]
                + "' in SHOW CREATE TABLE but '"
                + info.name()
                + "' in INFORMATION_SCHEMA",
            null);
      }
      String extra = info.extra() == null ? "" : info.extra().toLowerCase(Locale.ROOT);
      columns.add(
          new Column(
              info.name(),
              parsed[1],
              info.nullable(),
              info.generated() || extra.contains("generated"),
              extra.contains("auto_increment")));
    }
    return new SourceTable(
        ref,
        engine,
        createStatement,
        columns,
        other,
        primaryKey,
        uniqueKeys,
        charset,
        collation,
        comment);
  }

  /** The column names inside the first parentheses of a key line, without prefix lengths. */
  private static List<String> keyColumns(TableRef ref, String line) throws ConversionException {
    int open = line.indexOf('(');
    if (open < 0) {
      throw invalid(ref, "cannot read the key: " + line, null);
    }
    List<String> names = new ArrayList<>();
    int pos = open + 1;
    while (pos < line.length()) {
      char ch = line.charAt(pos);
      if (ch == '`' || ch == '"') {
        int[] end = new int[1];
        String name = readIdentifier(line, pos, end);
        if (name == null) {
          break;
        }
        names.add(name);
        pos = end[0];
        // Skip a prefix length "(10)" or " DESC" up to the next separator.
        int depth = 0;
        while (pos < line.length()) {
          char c = line.charAt(pos);
          if (c == '(') {
            depth++;
          } else if (c == ')') {
            if (depth == 0) {
              break;
            }
            depth--;
          } else if (c == ',' && depth == 0) {
            break;
          }
          pos++;
        }
        if (pos < line.length() && line.charAt(pos) == ')') {
          return names;
        }
        pos++;
      } else if (ch == ' ') {
        pos++;
      } else {
        break;
      }
    }
    throw invalid(ref, "cannot read the columns of the key: " + line, null);
  }

  /**
   * Reads a quoted identifier starting at {@code start} (a backquote, or a double quote under
   * ANSI_QUOTES); a doubled quote inside stands for one. Stores the index after the closing quote
   * in {@code end[0]}; returns null when unterminated.
   */
  static String readIdentifier(String s, int start, int[] end) {
    char q = s.charAt(start);
    StringBuilder name = new StringBuilder();
    int pos = start + 1;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == q) {
        if (pos + 1 < s.length() && s.charAt(pos + 1) == q) {
          name.append(q);
          pos += 2;
          continue;
        }
        end[0] = pos + 1;
        return name.toString();
      }
      name.append(c);
      pos++;
    }
    return null;
  }

  static ConversionException invalid(TableRef ref, String why, Throwable cause) {
    return new ConversionException(
        Kind.INVALID, TableState.NOT_STARTED, "cannot convert " + ref + ": " + why, cause);
  }
}
