package org.q4mbridge.q4m.cond;

import java.util.Locale;
import java.util.Set;
import org.q4mbridge.q4m.cond.Expr.Binary;
import org.q4mbridge.q4m.cond.Expr.BinaryOp;
import org.q4mbridge.q4m.cond.Expr.Column;
import org.q4mbridge.q4m.cond.Expr.IntLiteral;
import org.q4mbridge.q4m.cond.Expr.IsKind;
import org.q4mbridge.q4m.cond.Expr.IsTest;
import org.q4mbridge.q4m.cond.Expr.NullLiteral;
import org.q4mbridge.q4m.cond.Expr.Unary;
import org.q4mbridge.q4m.cond.Expr.UnaryOp;
import org.q4mbridge.q4m.cond.Lexer.Kind;
import org.q4mbridge.q4m.cond.Lexer.Token;

/**
 * Recursive-descent parser with one method per precedence level of Q4M's grammar ({@code
 * src/queue_cond.cc}, {@code wait_expr_t}), lowest first. All binary levels are left-associative
 * loops, as in the Spirit rules.
 */
final class Parser {

  /** Q4M's reserved words; a bare word equal to one of them (any case) is never a column. */
  static final Set<String> RESERVED =
      Set.of("or", "xor", "and", "not", "is", "true", "false", "null", "div", "mod");

  private static final Set<String> UNSUPPORTED_OPERATORS =
      Set.of("in", "between", "like", "rlike", "regexp", "sounds");

  /** Bounds recursion: parentheses, pow(), prefix operators. */
  static final int MAX_NESTING = 100;

  /** Bounds tree depth (a chain of n operators is n deep) and so evaluation/translation stacks. */
  static final int MAX_NODES = 1000;

  private final String text;
  private final Lexer lexer;
  private Token tok;
  private int nesting;
  private int nodes;

  private Parser(String text) {
    this.text = text;
    this.lexer = new Lexer(text);
  }

  static Expr parse(String text) throws ConditionException {
    Parser p = new Parser(text);
    p.advance();
    Expr e = p.orExpr();
    if (p.tok.kind() != Kind.END) {
      throw p.error("an operator or the end of the condition", false);
    }
    return e;
  }

  private void advance() throws ConditionException {
    tok = lexer.next();
  }

  private Expr count(Expr e) throws ConditionException {
    if (++nodes > MAX_NODES) {
      throw new ConditionException(
          text, e.position(), "condition is too long (more than " + MAX_NODES + " terms)");
    }
    return e;
  }

  private Expr binary(BinaryOp op, Expr left, Expr right, int position) throws ConditionException {
    return count(new Binary(op, left, right, position));
  }

