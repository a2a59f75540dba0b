package org.q4mbridge.q4m.cond;

/**
 * Cuts condition text into tokens on demand, so a lexical error is only reported once the parser
 * has accepted everything before it (errors come out left to right, like Q4M's parser).
 *
 * <p>Numbers follow Q4M's {@code unary_expr} rule, tried in this order: {@code 0x} (lowercase x)
 * plus 1-16 hex digits; {@code 0} plus 1-22 octal digits; 1-19 decimal digits. Because the decimal
 * alternative is tried last, {@code 08} and {@code 09} are decimal 8 and 9 in Q4M, while {@code
 * 019} is rejected (octal {@code 01} followed by a stray {@code 9}). Values above {@code
 * Long.MAX_VALUE} are rejected: Spirit's {@code uint_parser} fails on overflow.
 *
 * <p>Deliberate deviations from Q4M's character-level grammar, which has no word boundaries: words
 * are whole identifiers here ({@code notv} is a column, not {@code NOT v}; {@code nullable} is a
 * column, not {@code NULL} followed by garbage), and a numeric literal cannot contain white space
 * (Q4M's skipper makes {@code 0 10} octal 8).
 */
final class Lexer {

  /** Token categories. */
  enum Kind {
    INTEGER,
    /** A bare word: keyword or column name. */
    WORD,
    /** A {@code `backquoted`} column name. */
    QUOTED_NAME,
    SYMBOL,
    /** A character that starts no token; the parser reports it. */
    UNEXPECTED,
    END
  }

  /**
   * One token. {@code text} is the exact source text; {@code value} is set for integers and {@code
   * name} (lower-cased, without quotes) for quoted names.
   */
  record Token(Kind kind, String text, int start, int end, long value, String name) {
    boolean is(Kind k, String s) {
      return kind == k && text.equals(s);
    }

    boolean isSymbol(String s) {
      return is(Kind.SYMBOL, s);
    }

    /** Case-insensitive keyword test, as Q4M's {@code as_lower_d[...]}. */
    boolean isKeyword(String lowerCaseKeyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(lowerCaseKeyword);
    }
  }

  /** Longest first, so {@code <=} wins over {@code <}. {@code <>} exists only to be reported. */
  private static final String[] SYMBOLS = {
    "||", "&&", "!=", "<=", ">=", "<<", ">>", "<>", "=", "<", ">", "|", "&", "^", "~", "+", "-",
    "*", "%", "(", ")", ","
  };

  private final String text;
  private int pos;

  Lexer(String text) {
    this.text = text;
  }

  /** Q4M skips with Spirit's {@code space_p}, i.e. C {@code isspace}. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }

  static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  }

  static boolean isWordPart(char c) {
    return isWordStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private char at(int i) {
    return i < text.length() ? text.charAt(i) : '\0';
  }

  Token next() throws ConditionException {
    while (pos < text.length() && isSpace(text.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (start >= text.length()) {
      return new Token(Kind.END, "", start, start, 0, null);
    }
    char c = text.charAt(start);
    Token t;
    if (isDigit(c)) {
      t = number(start);
    } else if (isWordStart(c)) {
      int end = start + 1;
      while (end < text.length() && isWordPart(text.charAt(end))) {
        end++;
      }
      t = token(Kind.WORD, start, end, 0, null);
    } else if (c == '`') {
      t = quotedName(start);
    } else {
      t = symbolOrUnexpected(start);
    }
    pos = t.end();
    return t;
  }

  private Token token(Kind kind, int start, int end, long value, String name) {
    return new Token(kind, text.substring(start, end), start, end, value, name);
  }

  private Token symbolOrUnexpected(int start) {
    for (String s : SYMBOLS) {
      if (text.startsWith(s, start)) {
        return token(Kind.SYMBOL, start, start + s.length(), 0, null);
      }
    }
    return token(Kind.UNEXPECTED, start, text.offsetByCodePoints(start, 1), 0, null);
  }

  private Token quotedName(int start) throws ConditionException {
    int close = text.indexOf('`', start + 1);
    if (close < 0) {
      throw new ConditionException(
          text, start, "expected a closing '`' for the column name opened here");
    }
    String raw = text.substring(start + 1, close);
    if (raw.isEmpty()) {
      // Q4M compares a backquoted name as a prefix, so `` would pick the first column; that is an
      // accident nobody relies on, and we cannot resolve prefixes without the table's column list.
      throw new ConditionException(text, start, "expected a column name between '`' and '`'");
    }
    int backslash = raw.indexOf('\\');
    if (backslash >= 0) {
      // Q4M accepts C escapes here but then compares the raw, still-escaped text with column names.
      throw new ConditionException(
          text, start + 1 + backslash, "backslash escapes are not supported in column names");
    }
    return token(Kind.QUOTED_NAME, start, close + 1, 0, raw.toLowerCase(java.util.Locale.ROOT));
  }

  private Token number(int start) throws ConditionException {
    if (at(start) == '0' && at(start + 1) == 'x' && isHex(at(start + 2))) {
      int end = start + 2;
      while (isHex(at(end))) {
        end++;
      }
      return literal(start, end, start + 2, 16, 16);
    }
    if (at(start) == '0' && isOctal(at(start + 1))) {
      int end = start + 1;
      while (isOctal(at(end))) {
        end++;
      }
      if (at(end) == '8' || at(end) == '9') {
        throw new ConditionException(
            text,
            end,
            "digit '"
                + at(end)
                + "' in octal literal '"
                + text.substring(start, end + 1)
                + "' (a leading 0 makes an integer octal; drop the 0 for decimal)");
      }
      return literal(start, end, start + 1, 8, 22);
    }
    int end = start;
    while (isDigit(at(end))) {
      end++;
    }
    return literal(start, end, start, 10, 19);
  }

  private Token literal(int start, int end, int digitsStart, int radix, int maxDigits)
      throws ConditionException {
    String digits = text.substring(digitsStart, end);
    long value = 0;
    boolean fits = digits.length() <= maxDigits;
    for (int i = 0; fits && i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), radix);
      if (value > (Long.MAX_VALUE - d) / radix) {
        fits = false;
      } else {
        value = value * radix + d;
      }
    }
    if (!fits) {
      throw new ConditionException(
          text,
          start,
          "integer literal '"
              + text.substring(start, end)
              + "' is out of range (at most "
              + maxDigits
              + " digits and 9223372036854775807; write -9223372036854775807 - 1 for the minimum)");
    }
    return token(Kind.INTEGER, start, end, value, null);
  }
}
