package org.q4mbridge.q4m.jdbc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.q4mbridge.q4m.jdbc.SqlLexer.Kind;
import org.q4mbridge.q4m.jdbc.SqlLexer.Token;
import org.q4mbridge.q4m.jdbc.StatementShape.Arg;
import org.q4mbridge.q4m.jdbc.StatementShape.Delete;
import org.q4mbridge.q4m.jdbc.StatementShape.FunctionCall;
import org.q4mbridge.q4m.jdbc.StatementShape.Insert;
import org.q4mbridge.q4m.jdbc.StatementShape.Literal;
import org.q4mbridge.q4m.jdbc.StatementShape.Param;
import org.q4mbridge.q4m.jdbc.StatementShape.PassKind;
import org.q4mbridge.q4m.jdbc.StatementShape.PassThrough;
import org.q4mbridge.q4m.jdbc.StatementShape.Select;
import org.q4mbridge.q4m.jdbc.StatementShape.TableName;
import org.q4mbridge.q4m.jdbc.StatementShape.Unsupported;

/**
 * Recognises {@link StatementShape}s in statement text. Recognition is deliberately narrow: a shape
 * is only claimed when the shim can rewrite it exactly by replacing character ranges of the
 * original text, so user text is never re-assembled; anything else passes through. Stateless and
 * thread-safe.
 */
final class StatementParser {
  /** Words that end a table factor or start a clause, so they are never an alias. */
  private static final Set<String> NOT_ALIAS =
      Set.of(
          "from",
          "where",
          "group",
          "having",
          "order",
          "limit",
          "window",
          "union",
          "intersect",
          "except",
          "for",
          "lock",
          "into",
          "procedure",
          "join",
          "inner",
          "cross",
          "left",
          "right",
          "natural",
          "straight_join",
          "outer",
          "on",
          "using",
          "partition",
          "use",
          "force",
          "ignore",
          "returning",
          "as",
          "set",
          "values",
          "select",
          "offset",
          "fetch");

  /** Words that end a FROM clause. */
  private static final Set<String> END_OF_FROM =
      Set.of(
          "where",
          "group",
          "having",
          "order",
          "limit",
          "window",
          "union",
          "intersect",
          "except",
          "procedure",
          "returning");

  private StatementParser() {}

  /** Recognises {@code sql}. Never throws. */
  static StatementShape parse(String sql) {
    List<Token> t = SqlLexer.tokenize(sql);
    if (t == null || t.isEmpty()) {
      return new PassThrough(PassKind.OTHER);
    }
    // Drop one trailing semicolon; anything after it (multi-statement text) stays and makes the
    // shapes below fail to match.
    if (t.get(t.size() - 1).isPunct(";")) {
      t = t.subList(0, t.size() - 1);
      if (t.isEmpty()) {
        return new PassThrough(PassKind.OTHER);
      }
    }
    List<Integer> calls = queueCalls(t);
    Token first = t.get(0);
    StatementShape shape = null;
    if (first.is("SELECT")) {
      shape = calls.isEmpty() ? select(t) : selectWithCall(sql, t, calls);
    } else if (first.is("DELETE") && calls.isEmpty()) {
      shape = delete(sql, t);
    } else if (first.is("INSERT") && calls.isEmpty()) {
      shape = insert(t);
    }
    if (shape != null) {
      return shape;
    }
    if (!calls.isEmpty()) {
      String fn = t.get(calls.get(0)).lower();
      return new Unsupported(
          fn
              + "() is supported by the q4m shim only as a statement of its own (SELECT "
              + fn
              + "(...) with literal or ? arguments) or, for queue_wait, as SELECT ... FROM"
              + " <table> WHERE queue_wait(...)");
    }
    if (first.is("CREATE")
        || first.is("DROP")
        || first.is("ALTER")
        || first.is("TRUNCATE")
        || first.is("RENAME")
        || first.is("OPTIMIZE")) {
      boolean drop = first.is("DROP") && t.stream().limit(4).anyMatch(x -> x.is("TABLE"));
      return new PassThrough(PassKind.DDL, ddlTables(t), drop);
    }
    if (first.is("USE")) {
      return new PassThrough(PassKind.USE);
    }
    return new PassThrough(PassKind.OTHER);
  }

