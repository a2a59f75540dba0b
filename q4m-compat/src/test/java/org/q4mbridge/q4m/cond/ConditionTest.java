package org.q4mbridge.q4m.cond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parser, evaluator and SQL text of {@link Condition}; no server needed. */
class ConditionTest {

  private static final long MIN = Long.MIN_VALUE;
  private static final long MAX = Long.MAX_VALUE;

  /** Row used by the evaluation tables: a = 3, b = NULL, c = 0, d = -7. */
  private static Map<String, Long> row() {
    Map<String, Long> row = new HashMap<>();
    row.put("a", 3L);
    row.put("b", null);
    row.put("c", 0L);
    row.put("d", -7L);
    return row;
  }

  private static Long eval(String condition) throws ConditionException {
    return Condition.parse(condition).evaluate(row());
  }

  static Stream<Arguments> literals() {
    return Stream.of(
        arguments("10", 10L),
        arguments("0", 0L),
        arguments("00", 0L),
        arguments("010", 8L),
        arguments("0777", 511L),
        // The source tries decimal after octal fails on the first digit, so 09 is decimal 9.
        arguments("09", 9L),
        arguments("0812", 812L),
        arguments("0x1F", 31L),
        arguments("0xff", 255L),
        arguments("0x7fffffffffffffff", MAX),
        arguments("0777777777777777777777", MAX),
        arguments("9223372036854775807", MAX),
        arguments("-9223372036854775807 - 1", MIN),
        arguments("NULL", null),
        arguments("null", null));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("literals")
  void integerLiteralsAreDecimalHexOrLeadingZeroOctal(String text, Long expected)
      throws ConditionException {
    assertThat(eval(text)).isEqualTo(expected);
  }

  static Stream<Arguments> operators() {
    return Stream.of(
        // comparisons (a = 3)
        arguments("a = 3", 1L),
        arguments("a != 3", 0L),
        arguments("a < 4", 1L),
        arguments("a <= 3", 1L),
        arguments("a > 3", 0L),
        arguments("a >= 4", 0L),
        arguments("d < a", 1L),
        // bit operators, signed 64-bit
        arguments("a | 4", 7L),
        arguments("a & 6", 2L),
        arguments("a ^ 5", 6L),
        arguments("~a", -4L),
        arguments("~0", -1L),
        arguments("d | 0", -7L),
        arguments("d & 0xff", 249L),
        // shifts: arithmetic right shift, counts modulo 64 as on x86-64
        arguments("1 << 3", 8L),
        arguments("d >> 1", -4L),
        arguments("-16 >> 2", -4L),
        arguments("1 << 64", 1L),
        arguments("1 << -1", MIN),
        arguments("-1 >> 70", -1L),
        // arithmetic
        arguments("a + 4", 7L),
        arguments("a - 4", -1L),
        arguments("a * d", -21L),
        arguments("-a", -3L),
        arguments("--a", 3L),
        arguments("7 div 2", 3L),
        arguments("d div 2", -3L),
        arguments("7 % 3", 1L),
        arguments("d % 3", -1L),
        arguments("7 mod -3", 1L),
        arguments("d mod 3", -1L),
        // pow: exact integer power, fractions truncate, out of range -> MIN like (long long) powl
        arguments("pow(2, 10)", 1024L),
        arguments("pow(a, 2)", 9L),
        arguments("pow(d, 3)", -343L),
        arguments("pow(2, -1)", 0L),
        arguments("pow(-1, -3)", -1L),
        arguments("pow(-1, 4)", 1L),
        arguments("pow(0, 0)", 1L),
        arguments("pow(0, -1)", MIN),
        arguments("pow(3, 39)", 4052555153018976267L),
        arguments("pow(-2, 63)", MIN),
        arguments("pow(2, 63)", MIN),
        arguments("pow(10, 19)", MIN),
        arguments("pow(a + 1, 1 + 1)", 16L),
        // wrap-around, as Q4M's C arithmetic on x86-64
        arguments("9223372036854775807 + 1", MIN),
        arguments("-(-9223372036854775807 - 1)", MIN),
        arguments("4611686018427387904 * 2", MIN),
        arguments("(-9223372036854775807 - 1) div -1", MIN),
        arguments("(-9223372036854775807 - 1) % -1", 0L));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("operators")
  void operatorsComputeLikeQ4mOnSigned64BitIntegers(String text, Long expected)
      throws ConditionException {
    assertThat(eval(text)).isEqualTo(expected);
  }

  static Stream<Arguments> precedence() {
    return Stream.of(
        arguments("1 + 2 * 3", 7L),
        arguments("(1 + 2) * 3", 9L),
        arguments("2 * 3 ^ 1", 4L), // ^ binds tighter than *
        arguments("-2 ^ 1", -1L), // unary minus binds tighter than ^
        arguments("~1 ^ 1", -1L),
        arguments("7 - 3 div 2", 6L),
        arguments("7 - 3 mod 2", 6L),
        arguments("1 + 1 << 2", 8L), // + before <<
        arguments("6 & 3 << 1", 6L), // << before &
        arguments("1 | 6 & 3", 3L), // & before |
        arguments("1 = 1 | 2", 0L), // | before =
        arguments("a = 3 is true", 1L), // comparison and IS share a level, left to right
        arguments("a is null = 0", 1L),
        arguments("NOT 1 = 2", 1L), // NOT applies to the whole comparison
        arguments("NOT 0 AND 0", 0L), // NOT before AND
        arguments("1 OR 0 AND 0", 1L), // AND before OR
        arguments("0 AND 0 XOR 1", 1L), // AND before XOR
        arguments("1 XOR 1 OR 1", 1L), // XOR before OR
        arguments("1 XOR 1 AND 0", 1L),
        arguments("10 - 2 - 3", 5L), // left-associative
        arguments("100 div 10 div 5", 2L),
        arguments("2 ^ 3 ^ 1", 0L),
        arguments("3 > 2 > 1", 0L),
        arguments("1 << 2 << 1", 8L));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("precedence")
  void precedenceAndAssociativityFollowQ4mGrammar(String text, Long expected)
      throws ConditionException {
    assertThat(eval(text)).isEqualTo(expected);
  }

  static Stream<Arguments> nullRules() {
    return Stream.of(
        arguments("b = 1", null),
        arguments("b != 1", null),
        arguments("b + 1", null),
        arguments("-b", null),
        arguments("~b", null),
        arguments("b | 1", null),
        arguments("b << 1", null),
        arguments("pow(b, 2)", null),
        arguments("pow(2, b)", null),
        arguments("1 div b", null),
        arguments("a div 0", null),
        arguments("a % 0", null),
        arguments("a mod c", null),
        arguments("NULL = NULL", null),
        // AND: NULL only when both sides are NULL (SQL would say NULL for NULL AND 1)
        arguments("b AND 1", 0L),
        arguments("1 AND b", 0L),
        arguments("b AND 0", 0L),
        arguments("b AND b", null),
        arguments("NOT (b AND 1)", 1L),
        arguments("NOT (b AND b)", null),
        // OR: true wins, else NULL if any side is NULL
        arguments("b OR 1", 1L),
        arguments("2 || b", 1L),
        arguments("b OR 0", null),
        arguments("0 OR b", null),
        arguments("0 OR 0", 0L),
        // XOR: NULL if either side is NULL; otherwise logical
        arguments("b XOR 1", null),
        arguments("1 XOR 0", 1L),
        arguments("2 XOR 3", 0L),
        // NOT
        arguments("NOT b", null),
        arguments("NOT c", 1L),
        arguments("NOT a", 0L),
        // IS never yields NULL
        arguments("b IS NULL", 1L),
        arguments("b IS NOT NULL", 0L),
        arguments("b IS TRUE", 0L),
        arguments("b IS NOT TRUE", 1L),
        arguments("b IS FALSE", 0L),
        arguments("b IS NOT FALSE", 1L),
        arguments("c IS FALSE", 1L),
        arguments("c IS TRUE", 0L),
        arguments("d IS TRUE", 1L),
        arguments("d IS NOT FALSE", 1L),
        arguments("a div 0 IS NULL", 1L));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("nullRules")
  void nullPropagatesExceptThroughQ4mAndOrAndIs(String text, Long expected)
      throws ConditionException {
    assertThat(eval(text)).isEqualTo(expected);
  }

  @Test
  void rowMatchesOnlyWhenTheValueIsNonNullAndNonZero() throws ConditionException {
    Map<String, Long> row = row();
    assertThat(Condition.parse("a").matches(row)).isTrue();
    assertThat(Condition.parse("d").matches(row)).isTrue();
    assertThat(Condition.parse("c").matches(row)).isFalse();
    assertThat(Condition.parse("b").matches(row)).isFalse();
    assertThat(Condition.parse("NOT (b AND 1)").matches(row)).isTrue();
    assertThat(Condition.parse("b OR 0").matches(row)).isFalse();
  }

  @Test
  void keywordsAreCaseInsensitiveButDivModAndPowAreLowercaseOnly() throws ConditionException {
    assertThat(eval("a = 3 AnD b Is NuLl oR c xOr 1")).isEqualTo(1L);
    assertThat(eval("Not a = 4")).isEqualTo(1L);
    assertThat(eval("a IS NOT TRUE")).isEqualTo(0L);
    assertThat(eval("NULL IS NULL")).isEqualTo(1L);
    assertThatThrownBy(() -> Condition.parse("a DIV 2"))
        .hasMessageContaining("div and mod must be written in lowercase");
    assertThatThrownBy(() -> Condition.parse("a Mod 2"))
        .hasMessageContaining("div and mod must be written in lowercase");
    assertThatThrownBy(() -> Condition.parse("POW(2, 3)"))
        .hasMessageContaining("the only function is pow(a, b)");
  }

  @Test
  void bareColumnNamesAreLowerCasedAndBackquotedNamesMatchCaseInsensitively()
      throws ConditionException {
    Condition c = Condition.parse("A = 3 AND `D` < 0 AND `Mixed_Case` IS NULL AND `not` = 1");
    assertThat(c.columns()).containsExactly("a", "d", "mixed_case", "not");
    Map<String, Long> row = row();
    row.put("mixed_case", null);
    row.put("not", 1L);
    assertThat(c.matches(row)).isTrue();
  }

  @Test
  void aColumnMayBeNamedPowWhenNotCalledAsAFunction() throws ConditionException {
    Condition c = Condition.parse("pow = 2 AND pow(pow, 2) = 4");
    assertThat(c.columns()).containsExactly("pow");
    assertThat(c.matches(Map.of("pow", 2L))).isTrue();
  }

  @Test
  void keywordsNeedNoSpaceAfterANumberAndWhiteSpaceIsCIsspace() throws ConditionException {
    assertThat(eval("1or 0")).isEqualTo(1L);
    assertThat(eval("7div 2")).isEqualTo(3L);
    assertThat(eval("\ta\n=\r3\u000b\f")).isEqualTo(1L);
  }

  @Test
  void textAndColumnsAreReportedAsWritten() throws ConditionException {
    Condition c = Condition.parse("prio = 0 and Kind > prio");
    assertThat(c.text()).isEqualTo("prio = 0 and Kind > prio");
    assertThat(c.toString()).isEqualTo("prio = 0 and Kind > prio");
    assertThat(c.columns()).containsExactly("prio", "kind");
    assertThat(Condition.parse("1 + 2").columns()).isEmpty();
  }

  @Test
  void evaluatingWithoutAValueForAReferencedColumnIsAnError() throws ConditionException {
    Condition c = Condition.parse("a = 1 OR zz = 2");
    assertThatThrownBy(() -> c.evaluate(Map.of("a", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'zz'");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("v<>1", 1, "expected an operator or the end of the condition but found '<>'"),
        arguments("v<>1", 1, "use '!='"),
        arguments("v='a'", 2, "expected an operand (column, integer, NULL, pow(a, b) or '(')"),
        arguments("v='a'", 2, "string literals are not supported"),
        arguments("v IN (1)", 2, "found 'IN' (Q4M conditions have no IN, BETWEEN, LIKE"),
        arguments("v BETWEEN 1 AND 2", 2, "found 'BETWEEN'"),
        arguments("v LIKE 1", 2, "found 'LIKE'"),
        arguments(
            "v=",
            2,
            "expected an operand (column, integer, NULL, pow(a, b) or '(') but"
                + " found the end of the condition"),
        arguments("(v=1", 4, "expected an operator or ')' but found the end of the condition"),
        arguments("(v = 1))", 7, "expected an operator or the end of the condition but found ')'"),
        arguments("v=1.5", 3, "found '.' (only integers are supported)"),
        arguments("foo(v)", 3, "found '(' (the only function is pow(a, b)"),
        arguments("pow (2, 3)", 4, "found '('"),
        arguments("pow(1)", 5, "expected an operator or ',' but found ')'"),
        arguments("v !1", 2, "found '!' (Q4M has no '!' operator"),
        arguments("", 0, "expected an operand"),
        arguments("   ", 3, "found the end of the condition"),
        arguments("019", 2, "digit '9' in octal literal '019'"),
        arguments("v = 0779", 7, "digit '9' in octal literal '0779'"),
        arguments("v DIV 2", 2, "found 'DIV' (div and mod must be written in lowercase)"),
        arguments("v = TRUE", 4, "found 'TRUE' (TRUE and FALSE may only follow IS)"),
        arguments("NOT NOT v", 4, "found 'NOT' (NOT applies to a whole comparison"),
        arguments("v = NOT 1", 4, "found 'NOT'"),
        arguments("v == 1", 3, "expected an operand"),
        arguments("v <=> 1", 4, "expected an operand"),
        arguments("v IS 1", 5, "expected TRUE, FALSE, NULL or NOT after IS but found '1'"),
        arguments("v IS NOT 1", 9, "expected TRUE, FALSE or NULL after IS NOT"),
        arguments("v = 99999999999999999999", 4, "integer literal '99999999999999999999' is out"),
        arguments("v = 9223372036854775808", 4, "out of range"),
        arguments("v = 0x8000000000000000", 4, "out of range"),
        arguments("v = 0X1F", 5, "found 'X1F'"),
        arguments("1e5", 1, "found 'e5'"),
        arguments("`v", 0, "expected a closing '`'"),
        arguments("`` = 1", 0, "expected a column name between '`' and '`'"),
        arguments("`a\\b` = 1", 2, "backslash escapes are not supported"),
        arguments("v = 1 and", 9, "expected an operand"),
        arguments("and = 1", 0, "found 'and' (reserved word; backquote a column"),
        arguments("v = -", 5, "expected an operand"),
        arguments("v = 1; DROP TABLE t", 5, "found ';'"),
        arguments("v = 1 # comment", 6, "found '#'"));
  }

  @ParameterizedTest(name = "[{0}] at {1}: {2}")
  @MethodSource("invalid")
  void invalidConditionsAreRejectedWithPositionAndExpectation(
      String text, int position, String fragment) {
    ConditionException e =
        catchThrowableOfType(() -> Condition.parse(text), ConditionException.class);
    assertThat(e).as("parse(%s) must fail", text).isNotNull();
    assertThat(e.position()).isEqualTo(position);
    assertThat(e.getMessage())
        .startsWith("invalid Q4M condition '" + text + "' at position " + position + ": ")
        .contains(fragment);
  }

  @Test
  void messageReadsAsConditionPositionExpectationAndFoundToken() {
    ConditionException e =
        catchThrowableOfType(() -> Condition.parse("v<>1"), ConditionException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid Q4M condition 'v<>1' at position 1: expected an operator or the end of the"
                + " condition but found '<>' (Q4M has no '<>'; use '!=')");
  }

  @Test
  void deepNestingAndHugeConditionsAreRejectedInsteadOfOverflowingTheStack() {
    String deep = "(".repeat(101) + "1" + ")".repeat(101);
    assertThatThrownBy(() -> Condition.parse(deep)).hasMessageContaining("nests too deeply");
    String longChain = "a = 1" + " or a = 1".repeat(400);
    assertThatThrownBy(() -> Condition.parse(longChain)).hasMessageContaining("too long");
  }

  @Test
  void hundredLevelsOfParenthesesAreAccepted() throws ConditionException {
    assertThat(eval("(".repeat(100) + "a" + ")".repeat(100))).isEqualTo(3L);
  }

  // ---- SQL translation (string level; ConditionSqlIT checks the semantics on a real server) ----

  private static String backquote(String name) {
    return "`" + name + "`";
  }

  @Test
  void topLevelComparisonsStayPlainIndexFriendlySql() throws ConditionException {
    assertThat(Condition.parse("prio=0").toSql(ConditionTest::backquote)).isEqualTo("(`prio` = 0)");
    assertThat(Condition.parse("prio = 0 AND kind != 2").toSql(ConditionTest::backquote))
        .isEqualTo("((`prio` = 0) AND (`kind` <> 2))");
    assertThat(Condition.parse("prio IS NULL || prio < 3").toSql(ConditionTest::backquote))
        .isEqualTo("((`prio` IS NULL) OR (`prio` < 3))");
  }

  @Test
  void literalsAreReEmittedInDecimal() throws ConditionException {
    String sql = Condition.parse("v = 010 OR v = 0x1F OR v = 09").toSql(ConditionTest::backquote);
    assertThat(sql).contains("= 8)", "= 31)", "= 9)").doesNotContain("010", "0x", "09");
  }

  @Test
  void sqlContainsNothingFromTheInputButColumnSqlOutputAndNumbers() throws ConditionException {
    List<String> asked = new ArrayList<>();
    String sql =
        Condition.parse("`Weird Name` = 0x10 AND NOT (Other AND 1) AND pow(v, 2) > -v")
            .toSql(
                name -> {
                  asked.add(name);
                  return "c" + asked.size();
                });
    assertThat(asked).containsExactly("weird name", "other", "v", "v");
    assertThat(sql).doesNotContain("Weird", "weird", "Other", "other", "0x10", "`");
    assertThat(sql).contains("c1", "c2", "c3", "c4", "16");
  }

  @Test
  void columnSqlRejectionPropagatesUnchanged() throws ConditionException {
    ConditionException unknown = new ConditionException(-1, "no integer column 'zz' in q");
    Condition c = Condition.parse("a = 1 AND zz = 2");
    ConditionException thrown =
        catchThrowableOfType(
            () ->
                c.toSql(
                    name -> {
                      if (name.equals("zz")) {
                        throw unknown;
                      }
                      return backquote(name);
                    }),
            ConditionException.class);
    assertThat(thrown).isSameAs(unknown);
    assertThat(thrown.position()).isEqualTo(-1);
  }

  @Test
  void nonBooleanTopLevelValuesAreComparedWithZero() throws ConditionException {
    assertThat(Condition.parse("v").toSql(ConditionTest::backquote)).isEqualTo("(`v` <> 0)");
    assertThat(Condition.parse("v % 2").toSql(ConditionTest::backquote))
        .isEqualTo("(MOD(`v`, NULLIF(2, 0)) <> 0)");
  }

  @Test
  void q4mNotIsNeverEmittedAsSqlNotBecauseMariaDbFoldsDoubleNot() throws ConditionException {
    String sql = Condition.parse("10 div (NOT (NOT a)) = 10").toSql(ConditionTest::backquote);
    assertThat(sql).doesNotContain("NOT").contains("((`a` = 0) = 0)");
  }

  @Test
  void nestedAndStaysLinearInSqlSize() throws ConditionException {
    String inner = "a";
    for (int i = 0; i < 30; i++) {
      inner = "NOT (" + inner + " AND b" + i + ")";
    }
    String sql = Condition.parse(inner).toSql(ConditionTest::backquote);
    assertThat(sql.length()).isLessThan(5_000);
  }

  @Test
  void deeplyNestedPowIsRefusedRatherThanProducingHugeSql() throws ConditionException {
    assertThat(Condition.parse("pow(pow(a, 2), 2) = 16").toSql(ConditionTest::backquote))
        .contains("POW(");
    Condition nested = Condition.parse("pow(pow(pow(pow(pow(pow(a, 2), 2), 2), 2), 2), 2) = 1");
    ConditionException e =
        catchThrowableOfType(
            () -> nested.toSql(ConditionTest::backquote), ConditionException.class);
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("pow() operands too large to translate to SQL");
    assertThat(e.position()).isBetween(0, 30);
  }
}
