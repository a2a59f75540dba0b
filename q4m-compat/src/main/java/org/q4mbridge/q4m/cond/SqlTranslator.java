package org.q4mbridge.q4m.cond;

import java.math.BigInteger;
import java.util.regex.Pattern;
import org.q4mbridge.q4m.cond.Expr.Binary;
import org.q4mbridge.q4m.cond.Expr.BinaryOp;
import org.q4mbridge.q4m.cond.Expr.Column;
import org.q4mbridge.q4m.cond.Expr.IntLiteral;
import org.q4mbridge.q4m.cond.Expr.IsTest;
import org.q4mbridge.q4m.cond.Expr.NullLiteral;
import org.q4mbridge.q4m.cond.Expr.Unary;

/**
 * Translates a condition into MySQL/MariaDB SQL whose value equals {@link Evaluator}'s for every
 * row, including NULLs and 64-bit wrap-around, without raising an SQL error for any row (given
 * signed integer columns; see {@link Condition.ColumnSql}).
 *
 * <p>Two forms: {@link #value} reproduces Q4M's exact value (NULL, 0/1 or any BIGINT); {@link
 * #predicate} is only guaranteed to be TRUE exactly when that value is non-NULL and non-zero, which
 * lets a top-level {@code prio = 0 AND kind = 2} stay a plain, index-friendly SQL conjunction.
 * Every compound operand is parenthesised, so SQL precedence (and sql_mode such as
 * HIGH_NOT_PRECEDENCE or PIPES_AS_CONCAT, since {@code ||}/{@code &&} are never emitted) plays no
 * part. The output is linear in the size of the condition except for {@code pow}, which repeats its
 * operands; {@link #MAX_POW_OPERANDS} bounds that.
 *
 * <p>Why each operator looks the way it does:
 *
 * <ul>
 *   <li>MySQL bit operators work on BIGINT UNSIGNED; {@code CAST(... AS SIGNED)} gives back the
 *       two's-complement value Q4M has.
 *   <li>{@code + - * -x} raise error 1690 on BIGINT overflow in MySQL, whereas Q4M wraps; they are
 *       computed exactly in DECIMAL and reduced modulo 2^64 ({@link #wrap}).
 *   <li>{@code >>} is logical in MySQL but arithmetic in Q4M: {@code FLOOR(x / 2^n)} in DECIMAL.
 *       Shift counts are masked with {@code & 63} as x86-64 does.
 *   <li>{@code div}/{@code %} by zero are NULL in Q4M; {@code NULLIF(y, 0)} gives NULL without the
 *       division-by-zero warning (an error in strict DML). {@code MIN div -1} overflows BIGINT in
 *       MySQL, so DIV is an exact DECIMAL division truncated and wrapped.
 *   <li>Q4M's AND is NULL only when both sides are NULL (see {@link Evaluator}).
 *   <li>Q4M's NOT is emitted as {@code (x = 0)}, never as SQL NOT: MariaDB 10.11 rewrites {@code
 *       NOT (NOT c)} to {@code c} inside WHERE even where the 0/1 value is used.
 * </ul>
 *
 * <p>Checked against MariaDB 10.11 by ConditionSqlIT (values and selected rows, including strict
 * mode DML); MySQL 8 uses the same operators and is expected to behave the same.
 */
final class SqlTranslator {

  /** {@code Long.MIN_VALUE} as a BIGINT expression (the literal 9223372036854775808 is DECIMAL). */
  private static final String MIN = "(-9223372036854775807 - 1)";

  /** 2^128 + 2^63: makes any |d| < 2^127 positive before MOD, and biases by 2^63. */
  private static final String WRAP_BIAS = twoTo(128).add(twoTo(63)).toString();

  private static final String TWO_TO_64 = twoTo(64).toString();
  private static final String TWO_TO_63 = twoTo(63).toString();

  /** A possibly qualified, possibly backquoted identifier: safe to use without parentheses. */
  private static final Pattern PLAIN_COLUMN =
      Pattern.compile("(`[^`]+`|[A-Za-z0-9_$]+)(\\.(`[^`]+`|[A-Za-z0-9_$]+))*");

