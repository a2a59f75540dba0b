package org.q4mbridge.q4m.cond;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed Q4M conditional-subscription expression (the {@code cond} in {@code
 * queue_wait('table:cond')}), with Q4M's evaluation rules and a translation to an equivalent
 * MySQL/MariaDB {@code WHERE} predicate.
 *
 * <p>The language (Q4M {@code src/queue_cond.cc}/{@code .h}, spec §2.7), lowest precedence first:
 * {@code OR ||}; {@code XOR}; {@code AND &&}; prefix {@code NOT} (once, applied to a comparison);
 * {@code = != < <= > >=} and {@code IS [NOT] TRUE|FALSE|NULL}; {@code |}; {@code &}; {@code << >>};
 * {@code + -}; {@code * div % mod}; {@code ^} (bitwise XOR); prefix {@code - ~}; operands are
 * integers (decimal, {@code 0x} hex, leading-0 octal), {@code NULL}, {@code pow(a, b)}, columns and
 * parentheses. Keywords are case-insensitive except {@code div}, {@code mod} and {@code pow}, which
 * Q4M only accepts in lowercase. Bare column names are lower-cased; {@code `backquoted`} names are
 * matched case-insensitively (so they are lower-cased too).
 *
 * <p>Values are signed 64-bit integers or NULL. Arithmetic and comparisons involving NULL give
 * NULL; {@code div}/{@code %} by zero give NULL; {@code a AND b} is NULL only if both sides are
 * NULL, otherwise 0 or 1; {@code a OR b} is 1 if either side is true, else NULL if either is NULL;
 * {@code XOR} is NULL if either side is NULL. A row matches when the value is non-NULL and
 * non-zero. Overflow wraps around (see {@link Evaluator} for the hardware-defined corner cases).
 *
 * <p>Deliberate differences from Q4M's parser: identifiers and keywords must be whole words ({@code
 * notv} is a column here, {@code NOT v} in Q4M), backquoted names must be complete column names
 * (Q4M picks the first column that starts with them) and contain no backslash, and literals contain
 * no white space. Instances are immutable and thread-safe.
 */
public final class Condition {

  private final String text;
  private final Expr root;
  private final Set<String> columns;

  private Condition(String text, Expr root, Set<String> columns) {
    this.text = text;
    this.root = root;
    this.columns = columns;
  }

  /**
   * Parses Q4M condition text.
   *
   * @throws ConditionException with the position and what was expected there, whenever Q4M would
   *     reject the condition (and {@code queue_wait} would return NULL)
   */
  public static Condition parse(String text) throws ConditionException {
    Objects.requireNonNull(text, "text");
    Expr root = Parser.parse(text);
    return new Condition(text, root, collectColumns(root));
  }

  private static Set<String> collectColumns(Expr root) {
    Set<String> names = new LinkedHashSet<>();
    Deque<Expr> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      if (e instanceof Expr.Column c) {
        names.add(c.name());
      } else if (e instanceof Expr.Unary u) {
        todo.push(u.operand());
      } else if (e instanceof Expr.IsTest t) {
        todo.push(t.operand());
      } else if (e instanceof Expr.Binary b) {
        todo.push(b.right());
        todo.push(b.left());
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** The original text. */
  public String text() {
    return text;
  }

  /** Lower-cased names of the referenced columns, in order of first appearance. */
  public Set<String> columns() {
    return columns;
  }

  /**
   * Evaluates the condition with Q4M's rules.
   *
   * @param values lower-cased column name to value; a {@code null} value is SQL NULL
   * @return the value, or {@code null} for NULL
   * @throws IllegalArgumentException when a referenced column has no entry in {@code values}
   */
  public Long evaluate(Map<String, Long> values) {
    return new Evaluator(values).eval(root);
  }

  /** True iff {@link #evaluate} is non-null and non-zero, i.e. Q4M would hand out the row. */
  public boolean matches(Map<String, Long> values) {
    return Evaluator.isTrue(evaluate(values));
  }

  /**
   * A MySQL/MariaDB boolean expression, usable as {@code WHERE <sql>}, that is TRUE exactly when
   * {@link #matches} would be true for the row (and FALSE or NULL otherwise). The SQL contains only
   * what {@code columnSql} returns, decimal integer literals and fixed SQL; it raises no SQL error
   * for any row (overflow wraps as in Q4M). Top-level AND/OR of comparisons stay plain SQL so
   * indexes can be used.
   *
   * @throws ConditionException from {@code columnSql}, or when nested {@code pow()} calls would
   *     make the SQL unreasonably large
   */
  public String toSql(ColumnSql columnSql) throws ConditionException {
    Objects.requireNonNull(columnSql, "columnSql");
    return new SqlTranslator(text, columnSql).predicate(root);
  }

  /** SQL for the exact Q4M value (not just its truth); used to test the translation. */
  String toValueSql(ColumnSql columnSql) throws ConditionException {
    return new SqlTranslator(text, columnSql).value(root);
  }

  /** The original text. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * Maps a column named in a condition to the SQL that reads it. Implementations validate the name
   * against the table (integer columns only) and quote it, e.g. {@code "`" + name + "`"}. For
   * BIGINT UNSIGNED columns return {@code CAST(`c` AS SIGNED)}: Q4M reads every integer column as
   * signed 64-bit, and MySQL arithmetic on UNSIGNED values differs.
   */
  @FunctionalInterface
  public interface ColumnSql {
    /**
     * @param lowerCaseName a column name from the condition, lower-cased
     * @return an SQL expression for that column's value
     * @throws ConditionException when the table has no such integer column
     */
    String sqlFor(String lowerCaseName) throws ConditionException;
  }
}
