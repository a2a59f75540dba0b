package org.q4mbridge.q4m.cond;

import java.math.BigInteger;
import java.util.Map;
import org.q4mbridge.q4m.cond.Expr.Binary;
import org.q4mbridge.q4m.cond.Expr.Column;
import org.q4mbridge.q4m.cond.Expr.IntLiteral;
import org.q4mbridge.q4m.cond.Expr.IsTest;
import org.q4mbridge.q4m.cond.Expr.NullLiteral;
import org.q4mbridge.q4m.cond.Expr.Unary;

/**
 * Q4M's evaluation rules ({@code src/queue_cond.h}, {@code queue_cond_t::*_op}) on Java longs;
 * {@code null} is SQL NULL.
 *
 * <p>Q4M does the arithmetic on C {@code long long} on x86-64, so where C leaves the result
 * undefined we reproduce what that hardware does, which is also what Java does: {@code + - * -x}
 * wrap around, shift counts are taken modulo 64 and {@code >>} is arithmetic. Two cases trap
 * (SIGFPE) in Q4M and so have no observable Q4M result: {@code MIN div -1} and {@code MIN % -1}; we
 * return Java's values (MIN and 0).
 */
final class Evaluator {

  private final Map<String, Long> values;

  Evaluator(Map<String, Long> values) {
    this.values = values;
  }

  static boolean isTrue(Long v) {
    return v != null && v != 0;
  }

  private static boolean isFalse(Long v) {
    return v != null && v == 0;
  }

  private static Long bool(boolean b) {
    return b ? 1L : 0L;
  }

  Long eval(Expr e) {
    if (e instanceof Column c) {
      if (!values.containsKey(c.name())) {
        throw new IllegalArgumentException(
            "no value for column '" + c.name() + "' (values must be keyed by lower-case name)");
      }
      return values.get(c.name());
    }
    if (e instanceof IntLiteral l) {
      return l.value();
    }
    if (e instanceof NullLiteral) {
      return null;
    }
    if (e instanceof Unary u) {
      Long x = eval(u.operand());
      if (x == null) {
        return null;
      }
      switch (u.op()) {
        case NEG:
          return -x;
        case BIT_NOT:
          return ~x;
        case NOT:
          return bool(x == 0);
        default:
          throw new AssertionError(u.op());
      }
    }
    if (e instanceof IsTest t) {
      Long x = eval(t.operand());
      switch (t.kind()) {
        case TRUE:
          return bool(isTrue(x));
        case NOT_TRUE:
          return bool(!isTrue(x));
        case FALSE:
          return bool(isFalse(x));
        case NOT_FALSE:
          return bool(!isFalse(x));
        case NULL:
          return bool(x == null);
        case NOT_NULL:
          return bool(x != null);
        default:
          throw new AssertionError(t.kind());
      }
    }
    return binary((Binary) e);
  }

  private Long binary(Binary b) {
    Long x = eval(b.left());
    Long y = eval(b.right());
    switch (b.op()) {
      case OR:
        // or_op: TRUE if either side is true, else NULL if either is NULL, else 0 (as SQL).
        if (isTrue(x) || isTrue(y)) {
          return 1L;
        }
        return x == null || y == null ? null : 0L;
      case AND:
        // and_op: NULL only when BOTH sides are NULL; otherwise 0/1. SQL would give NULL for
        // NULL AND 1, so NOT (NULL AND 1) matches in Q4M but not in SQL.
        if (x == null && y == null) {
          return null;
        }
        return bool(isTrue(x) && isTrue(y));
      default:
        break;
    }
    if (x == null || y == null) {
      return null;
    }
    long l = x;
    long r = y;
    switch (b.op()) {
      case XOR:
        return bool((l == 0) != (r == 0));
      case EQ:
        return bool(l == r);
      case NE:
        return bool(l != r);
      case LT:
        return bool(l < r);
      case LE:
        return bool(l <= r);
      case GT:
        return bool(l > r);
      case GE:
        return bool(l >= r);
      case BIT_OR:
        return l | r;
      case BIT_AND:
        return l & r;
      case BIT_XOR:
        return l ^ r;
      case SHL:
        return l << r;
      case SHR:
        return l >> r;
      case ADD:
        return l + r;
      case SUB:
        return l - r;
      case MUL:
        return l * r;
      case DIV:
        // The zero check is in the current queue_cond.h (the version that added pow()); earlier
        // releases divided unguarded and crashed the server with SIGFPE. NULL is also MySQL's
        // answer.
        return r == 0 ? null : l / r;
      case MOD:
        return r == 0 ? null : l % r;
      case POW:
        return pow(l, r);
      default:
        throw new AssertionError(b.op());
    }
  }

  /**
   * Q4M's {@code pow_func}: {@code (long long) powl(x, y)}. We use the exact integer power, which
   * is what {@code powl} yields whenever the result fits (it has a 64-bit mantissa). Fractions
   * (negative exponents) truncate toward zero. A result outside the signed 64-bit range, including
   * {@code 0^negative} (infinity), converts on x86 to the "integer indefinite" value {@code
   * Long.MIN_VALUE}.
   */
  static long pow(long x, long y) {
    if (y == 0) {
      return 1;
    }
    if (x == 0) {
      return y < 0 ? Long.MIN_VALUE : 0;
    }
    if (x == 1) {
      return 1;
    }
    if (x == -1) {
      return (y & 1) == 0 ? 1 : -1;
    }
    if (y < 0) {
      return 0;
    }
    if (y >= 63) {
      // |x| >= 2, so |x|^y >= 2^63: out of range, or exactly MIN for (-2)^63.
      return Long.MIN_VALUE;
    }
    BigInteger p = BigInteger.valueOf(x).pow((int) y);
    return p.bitLength() <= 63 ? p.longValue() : Long.MIN_VALUE;
  }
}
