package org.q4mbridge.q4m.convert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The privileges of the current account, read from {@code SHOW GRANTS}. That statement (unlike
 * INFORMATION_SCHEMA's privilege tables) also lists the grants of the enabled role and of PUBLIC,
 * so an account that holds a privilege through a role is not wrongly refused.
 *
 * <p>Deliberately lenient: database-level grants are unioned although the server uses only the most
 * specific matching database entry, and lines it cannot read are ignored. A privilege it wrongly
 * believes present only means the server refuses the statement later, and that error is reported
 * with the same GRANT hint.
 */
final class Grants {
  static final String ALL = "ALL";

  private final Set<String> global = new HashSet<>();
  private final List<Map.Entry<Pattern, Set<String>>> databases = new ArrayList<>();
  private final Map<String, Set<String>> tables = new HashMap<>();

  private Grants() {}

  /** Parses the lines of {@code SHOW GRANTS}. */
  static Grants parse(List<String> lines) {
    Grants g = new Grants();
    for (String line : lines) {
      g.add(line.strip());
    }
    return g;
  }

  /** True when the account holds {@code privilege} on {@code schema.table} (table may be null). */
  boolean has(String privilege, String schema, String table) {
    if (global.contains(ALL) || global.contains(privilege)) {
      return true;
    }
    for (Map.Entry<Pattern, Set<String>> db : databases) {
      if (db.getKey().matcher(schema).matches()
          && (db.getValue().contains(ALL) || db.getValue().contains(privilege))) {
        return true;
      }
    }
    if (table != null) {
      Set<String> t = tables.get(key(schema, table));
      return t != null && (t.contains(ALL) || t.contains(privilege));
    }
    return false;
  }

  /** Of {@code needed} (table name → privileges), those missing, in a stable order. */
  Set<String> missing(String schema, Map<String, List<String>> needed, List<String> schemaLevel) {
    Set<String> missing = new LinkedHashSet<>();
    needed.forEach(
        (table, privileges) -> {
          for (String p : privileges) {
            if (!has(p, schema, table)) {
              missing.add(p);
            }
          }
        });
    for (String p : schemaLevel) {
      if (!has(p, schema, null)) {
        missing.add(p);
      }
    }
    return missing;
  }

  private void add(String line) {
    // GRANT <privileges> ON <target> TO <grantee> ...; role grants ("GRANT `r` TO `u`@`h`") and
    // PROXY grants have no privilege list this tool needs.
    if (!line.regionMatches(true, 0, "GRANT ", 0, 6)) {
      return;
    }
    int on = indexOutside(line, " ON ", 6);
    if (on < 0) {
      return;
    }
    int to = indexOutside(line, " TO ", on + 4);
    if (to < 0) {
      return;
    }
    Set<String> privileges = privileges(line.substring(6, on));
    String target = line.substring(on + 4, to).strip();
    String upperTarget = target.toUpperCase(Locale.ROOT);
    if (upperTarget.startsWith("PROCEDURE ")
        || upperTarget.startsWith("FUNCTION ")
        || upperTarget.startsWith("PACKAGE ")) {
      return;
    }
    if (target.equals("*.*")) {
      global.addAll(privileges);
      return;
    }
    int[] end = new int[1];
    String db;
    int pos;
    if (target.startsWith("`") || target.startsWith("\"")) {
      db = SourceTable.readIdentifier(target, 0, end);
      if (db == null) {
        return;
      }
      pos = end[0];
    } else {
      int dot = target.indexOf('.');
      if (dot < 0) {
        return;
      }
      db = target.substring(0, dot);
      pos = dot;
    }
    if (pos >= target.length() || target.charAt(pos) != '.') {
      return;
    }
    String rest = target.substring(pos + 1);
    if (rest.equals("*")) {
      databases.add(Map.entry(databasePattern(db), privileges));
      return;
    }
    String table =
        rest.startsWith("`") || rest.startsWith("\"")
            ? SourceTable.readIdentifier(rest, 0, end)
            : rest;
    if (table != null) {
      tables.computeIfAbsent(key(db, table), k -> new HashSet<>()).addAll(privileges);
    }
  }

  /**
   * Splits {@code SELECT, INSERT, LOCK TABLES, SELECT (`a`)}. Column-level privileges are dropped:
   * they never cover a whole table.
   */
  private static Set<String> privileges(String list) {
    Set<String> out = new HashSet<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= list.length(); i++) {
      char c = i < list.length() ? list.charAt(i) : ',';
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        String p = list.substring(start, i).strip().toUpperCase(Locale.ROOT);
        start = i + 1;
        if (p.contains("(")) {
          continue;
        }
        out.add(p.equals("ALL PRIVILEGES") ? ALL : p);
      }
    }
    return out;
  }

  /**
   * A GRANT's database name as a pattern: {@code %} and {@code _} are wildcards, {@code \} escapes.
   */
  static Pattern databasePattern(String db) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < db.length(); i++) {
      char c = db.charAt(i);
      if (c == '\\' && i + 1 < db.length()) {
        re.append(Pattern.quote(String.valueOf(db.charAt(++i))));
      } else if (c == '%') {
        re.append(".*");
      } else if (c == '_') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** Index of {@code word} at or after {@code from}, outside backquotes and parentheses. */
  private static int indexOutside(String s, String word, int from) {
    int depth = 0;
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '`') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && s.regionMatches(true, i, word, 0, word.length())) {
        return i;
      }
    }
    return -1;
  }

  private static String key(String schema, String table) {
    return (schema + '.' + table).toLowerCase(Locale.ROOT);
  }
}