  /** Longest operand text {@code pow} will repeat (about ten times). */
  static final int MAX_POW_OPERANDS = 100_000;

  private final String text;
  private final Condition.ColumnSql columns;

  private static BigInteger twoTo(int n) {
    return BigInteger.ONE.shiftLeft(n);
  }

  SqlTranslator(String text, Condition.ColumnSql columns) {
    this.text = text;
    this.columns = columns;
  }

  /** SQL that is TRUE exactly when the condition matches; FALSE or NULL otherwise. */
  String predicate(Expr e) throws ConditionException {
    if (e instanceof Binary b) {
      switch (b.op()) {
        case AND:
          // Q4M's AND is true exactly when both sides are true; its NULL rule only matters when
          // the result is used as a value (NOT, comparisons, arithmetic).
          return "(" + predicate(b.left()) + " AND " + predicate(b.right()) + ")";
        case OR:
          return "(" + predicate(b.left()) + " OR " + predicate(b.right()) + ")";
        default:
          if (b.op().isComparison() || b.op() == BinaryOp.XOR) {
            return value(e);
          }
          break;
      }
    } else if (e instanceof IsTest || (e instanceof Unary u && u.op() == Expr.UnaryOp.NOT)) {
      return value(e);
    }
    return "(" + value(e) + " <> 0)";
  }

  /** SQL whose value is exactly Q4M's value of {@code e}. */
  String value(Expr e) throws ConditionException {
    if (e instanceof Column c) {
      return columns.sqlFor(c.name());
    }
    if (e instanceof IntLiteral l) {
      return Long.toString(l.value());
    }
    if (e instanceof NullLiteral) {
      return "NULL";
    }
    if (e instanceof Unary u) {
      String x = operand(u.operand());
      switch (u.op()) {
        case NEG:
          return wrap("0 - CAST(" + x + " AS DECIMAL(65,0))");
        case BIT_NOT:
          return "CAST(~" + x + " AS SIGNED)";
        case NOT:
          // Q4M's not_op: NULL -> NULL, 0 -> 1, anything else -> 0. Not SQL's NOT: MariaDB 10.11
          // evaluates WHERE 10 div (NOT (NOT c)) = 10 as 10 div c = 10.
          return "(" + x + " = 0)";
        default:
          throw new AssertionError(u.op());
      }
    }
    if (e instanceof IsTest t) {
      // MySQL's IS [NOT] TRUE/FALSE/NULL treat integers and NULL exactly as Q4M.
      return "(" + operand(t.operand()) + " " + t.kind().sql + ")";
    }
    return binary((Binary) e);
  }

  /**
   * {@code value(e)} ready to be an operand. Every compound value is already a single parenthesised
   * expression or function call; only column SQL from the callback may need parentheses.
   */
  private String operand(Expr e) throws ConditionException {
    String sql = value(e);
    return e instanceof Column && !PLAIN_COLUMN.matcher(sql).matches() ? "(" + sql + ")" : sql;
  }

