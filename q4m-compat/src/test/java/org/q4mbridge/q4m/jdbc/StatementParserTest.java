package org.q4mbridge.q4m.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.jdbc.SqlLexer.Kind;
import org.q4mbridge.q4m.jdbc.SqlLexer.Token;
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

class StatementParserTest {

  @Test
  void twoStatementFormCallIsRecognisedWithMysqlsColumnLabel() {
    FunctionCall call = (FunctionCall) StatementParser.parse("SELECT queue_wait('t', 10)");
    assertThat(call.function()).isEqualTo("queue_wait");
    assertThat(call.args()).containsExactly(new Literal("t"), new Literal(10L));
    assertThat(call.label()).isEqualTo("queue_wait('t', 10)");
  }

  @Test
  void callsAcceptDoubleQuotedStringsAnyCaseAnAliasAndATrailingSemicolon() {
    FunctionCall call =
        (FunctionCall) StatementParser.parse("select QUEUE_WAIT(\"db.t:v>3\", 't2', 5) as r;");
    assertThat(call.function()).isEqualTo("queue_wait");
    assertThat(call.args())
        .containsExactly(new Literal("db.t:v>3"), new Literal("t2"), new Literal(5L));
    assertThat(call.label()).isEqualTo("r");
  }

  @Test
  void callArgumentsMayBeParametersNegativeNumbersAndNull() {
    FunctionCall wait = (FunctionCall) StatementParser.parse("SELECT queue_wait(?, ?)");
    assertThat(wait.args()).containsExactly(new Param(1), new Param(2));
    FunctionCall srcid =
        (FunctionCall) StatementParser.parse("SELECT queue_set_srcid(-1, 'a', NULL) FROM DUAL");
    assertThat(srcid.args()).containsExactly(new Literal(-1L), new Literal("a"), new Literal(null));
  }

  @Test
  void commentsAroundACallAreIgnored() {
    assertThat(StatementParser.parse("/* worker */ SELECT queue_end() -- done\n"))
        .isInstanceOf(FunctionCall.class);
  }

  @Test
  void callsMixedIntoOtherExpressionsAreRefusedWithAnExplanation() {
    assertThat(StatementParser.parse("SELECT queue_wait('t') + 1")).isInstanceOf(Unsupported.class);
    assertThat(StatementParser.parse("SELECT * FROM t WHERE queue_wait('t', 1) AND v = 1"))
        .isInstanceOf(Unsupported.class);
    assertThat(StatementParser.parse("SELECT queue_end(); SELECT 1"))
        .isInstanceOf(Unsupported.class);
    Unsupported u = (Unsupported) StatementParser.parse("INSERT INTO x SELECT queue_rowid()");
    assertThat(u.reason()).contains("queue_rowid()").contains("statement of its own");
  }

  @Test
  void callTextInsideAStringIsNotACall() {
    Select s = (Select) StatementParser.parse("SELECT 'queue_wait(' FROM t");
    assertThat(s.tables()).extracting(TableName::table).containsExactly("t");
  }

  @Test
  void oldWhereFormIsRecognisedWithTheRangeToDrop() {
    String sql = "SELECT ?, v FROM t WHERE queue_wait('t', ?)";
    Select s = (Select) StatementParser.parse(sql);
    assertThat(s.whereWait().args()).containsExactly(new Literal("t"), new Param(2));
    assertThat(s.paramsBeforeWhere()).isEqualTo(1);
    assertThat(sql.substring(0, s.whereStart()) + sql.substring(s.whereEnd()))
        .isEqualTo("SELECT ?, v FROM t ");
  }

