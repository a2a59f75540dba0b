package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {

  @Test
  void multiStatementTextSplitsAtSemicolonsOutsideStringsAndComments() {
    assertThat(
            SqlText.split(
                "INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`); # x;y\n"
                    + "SELECT queue_wait('t', 1) /* ; */; -- z;\nSELECT * FROM t;"))
        .containsExactly(
            "INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)",
            "# x;y\nSELECT queue_wait('t', 1) /* ; */",
            "-- z;\nSELECT * FROM t");
  }

  @Test
  void escapedQuotesDoNotEndAString() {
    assertThat(SqlText.split("SELECT 'it\\'s;', 'a''b;'; SELECT 2"))
        .containsExactly("SELECT 'it\\'s;', 'a''b;'", "SELECT 2");
  }

  @Test
  void aSingleStatementComesBackUnchangedWithItsSemicolon() {
    assertThat(SqlText.split("SELECT 1;")).containsExactly("SELECT 1;");
    assertThat(SqlText.split("SELECT 1; -- done")).containsExactly("SELECT 1; -- done");
    assertThat(SqlText.split("SELECT ';'")).containsExactly("SELECT ';'");
  }

  @Test
  void storedProgramBodiesAreNeverSplit() {
    String proc = "CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN SELECT 1; SELECT queue_end(); END";
    assertThat(SqlText.split(proc)).containsExactly(proc);
    String trigger =
        "create trigger tr after insert on a for each row begin insert into q values (1); end";
    assertThat(SqlText.split(trigger)).containsExactly(trigger);
    String block = "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END";
    assertThat(SqlText.split(block)).containsExactly(block);
  }

  @Test
  void killOfAConnectionOrItsQueryIsRecognised() {
    assertThat(SqlText.kill("KILL 12")).isEqualTo(new SqlText.Kill(false, 12));
    assertThat(SqlText.kill("kill connection 7;")).isEqualTo(new SqlText.Kill(false, 7));
    assertThat(SqlText.kill(" KILL QUERY 99 ")).isEqualTo(new SqlText.Kill(true, 99));
    assertThat(SqlText.kill("KILL HARD QUERY 3")).isEqualTo(new SqlText.Kill(true, 3));
    assertThat(SqlText.kill("KILL USER bob")).isNull();
    assertThat(SqlText.kill("SELECT 'KILL 1'")).isNull();
  }

  @Test
  void plainCommitAndRollbackAreRecognisedOthersPassThrough() {
    assertThat(SqlText.transactionEnd("COMMIT")).isEqualTo("commit");
    assertThat(SqlText.transactionEnd("commit work;")).isEqualTo("commit");
    assertThat(SqlText.transactionEnd(" ROLLBACK ")).isEqualTo("rollback");
    assertThat(SqlText.transactionEnd("ROLLBACK TO SAVEPOINT s")).isNull();
    assertThat(SqlText.transactionEnd("COMMIT AND CHAIN")).isNull();
  }

  @Test
  void setAutocommitOnItsOwnIsRecognised() {
    assertThat(SqlText.setAutocommit("SET autocommit=0")).isFalse();
    assertThat(SqlText.setAutocommit("set AUTOCOMMIT = 1;")).isTrue();
    assertThat(SqlText.setAutocommit("SET SESSION autocommit = OFF")).isFalse();
    assertThat(SqlText.setAutocommit("SET @@session.autocommit=ON")).isTrue();
    assertThat(SqlText.setAutocommit("SET autocommit=0, sql_mode=''")).isNull();
    assertThat(SqlText.setAutocommit("SET @autocommit=0")).isNull();
  }

  @Test
  void queueFunctionCallsAreFoundForTheStatistics() {
    assertThat(SqlText.queueFunctions("SELECT * FROM jobs WHERE queue_wait('jobs', 10)"))
        .containsExactly("queue_wait");
    assertThat(SqlText.queueFunctions("SELECT QUEUE_END()")).containsExactly("queue_end");
    assertThat(SqlText.queueFunctions("SELECT * FROM queue_items")).isEmpty();
  }

  @Test
  void setStatementsThatMayChangeTheResultCharsetAreNoticed() {
    assertThat(SqlText.mayChangeCharset("SET NAMES latin1")).isTrue();
    assertThat(SqlText.mayChangeCharset("set character set sjis")).isTrue();
    assertThat(SqlText.mayChangeCharset("SET SESSION character_set_results = NULL")).isTrue();
    assertThat(SqlText.mayChangeCharset("SET autocommit=0")).isFalse();
    assertThat(SqlText.mayChangeCharset("SELECT 'SET NAMES x'")).isFalse();
  }
}
