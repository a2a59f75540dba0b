package org.q4mbridge.q4m.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits MySQL statement text into tokens with their positions, so that {@link StatementShape} can
 * recognise the few shapes the shim handles and rewrite them by replacing exact character ranges of
 * the original text. Comments are dropped; an executable comment ({@code /*! … *}{@code /}) makes
 * the text unrecognisable (the server would run its content), so {@link #tokenize} returns {@code
 * null} and the statement passes through untouched.
 *
 * <p>Assumes the server's default {@code sql_mode}: backslash escapes in strings, and double quotes
 * delimit strings (not identifiers, as under {@code ANSI_QUOTES}).
 */
final class SqlLexer {
  /** What a token is. */
  enum Kind {
    /** An unquoted identifier or keyword. */
    WORD,
    /** A {@code `backquoted`} identifier; {@link Token#value} is unquoted. */
    QUOTED_ID,
    /** A {@code 'single'} or {@code "double"} quoted string; {@link Token#value} is unescaped. */
    STRING,
    /** An unsigned numeric literal. */
    NUMBER,
    /** A {@code ?} parameter marker. */
    PARAM,
    /** Any other character or operator. */
    PUNCT
  }

  /**
   * One token.
   *
   * @param kind what it is
   * @param value the identifier/keyword text, the unquoted identifier, the unescaped string, the
   *     number text, or the punctuation
   * @param start offset of its first character in the statement
   * @param end offset after its last character
   */
  record Token(Kind kind, String value, int start, int end) {
    /** True for an unquoted word equal to {@code keyword} ignoring case. */
    boolean is(String keyword) {
      return kind == Kind.WORD && value.equalsIgnoreCase(keyword);
    }

    /** True for the punctuation {@code p}. */
    boolean isPunct(String p) {
      return kind == Kind.PUNCT && value.equals(p);
    }

    /** True for an identifier, quoted or not. */
    boolean isIdentifier() {
      return kind == Kind.WORD || kind == Kind.QUOTED_ID;
    }

    /** Lower-cased value, for case-insensitive comparisons. */
    String lower() {
      return value.toLowerCase(Locale.ROOT);
    }
  }

  private SqlLexer() {}

  /**
   * Tokenizes {@code sql}.
   *
   * @return the tokens, or {@code null} when the text has an executable comment or an unterminated
   *     string, quoted identifier or comment (such text is passed to the server unchanged)
   */
  static List<Token> tokenize(String sql) {
    List<Token> out = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || (c == '-' && startsWith(sql, i, "--") && dashCommentAt(sql, i))) {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && startsWith(sql, i, "/*")) {
        if (startsWith(sql, i, "/*!") || startsWith(sql, i, "/*M!")) {
          return null;
        }
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          return null;
        }
        i = close + 2;
      } else if (c == '\'' || c == '"') {
        int end = stringEnd(sql, i, c);
        if (end < 0) {
          return null;
        }
        out.add(new Token(Kind.STRING, unescape(sql, i + 1, end - 1, c), i, end));
        i = end;
      } else if (c == '`') {
        StringBuilder id = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            return null;
          }
          char d = sql.charAt(j);
          if (d == '`') {
            if (j + 1 < n && sql.charAt(j + 1) == '`') {
              id.append('`');
              j += 2;
              continue;
            }
            break;
          }
          id.append(d);
          j++;
        }
        out.add(new Token(Kind.QUOTED_ID, id.toString(), i, j + 1));
        i = j + 1;
      } else if (isWordChar(c)) {
        int j = i;
        while (j < n && isWordChar(sql.charAt(j))) {
          j++;
        }
        String text = sql.substring(i, j);
        boolean digits = text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
        if (digits) {
          j = numberEnd(sql, j);
          out.add(new Token(Kind.NUMBER, sql.substring(i, j), i, j));
        } else if (isNumberLike(text)) {
          out.add(new Token(Kind.NUMBER, text, i, j));
        } else {
          out.add(new Token(Kind.WORD, text, i, j));
        }
        i = j;
      } else if (c == '.'
          && i + 1 < n
          && Character.isDigit(sql.charAt(i + 1))
          && !afterName(out, i)) {
        int j = numberEnd(sql, i);
        out.add(new Token(Kind.NUMBER, sql.substring(i, j), i, j));
        i = j;
      } else if (c == '?') {
        out.add(new Token(Kind.PARAM, "?", i, i + 1));
        i++;
      } else {
        int len = operatorLength(sql, i);
        out.add(new Token(Kind.PUNCT, sql.substring(i, i + len), i, i + len));
        i += len;
      }
    }
    return out;
  }

  private static boolean startsWith(String s, int at, String prefix) {
    return s.startsWith(prefix, at);
  }

  /** MySQL needs whitespace (or the end) after {@code --} for it to start a comment. */
  private static boolean dashCommentAt(String sql, int i) {
    return i + 2 >= sql.length() || Character.isWhitespace(sql.charAt(i + 2));
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '$'
        || c >= 0x80;
  }

  /** {@code 0x1F}, {@code 0b101}, {@code 1e5}: numeric literals that lex as words. */
  private static boolean isNumberLike(String text) {
    return text.matches("0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+[eE][0-9]+");
  }

  /** A {@code .} right after an identifier is a qualifier dot, not the start of a decimal. */
  private static boolean afterName(List<Token> out, int at) {
    if (out.isEmpty()) {
      return false;
    }
    Token last = out.get(out.size() - 1);
    return last.isIdentifier() && last.end() == at;
  }

  /** Extends an integer at {@code j} with a fraction and an exponent. */
  private static int numberEnd(String sql, int j) {
    int n = sql.length();
    while (j < n && Character.isDigit(sql.charAt(j))) {
      j++;
    }
    if (j < n && sql.charAt(j) == '.') {
      j++;
      while (j < n && Character.isDigit(sql.charAt(j))) {
        j++;
      }
    }
    if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
        k++;
      }
      if (k < n && Character.isDigit(sql.charAt(k))) {
        j = k;
        while (j < n && Character.isDigit(sql.charAt(j))) {
          j++;
        }
      }
    }
    return j;
  }

  /** Offset after the closing quote of the string starting at {@code start}, or -1. */
  private static int stringEnd(String sql, int start, char quote) {
    int n = sql.length();
    int j = start + 1;
    while (j < n) {
      char d = sql.charAt(j);
      if (d == '\\') {
        j += 2;
      } else if (d == quote) {
        if (j + 1 < n && sql.charAt(j + 1) == quote) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        j++;
      }
    }
    return -1;
  }

  private static String unescape(String sql, int from, int to, char quote) {
    StringBuilder sb = new StringBuilder(to - from);
    int j = from;
    while (j < to) {
      char d = sql.charAt(j);
      if (d == '\\' && j + 1 < to) {
        char e = sql.charAt(j + 1);
        switch (e) {
          case '0' -> sb.append('\0');
          case 'b' -> sb.append('\b');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'Z' -> sb.append((char) 26);
          // MySQL keeps the backslash for \% and \_ (they matter to LIKE).
          case '%', '_' -> sb.append('\\').append(e);
          default -> sb.append(e);
        }
        j += 2;
      } else if (d == quote && j + 1 < to && sql.charAt(j + 1) == quote) {
        sb.append(quote);
        j += 2;
      } else {
        sb.append(d);
        j++;
      }
    }
    return sb.toString();
  }

  private static int operatorLength(String sql, int i) {
    for (String op : new String[] {"<=>", "<=", ">=", "<>", "!=", "<<", ">>", "||", "&&", ":="}) {
      if (sql.startsWith(op, i)) {
        return op.length();
      }
    }
    return 1;
  }
}