  private Expr orExpr() throws ConditionException {
    Expr left = xorExpr();
    while (tok.isSymbol("||") || tok.isKeyword("or")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.OR, left, xorExpr(), at);
    }
    return left;
  }

  private Expr xorExpr() throws ConditionException {
    Expr left = andExpr();
    while (tok.isKeyword("xor")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.XOR, left, andExpr(), at);
    }
    return left;
  }

  private Expr andExpr() throws ConditionException {
    Expr left = notExpr();
    while (tok.isSymbol("&&") || tok.isKeyword("and")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.AND, left, notExpr(), at);
    }
    return left;
  }

  /**
   * Q4M: {@code not_expr = (NOT >> rel_expr) | rel_expr}. NOT is not recursive, so {@code NOT NOT
   * a} is invalid and {@code NOT a = 1} means {@code NOT (a = 1)}.
   */
  private Expr notExpr() throws ConditionException {
    if (tok.isKeyword("not")) {
      int at = tok.start();
      enter(at);
      advance();
      Expr operand = relExpr();
      nesting--;
      return count(new Unary(UnaryOp.NOT, operand, at));
    }
    return relExpr();
  }

  private Expr relExpr() throws ConditionException {
    Expr left = bitOrExpr();
    while (true) {
      BinaryOp op = comparison(tok);
      int at = tok.start();
      if (op != null) {
        advance();
        left = binary(op, left, bitOrExpr(), at);
      } else if (tok.isKeyword("is")) {
        advance();
        left = count(new IsTest(left, isKind(), at));
      } else {
        return left;
      }
    }
  }

  private static BinaryOp comparison(Token t) {
    if (t.kind() != Kind.SYMBOL) {
      return null;
    }
    switch (t.text()) {
      case "=":
        return BinaryOp.EQ;
      case "!=":
        return BinaryOp.NE;
      case "<":
        return BinaryOp.LT;
      case "<=":
        return BinaryOp.LE;
      case ">":
        return BinaryOp.GT;
      case ">=":
        return BinaryOp.GE;
      default:
        return null;
    }
  }

  private IsKind isKind() throws ConditionException {
    boolean negated = false;
    if (tok.isKeyword("not")) {
      negated = true;
      advance();
    }
    IsKind kind;
    if (tok.isKeyword("true")) {
      kind = negated ? IsKind.NOT_TRUE : IsKind.TRUE;
    } else if (tok.isKeyword("false")) {
      kind = negated ? IsKind.NOT_FALSE : IsKind.FALSE;
    } else if (tok.isKeyword("null")) {
      kind = negated ? IsKind.NOT_NULL : IsKind.NULL;
    } else {
      throw error(
          negated ? "TRUE, FALSE or NULL after IS NOT" : "TRUE, FALSE, NULL or NOT after IS");
    }
    advance();
    return kind;
  }

  private Expr bitOrExpr() throws ConditionException {
    Expr left = bitAndExpr();
    while (tok.isSymbol("|")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.BIT_OR, left, bitAndExpr(), at);
    }
    return left;
  }

  private Expr bitAndExpr() throws ConditionException {
    Expr left = shiftExpr();
    while (tok.isSymbol("&")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.BIT_AND, left, shiftExpr(), at);
    }
    return left;
  }

  private Expr shiftExpr() throws ConditionException {
    Expr left = addExpr();
    while (tok.isSymbol("<<") || tok.isSymbol(">>")) {
      BinaryOp op = tok.isSymbol("<<") ? BinaryOp.SHL : BinaryOp.SHR;
      int at = tok.start();
      advance();
      left = binary(op, left, addExpr(), at);
    }
    return left;
  }

  private Expr addExpr() throws ConditionException {
    Expr left = mulExpr();
    while (tok.isSymbol("+") || tok.isSymbol("-")) {
      BinaryOp op = tok.isSymbol("+") ? BinaryOp.ADD : BinaryOp.SUB;
      int at = tok.start();
      advance();
      left = binary(op, left, mulExpr(), at);
    }
    return left;
  }

  /** {@code div} and {@code mod} are plain (case-sensitive) literals in Q4M's grammar. */
  private Expr mulExpr() throws ConditionException {
    Expr left = bitXorExpr();
    while (true) {
      BinaryOp op;
      if (tok.isSymbol("*")) {
        op = BinaryOp.MUL;
      } else if (tok.is(Kind.WORD, "div")) {
        op = BinaryOp.DIV;
      } else if (tok.isSymbol("%") || tok.is(Kind.WORD, "mod")) {
        op = BinaryOp.MOD;
      } else {
        return left;
      }
      int at = tok.start();
      advance();
      left = binary(op, left, bitXorExpr(), at);
    }
  }

  private Expr bitXorExpr() throws ConditionException {
    Expr left = unaryExpr();
    while (tok.isSymbol("^")) {
      int at = tok.start();
      advance();
      left = binary(BinaryOp.BIT_XOR, left, unaryExpr(), at);
    }
    return left;
  }

  private void enter(int at) throws ConditionException {
    if (++nesting > MAX_NESTING) {
      throw new ConditionException(
          text, at, "condition nests too deeply (more than " + MAX_NESTING + " levels)");
    }
  }

  private Expr unaryExpr() throws ConditionException {
    Token t = tok;
    int at = t.start();
    switch (t.kind()) {
      case INTEGER:
        advance();
        return count(new IntLiteral(t.value(), at));
      case QUOTED_NAME:
        advance();
        return count(new Column(t.name(), at));
      case SYMBOL:
        if (t.isSymbol("-") || t.isSymbol("~")) {
          enter(at);
          advance();
          Expr operand = unaryExpr();
          nesting--;
          return count(new Unary(t.isSymbol("-") ? UnaryOp.NEG : UnaryOp.BIT_NOT, operand, at));
        }
        if (t.isSymbol("(")) {
          enter(at);
          advance();
          Expr inner = orExpr();
          expect(")");
          nesting--;
          return inner;
        }
        break;
      case WORD:
        // Q4M matches the literal "pow(": lowercase, no space before the parenthesis.
        if (t.text().equals("pow") && text.startsWith("(", t.end())) {
          enter(at);
          advance();
          advance();
          Expr base = orExpr();
          expect(",");
          Expr exponent = orExpr();
          expect(")");
          nesting--;
          return binary(BinaryOp.POW, base, exponent, at);
        }
        String lower = t.text().toLowerCase(Locale.ROOT);
        if (lower.equals("null")) {
          advance();
          return count(new NullLiteral(at));
        }
        if (!RESERVED.contains(lower)) {
          advance();
          return count(new Column(lower, at));
        }
        break;
      default:
        break;
    }
    throw error("an operand (column, integer, NULL, pow(a, b) or '(')", true);
  }

  private void expect(String symbol) throws ConditionException {
    if (!tok.isSymbol(symbol)) {
      throw error("an operator or '" + symbol + "'", false);
    }
    advance();
  }

  private ConditionException error(String expected) {
    return error(expected, true);
  }

  private ConditionException error(String expected, boolean operandPosition) {
    return new ConditionException(
        text, tok.start(), "expected " + expected + " but found " + describe(operandPosition));
  }

  /** The current token, quoted, with a hint for the usual mistakes (spec §8 pitfall 17). */
  private String describe(boolean operandPosition) {
    if (tok.kind() == Kind.END) {
      return "the end of the condition";
    }
    String found = "'" + tok.text() + "'";
    String lower = tok.text().toLowerCase(Locale.ROOT);
    String hint = null;
    if (tok.isSymbol("<>")) {
      hint = "Q4M has no '<>'; use '!='";
    } else if (tok.is(Kind.UNEXPECTED, "!")) {
      hint = "Q4M has no '!' operator; use NOT or '!='";
    } else if (tok.is(Kind.UNEXPECTED, "'") || tok.is(Kind.UNEXPECTED, "\"")) {
      hint = "string literals are not supported; conditions compare integer columns";
    } else if (tok.is(Kind.UNEXPECTED, ".")) {
      hint = "only integers are supported";
    } else if (tok.kind() == Kind.WORD && (lower.equals("div") || lower.equals("mod"))) {
      hint = "div and mod must be written in lowercase";
    } else if (tok.kind() == Kind.WORD && UNSUPPORTED_OPERATORS.contains(lower)) {
      hint = "Q4M conditions have no IN, BETWEEN, LIKE or REGEXP";
    } else if (operandPosition && (lower.equals("true") || lower.equals("false"))) {
      hint = "TRUE and FALSE may only follow IS";
    } else if (operandPosition && lower.equals("not")) {
      hint = "NOT applies to a whole comparison; add parentheses, e.g. NOT (NOT a)";
    } else if (operandPosition && tok.kind() == Kind.WORD && RESERVED.contains(lower)) {
      hint = "reserved word; backquote a column with this name";
    } else if (!operandPosition && tok.isSymbol("(")) {
      hint = "the only function is pow(a, b), in lowercase with '(' right after pow";
    }
    return hint == null ? found : found + " (" + hint + ")";
  }
}