  private String binary(Binary b) throws ConditionException {
    String x = operand(b.left());
    String y = operand(b.right());
    switch (b.op()) {
      case OR:
        // Same truth table as Q4M's or_op (TRUE wins over NULL).
        return "(" + x + " OR " + y + ")";
      case XOR:
        // Q4M's xor_op is NULL when either side is NULL, like MySQL's XOR.
        return "(" + x + " XOR " + y + ")";
      case AND:
        // Encode each side as 0 false, 1 true, 2 NULL so each operand appears once (the output
        // stays linear under nesting); 3*1+1 = both true, 3*2+2 = both NULL.
        return "(CASE COALESCE("
            + x
            + " <> 0, 2) * 3 + COALESCE("
            + y
            + " <> 0, 2) WHEN 4 THEN 1 WHEN 8 THEN NULL ELSE 0 END)";
      case EQ:
        return "(" + x + " = " + y + ")";
      case NE:
        return "(" + x + " <> " + y + ")";
      case LT:
        return "(" + x + " < " + y + ")";
      case LE:
        return "(" + x + " <= " + y + ")";
      case GT:
        return "(" + x + " > " + y + ")";
      case GE:
        return "(" + x + " >= " + y + ")";
      case BIT_OR:
        return "CAST(" + x + " | " + y + " AS SIGNED)";
      case BIT_AND:
        return "CAST(" + x + " & " + y + " AS SIGNED)";
      case BIT_XOR:
        return "CAST(" + x + " ^ " + y + " AS SIGNED)";
      case SHL:
        return "CAST(" + x + " << (" + y + " & 63) AS SIGNED)";
      case SHR:
        // Scale 30 keeps the smallest fraction (2^-63 ~ 1.1e-19) non-zero, so FLOOR is exact.
        return "CAST(FLOOR(CAST(" + x + " AS DECIMAL(65,30)) / (1 << (" + y + " & 63))) AS SIGNED)";
      case ADD:
        return wrap("CAST(" + x + " AS DECIMAL(65,0)) + " + y);
      case SUB:
        return wrap("CAST(" + x + " AS DECIMAL(65,0)) - " + y);
      case MUL:
        return wrap("CAST(" + x + " AS DECIMAL(65,0)) * " + y);
      case DIV:
        // A fraction of x/y is a multiple of 1/|y| >= 2^-63, far above scale 30, so TRUNCATE is
        // exact; only MIN div -1 (= 2^63) needs the wrap.
        return wrap("TRUNCATE(CAST(" + x + " AS DECIMAL(65,30)) / NULLIF(" + y + ", 0), 0)");
      case MOD:
        // MySQL's MOD takes the dividend's sign, as C's %, and MIN MOD -1 is 0 without error.
        return "MOD(" + x + ", NULLIF(" + y + ", 0))";
      case POW:
        return pow(b, x, y);
      default:
        throw new AssertionError(b.op());
    }
  }

  /**
   * Reduces an exact DECIMAL {@code d} with |d| < 2^127 into the signed 64-bit range modulo 2^64,
   * i.e. two's-complement wrap-around, as Q4M's C arithmetic does on x86-64.
   */
  private static String wrap(String d) {
    return "CAST(MOD(("
        + d
        + ") + "
        + WRAP_BIAS
        + ", "
        + TWO_TO_64
        + ") - "
        + TWO_TO_63
        + " AS SIGNED)";
  }

  /**
   * {@link Evaluator#pow} in SQL. MySQL's POW is a DOUBLE (53-bit mantissa) and raises error 1690
   * for infinite results, so the special cases are handled first, overflow is detected with LOG2
   * (only exact powers of two lie near 2^63, and for those LOG2 is exact or the wrap below still
   * gives MIN), and the remaining result (|x|^y < 2^63, y >= 2) is the product of two POW halves,
   * each below 2^48 and therefore exact.
   */
  private String pow(Binary b, String x, String y) throws ConditionException {
    if (x.length() + y.length() > MAX_POW_OPERANDS) {
      throw new ConditionException(
          text, b.position(), "pow() operands too large to translate to SQL (nested pow?)");
    }
    return "(CASE WHEN "
        + x
        + " IS NULL OR "
        + y
        + " IS NULL THEN NULL WHEN "
        + y
        + " = 0 THEN 1 WHEN "
        + x
        + " = 0 THEN CASE WHEN "
        + y
        + " < 0 THEN "
        + MIN
        + " ELSE 0 END WHEN "
        + x
        + " = 1 THEN 1 WHEN "
        + x
        + " = -1 THEN CASE WHEN ("
        + y
        + " & 1) = 0 THEN 1 ELSE -1 END WHEN "
        + y
        + " < 0 THEN 0 WHEN "
        + y
        + " = 1 THEN "
        + x
        + " WHEN "
        + y
        + " >= 63 OR "
        + y
        + " * LOG2(ABS(CAST("
        + x
        + " AS DECIMAL(65,0)))) >= 63 THEN "
        + MIN
        + " ELSE "
        + wrap(
            "CAST(POW("
                + x
                + ", "
                + y
                + " DIV 2) AS DECIMAL(65,0)) * CAST(POW("
                + x
                + ", "
                + y
                + " - "
                + y
                + " DIV 2) AS DECIMAL(65,0))")
        + " END)";
  }
}