  /** Indexes of tokens that start a call of a Q4M function. */
  private static List<Integer> queueCalls(List<Token> t) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i + 1 < t.size(); i++) {
      Token tok = t.get(i);
      if (tok.kind() == Kind.WORD
          && StatementShape.QUEUE_FUNCTIONS.contains(tok.lower())
          && t.get(i + 1).isPunct("(")
          && !(i > 0 && t.get(i - 1).isPunct("."))) {
        out.add(i);
      }
    }
    return out;
  }

  private static StatementShape selectWithCall(String sql, List<Token> t, List<Integer> calls) {
    if (calls.size() != 1) {
      return null;
    }
    int at = calls.get(0);
    if (at == 1) {
      ParsedCall call = parseCall(sql, t, at, 0);
      if (call == null) {
        return null;
      }
      int i = call.next();
      String label = call.text();
      if (i < t.size() && t.get(i).is("AS")) {
        i++;
        if (i >= t.size() || !isAlias(t.get(i), true)) {
          return null;
        }
        label = t.get(i).value();
        i++;
      } else if (i < t.size() && isAlias(t.get(i), false)) {
        label = t.get(i).value();
        i++;
      }
      if (i + 1 < t.size() && t.get(i).is("FROM") && t.get(i + 1).is("DUAL")) {
        i += 2;
      }
      if (i != t.size()) {
        return null;
      }
      return new FunctionCall(call.name(), call.args(), label);
    }
    // SELECT <list> FROM <table> WHERE queue_wait(...): the pre-5.6 one-statement form.
    if (!t.get(at).is("queue_wait") || !t.get(at - 1).is("WHERE")) {
      return null;
    }
    StatementShape base = select(t.subList(0, at - 1));
    if (!(base instanceof Select s) || s.tables().size() != 1) {
      return null;
    }
    int paramsBefore = 0;
    for (int i = 0; i < at - 1; i++) {
      if (t.get(i).kind() == Kind.PARAM) {
        paramsBefore++;
      }
    }
    ParsedCall call = parseCall(sql, t, at, paramsBefore);
    if (call == null || call.next() != t.size()) {
      return null;
    }
    return new Select(
        s.tables(),
        false,
        new FunctionCall(call.name(), call.args(), call.text()),
        t.get(at - 1).start(),
        t.get(call.next() - 1).end(),
        paramsBefore,
        identifiers(t));
  }

  /** A call {@code name(args)} starting at token {@code at}; {@code next} is the token after. */
  private record ParsedCall(String name, List<Arg> args, String text, int next) {}

  /**
   * Parses a call whose arguments are literals or {@code ?}.
   *
   * @param paramsBefore {@code ?} markers before the call, to number its own
   */
  private static ParsedCall parseCall(String sql, List<Token> t, int at, int paramsBefore) {
    String name = t.get(at).lower();
    int params = paramsBefore;
    int i = at + 2;
    List<Arg> args = new ArrayList<>();
    if (i < t.size() && t.get(i).isPunct(")")) {
      return new ParsedCall(name, args, sql.substring(t.get(at).start(), t.get(i).end()), i + 1);
    }
    while (i < t.size()) {
      Token a = t.get(i);
      int sign = 1;
      if ((a.isPunct("-") || a.isPunct("+")) && i + 1 < t.size()) {
        sign = a.isPunct("-") ? -1 : 1;
        i++;
        a = t.get(i);
        if (a.kind() != Kind.NUMBER) {
          return null;
        }
      }
      switch (a.kind()) {
        case STRING -> args.add(new Literal(a.value()));
        case NUMBER -> {
          Object n = QueueArgs.parseNumber(a.value(), sign);
          if (n == null) {
            return null;
          }
          args.add(new Literal(n));
        }
        case PARAM -> args.add(new Param(++params));
        case WORD -> {
          if (!a.is("NULL")) {
            return null;
          }
          args.add(new Literal(null));
        }
        default -> {
          return null;
        }
      }
      i++;
      if (i >= t.size()) {
        return null;
      }
      if (t.get(i).isPunct(")")) {
        return new ParsedCall(name, args, sql.substring(t.get(at).start(), t.get(i).end()), i + 1);
      }
      if (!t.get(i).isPunct(",")) {
        return null;
      }
      i++;
    }
    return null;
  }

  private static boolean isAlias(Token tok, boolean afterAs) {
    if (tok.kind() == Kind.QUOTED_ID) {
      return true;
    }
    if (afterAs && tok.kind() == Kind.STRING) {
      return true;
    }
    return tok.kind() == Kind.WORD && !NOT_ALIAS.contains(tok.lower());
  }

  /** Where the FROM-clause walker is: one level per open parenthesis. */
  private static final class Level {
    final boolean query;
    boolean inFrom;
    boolean expectTable;

    Level(boolean query) {
      this.query = query;
    }
  }

  /**
   * Finds every table named in a FROM or JOIN, including those of subqueries. Returns {@code null}
   * (pass through) for CTEs, {@code INTO}, locking reads, index hints, partition selection, LATERAL
   * and JSON_TABLE.
   */
  private static StatementShape select(List<Token> t) {
    List<TableName> tables = new ArrayList<>();
    Deque<Level> levels = new ArrayDeque<>();
    levels.push(new Level(true));
    for (int i = 0; i < t.size(); i++) {
      Token tok = t.get(i);
      Level level = levels.peek();
      if (tok.is("WITH") || tok.is("INTO")) {
        // A CTE may shadow a table name; SELECT … INTO writes elsewhere. Leave both alone.
        return null;
      }
      boolean next1 = i + 1 < t.size();
      if ((tok.is("FOR") && next1 && (t.get(i + 1).is("UPDATE") || t.get(i + 1).is("SHARE")))
          || (tok.is("LOCK") && next1 && t.get(i + 1).is("IN"))) {
        // The user asked for a locking read; the shim does not second-guess it.
        return null;
      }
      if (tok.isPunct(";")) {
        // More than one statement: the shim handles statements one at a time.
        return null;
      }
      if (tok.isPunct("(")) {
        boolean sub = next1 && t.get(i + 1).is("SELECT");
        if (level.inFrom && level.expectTable) {
          level.expectTable = false;
          Level inner = new Level(true);
          if (!sub) {
            // A parenthesised join: a table list of its own.
            inner.inFrom = true;
            inner.expectTable = true;
          }
          levels.push(inner);
        } else {
          levels.push(new Level(sub));
        }
        continue;
      }
      if (tok.isPunct(")")) {
        if (levels.size() == 1) {
          return null;
        }
        levels.pop();
        continue;
      }
      if (!level.query) {
        continue;
      }
      if (tok.is("FROM")) {
        level.inFrom = true;
        level.expectTable = true;
        continue;
      }
      if (!level.inFrom) {
        continue;
      }
      String w = tok.kind() == Kind.WORD ? tok.lower() : "";
      if (END_OF_FROM.contains(w)) {
        level.inFrom = false;
        level.expectTable = false;
        continue;
      }
      if (w.equals("join") || w.equals("straight_join") || tok.isPunct(",")) {
        level.expectTable = true;
        continue;
      }
      if (w.equals("on") || w.equals("using")) {
        level.expectTable = false;
        continue;
      }
      if (!level.expectTable) {
        continue;
      }
      level.expectTable = false;
      if (tok.is("DUAL")) {
        continue;
      }
      if (tok.is("LATERAL") || tok.is("JSON_TABLE") || !tok.isIdentifier()) {
        return null;
      }
      String schema = null;
      String name = tok.value();
      int end = tok.end();
      if (i + 2 < t.size() && t.get(i + 1).isPunct(".") && t.get(i + 2).isIdentifier()) {
        schema = name;
        name = t.get(i + 2).value();
        end = t.get(i + 2).end();
        i += 2;
      }
      boolean aliased = false;
      if (i + 1 < t.size() && t.get(i + 1).is("AS")) {
        if (i + 2 >= t.size() || !isAlias(t.get(i + 2), false)) {
          return null;
        }
        aliased = true;
        i += 2;
      } else if (i + 1 < t.size() && isAlias(t.get(i + 1), false)) {
        aliased = true;
        i += 1;
      }
      if (i + 1 < t.size()) {
        Token next = t.get(i + 1);
        if (next.is("PARTITION") || next.is("USE") || next.is("FORCE") || next.is("IGNORE")) {
          // Index hints and partition selection cannot follow a derived table.
          return null;
        }
      }
      tables.add(new TableName(schema, name, tok.start(), end, aliased));
    }
    if (levels.size() != 1) {
      return null;
    }
    return new Select(tables, countStar(t), null, -1, -1, 0, identifiers(t));
  }

  /** Exactly {@code SELECT COUNT(*) [[AS] a] FROM [db.]name}. */
  private static boolean countStar(List<Token> t) {
    int i = 0;
    if (t.size() < 7
        || !t.get(i++).is("SELECT")
        || !t.get(i++).is("COUNT")
        || !t.get(i++).isPunct("(")
        || !t.get(i++).isPunct("*")
        || !t.get(i++).isPunct(")")) {
      return false;
    }
    if (t.get(i).is("AS")) {
      i += 2;
    } else if (isAlias(t.get(i), false)) {
      i++;
    }
    if (i >= t.size() || !t.get(i++).is("FROM") || i >= t.size() || !t.get(i++).isIdentifier()) {
      return false;
    }
    if (i + 1 < t.size() && t.get(i).isPunct(".") && t.get(i + 1).isIdentifier()) {
      i += 2;
    }
    return i == t.size();
  }

  private static Set<String> identifiers(List<Token> t) {
    Set<String> out = new HashSet<>();
    for (Token tok : t) {
      if (tok.isIdentifier()) {
        out.add(tok.value().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** {@code DELETE FROM [db.]t [WHERE …] [ORDER BY …] [LIMIT …]}; no modifiers, alias or join. */
  private static StatementShape delete(String sql, List<Token> t) {
    if (t.size() < 3 || !t.get(1).is("FROM") || !t.get(2).isIdentifier()) {
      return null;
    }
    int i = 2;
    Token first = t.get(i);
    String schema = null;
    String name = first.value();
    int end = first.end();
    if (i + 2 < t.size() && t.get(i + 1).isPunct(".") && t.get(i + 2).isIdentifier()) {
      schema = name;
      name = t.get(i + 2).value();
      end = t.get(i + 2).end();
      i += 2;
    }
    i++;
    TableName table = new TableName(schema, name, first.start(), end, false);
    if (i == t.size()) {
      return new Delete(table, null, null);
    }
    Token next = t.get(i);
    if (!next.is("WHERE") && !next.is("ORDER") && !next.is("LIMIT")) {
      return null;
    }
    int depth = 0;
    int tailAt = -1;
    for (int j = i; j < t.size(); j++) {
      Token tok = t.get(j);
      if (tok.isPunct("(")) {
        depth++;
      } else if (tok.isPunct(")")) {
        depth--;
      } else if (depth == 0 && (tok.is("RETURNING") || tok.isPunct(";"))) {
        return null;
      } else if (depth == 0 && tailAt < 0 && (tok.is("ORDER") || tok.is("LIMIT"))) {
        tailAt = j;
      }
    }
    if (depth != 0) {
      return null;
    }
    String where = null;
    if (next.is("WHERE")) {
      int whereEnd = tailAt < 0 ? t.size() : tailAt;
      if (whereEnd <= i + 1) {
        return null;
      }
      where = sql.substring(t.get(i + 1).start(), t.get(whereEnd - 1).end());
    }
    String tail =
        tailAt < 0 ? null : sql.substring(t.get(tailAt).start(), t.get(t.size() - 1).end());
    return new Delete(table, where, tail);
  }

  /**
   * The tables a DDL statement names, for the forms that need an exclusive metadata lock on an
   * existing table: TRUNCATE, DROP TABLE, ALTER TABLE, RENAME TABLE, OPTIMIZE TABLE and CREATE/DROP
   * INDEX … ON. Other DDL gives an empty list.
   */
  private static List<TableName> ddlTables(List<Token> t) {
    List<TableName> out = new ArrayList<>();
    int i = 1;
    Token first = t.get(0);
    if (first.is("TRUNCATE")) {
      i = skip(t, i, "TABLE");
      readNames(t, i, out, false);
    } else if (first.is("DROP")
        || first.is("ALTER")
        || first.is("RENAME")
        || first.is("OPTIMIZE")) {
      while (i < t.size()
          && (t.get(i).is("TEMPORARY")
              || t.get(i).is("ONLINE")
              || t.get(i).is("IGNORE")
              || t.get(i).is("NO_WRITE_TO_BINLOG")
              || t.get(i).is("LOCAL"))) {
        i++;
      }
      if (i < t.size() && (t.get(i).is("TABLE") || t.get(i).is("TABLES"))) {
        i++;
        if (i + 1 < t.size() && t.get(i).is("IF") && t.get(i + 1).is("EXISTS")) {
          i += 2;
        }
        readNames(t, i, out, first.is("RENAME"));
      } else if (i < t.size() && t.get(i).is("INDEX")) {
        readNames(t, afterOn(t, i), out, false);
      }
    } else if (first.is("CREATE")) {
      int on = afterOn(t, i);
      if (on < t.size() && t.subList(1, on).stream().anyMatch(x -> x.is("INDEX"))) {
        readNames(t, on, out, false);
      }
    }
    return out;
  }

  private static int skip(List<Token> t, int i, String word) {
    return i < t.size() && t.get(i).is(word) ? i + 1 : i;
  }

  /** The index after the first {@code ON} at or after {@code i}, or {@code t.size()}. */
  private static int afterOn(List<Token> t, int i) {
    for (int j = i; j < t.size(); j++) {
      if (t.get(j).is("ON")) {
        return j + 1;
      }
    }
    return t.size();
  }

  /** Reads {@code name [, name]…} (RENAME: {@code name TO name [, …]}) starting at {@code i}. */
  private static void readNames(List<Token> t, int i, List<TableName> out, boolean rename) {
    while (i < t.size() && t.get(i).isIdentifier()) {
      Token first = t.get(i);
      if (i + 2 < t.size() && t.get(i + 1).isPunct(".") && t.get(i + 2).isIdentifier()) {
        Token second = t.get(i + 2);
        out.add(new TableName(first.value(), second.value(), first.start(), second.end(), false));
        i += 3;
      } else {
        out.add(new TableName(null, first.value(), first.start(), first.end(), false));
        i++;
      }
      if (rename && i < t.size() && t.get(i).is("TO")) {
        i++;
        continue;
      }
      if (i < t.size() && t.get(i).isPunct(",")) {
        i++;
        continue;
      }
      return;
    }
  }

  /** {@code INSERT [LOW_PRIORITY|DELAYED|HIGH_PRIORITY] [IGNORE] [INTO] [db.]t …}. */
  private static StatementShape insert(List<Token> t) {
    int i = 1;
    while (i < t.size()
        && (t.get(i).is("LOW_PRIORITY")
            || t.get(i).is("DELAYED")
            || t.get(i).is("HIGH_PRIORITY")
            || t.get(i).is("IGNORE"))) {
      i++;
    }
    if (i < t.size() && t.get(i).is("INTO")) {
      i++;
    }
    if (i >= t.size() || !t.get(i).isIdentifier()) {
      return null;
    }
    Token first = t.get(i);
    if (i + 2 < t.size() && t.get(i + 1).isPunct(".") && t.get(i + 2).isIdentifier()) {
      Token second = t.get(i + 2);
      return new Insert(
          new TableName(first.value(), second.value(), first.start(), second.end(), false));
    }
    return new Insert(new TableName(null, first.value(), first.start(), first.end(), false));
  }
}