  @Test
  void everyTableOfJoinsCommaListsAndSubqueriesIsFoundWithItsExactTextRange() {
    String sql =
        "SELECT a.v, b.w, EXTRACT(YEAR FROM NOW()) FROM db1.t AS a JOIN t2 b ON a.v = b.v, `t3`"
            + " WHERE EXISTS (SELECT 1 FROM t4) AND a.v IN (SELECT v FROM (SELECT v FROM t5) x)";
    Select s = (Select) StatementParser.parse(sql);
    assertThat(s.tables())
        .extracting(TableName::schema, TableName::table, TableName::aliased)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db1", "t", true),
            org.assertj.core.groups.Tuple.tuple(null, "t2", true),
            org.assertj.core.groups.Tuple.tuple(null, "t3", false),
            org.assertj.core.groups.Tuple.tuple(null, "t4", false),
            org.assertj.core.groups.Tuple.tuple(null, "t5", false));
    TableName first = s.tables().get(0);
    assertThat(sql.substring(first.start(), first.end())).isEqualTo("db1.t");
    TableName quoted = s.tables().get(2);
    assertThat(sql.substring(quoted.start(), quoted.end())).isEqualTo("`t3`");
  }

  @Test
  void statementsTheShimWouldHaveToSecondGuessPassThrough() {
    for (String sql :
        List.of(
            "SELECT * FROM t FOR UPDATE",
            "SELECT * FROM t LOCK IN SHARE MODE",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "SELECT * FROM t USE INDEX (i)",
            "SELECT v INTO @v FROM t",
            "/*!40101 SELECT * FROM t */",
            "SELECT 1; SELECT 2",
            "DELETE t FROM t JOIN u ON t.v = u.v",
            "DELETE LOW_PRIORITY FROM t")) {
      assertThat(StatementParser.parse(sql)).as(sql).isInstanceOf(PassThrough.class);
    }
  }

  @Test
  void onlyAPlainCountStarIsQ4msFastCount() {
    assertThat(((Select) StatementParser.parse("SELECT COUNT(*) FROM t")).countStar()).isTrue();
    assertThat(((Select) StatementParser.parse("select count(*) n from db.t;")).countStar())
        .isTrue();
    assertThat(((Select) StatementParser.parse("SELECT COUNT(*) FROM t WHERE v > 1")).countStar())
        .isFalse();
    assertThat(((Select) StatementParser.parse("SELECT COUNT(v) FROM t")).countStar()).isFalse();
  }

  @Test
  void deleteKeepsItsConditionAndOrderLimitTextVerbatim() {
    Delete d = (Delete) StatementParser.parse("DELETE FROM t WHERE v = 2 ORDER BY w LIMIT 1");
    assertThat(d.table().table()).isEqualTo("t");
    assertThat(d.where()).isEqualTo("v = 2");
    assertThat(d.tail()).isEqualTo("ORDER BY w LIMIT 1");
    Delete all = (Delete) StatementParser.parse("delete from db.t");
    assertThat(all.table().schema()).isEqualTo("db");
    assertThat(all.where()).isNull();
    assertThat(all.tail()).isNull();
    Delete limited = (Delete) StatementParser.parse("DELETE FROM t LIMIT 20");
    assertThat(limited.where()).isNull();
    assertThat(limited.tail()).isEqualTo("LIMIT 20");
  }

  @Test
  void insertsNameTheirTable() {
    assertThat(((Insert) StatementParser.parse("INSERT INTO t2 (s, v) VALUES (?, ?)")).table())
        .extracting(TableName::schema, TableName::table)
        .containsExactly(null, "t2");
    assertThat(((Insert) StatementParser.parse("insert ignore db.t values (1)")).table())
        .extracting(TableName::schema, TableName::table)
        .containsExactly("db", "t");
  }

  @Test
  void ddlAndUseAreFlaggedSoCachedAnswersAreRefreshed() {
    assertThat(((PassThrough) StatementParser.parse("alter table t add v3 int")).kind())
        .isEqualTo(PassKind.DDL);
    assertThat(StatementParser.parse("USE other")).isEqualTo(new PassThrough(PassKind.USE));
    assertThat(StatementParser.parse("SET autocommit = 0"))
        .isEqualTo(new PassThrough(PassKind.OTHER));
  }

  @Test
  void ddlNamesTheTablesItWouldLock() {
    assertThat(ddlTables("TRUNCATE t")).containsExactly("t");
    assertThat(ddlTables("truncate table db.t")).containsExactly("db.t");
    assertThat(ddlTables("DROP TABLE IF EXISTS t, `t2`")).containsExactly("t", "t2");
    assertThat(ddlTables("ALTER ONLINE TABLE t ADD v3 INT")).containsExactly("t");
    assertThat(ddlTables("RENAME TABLE t TO old_t, t2 TO t"))
        .containsExactly("t", "old_t", "t2", "t");
    assertThat(ddlTables("OPTIMIZE TABLE t")).containsExactly("t");
    assertThat(ddlTables("CREATE INDEX i ON t (v)")).containsExactly("t");
    assertThat(ddlTables("DROP INDEX i ON db.t")).containsExactly("db.t");
    assertThat(ddlTables("CREATE TABLE n (v INT)")).isEmpty();
    assertThat(ddlTables("DROP DATABASE d")).isEmpty();
  }

  private static List<String> ddlTables(String sql) {
    PassThrough p = (PassThrough) StatementParser.parse(sql);
    assertThat(p.kind()).isEqualTo(PassKind.DDL);
    return p.tables().stream()
        .map(n -> n.schema() == null ? n.table() : n.schema() + "." + n.table())
        .toList();
  }

  @Test
  void lexerUnescapesStringsAndQuotedIdentifiers() {
    List<Token> t = SqlLexer.tokenize("'it''s' 'a\\'b\\n' `we``ird` .5 1e3 0x1F a--b -- c");
    assertThat(t)
        .extracting(Token::kind, Token::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.STRING, "it's"),
            org.assertj.core.groups.Tuple.tuple(Kind.STRING, "a'b\n"),
            org.assertj.core.groups.Tuple.tuple(Kind.QUOTED_ID, "we`ird"),
            org.assertj.core.groups.Tuple.tuple(Kind.NUMBER, ".5"),
            org.assertj.core.groups.Tuple.tuple(Kind.NUMBER, "1e3"),
            org.assertj.core.groups.Tuple.tuple(Kind.NUMBER, "0x1F"),
            org.assertj.core.groups.Tuple.tuple(Kind.WORD, "a"),
            org.assertj.core.groups.Tuple.tuple(Kind.PUNCT, "-"),
            org.assertj.core.groups.Tuple.tuple(Kind.PUNCT, "-"),
            org.assertj.core.groups.Tuple.tuple(Kind.WORD, "b"));
  }

  @Test
  void unterminatedTextIsNotTokenized() {
    assertThat(SqlLexer.tokenize("SELECT 'open")).isNull();
    assertThat(SqlLexer.tokenize("SELECT `open")).isNull();
    assertThat(SqlLexer.tokenize("SELECT /* open")).isNull();
  }

  @Test
  void mysqlConvertsFunctionArgumentsLikeUdfArguments() {
    assertThat(QueueArgs.toInteger("t2")).isZero();
    assertThat(QueueArgs.toInteger(" 10s")).isEqualTo(10L);
    assertThat(QueueArgs.toInteger("-3")).isEqualTo(-3L);
    assertThat(QueueArgs.toInteger(new java.math.BigDecimal("1.5"))).isEqualTo(2L);
    assertThat(QueueArgs.toInteger(null)).isNull();
    assertThat(QueueArgs.toText(7L)).isEqualTo("7");
    assertThat(QueueArgs.fromParameter(5)).isEqualTo(5L);
  }
}
