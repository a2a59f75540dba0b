package org.q4mbridge.q4m.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionPlan.Action;
import org.q4mbridge.q4m.convert.ConversionPlan.CopyOrder;
import org.q4mbridge.q4m.convert.ConversionPlan.Session;
import org.q4mbridge.q4m.convert.ConversionPlan.Step;

class ConversionPlanTest {
  static final TableRef NEW = new TableRef("app", "jobs__q4m_new");
  static final TableRef OLD = new TableRef("app", "jobs__q4m_old");

  static ConversionPlan jobsPlan(TableConverter.Options options) throws ConversionException {
    return PlanBuilder.build(SourceTableTest.jobs(), NEW, OLD, 10_000, options, List.of());
  }

  static ConversionPlan keyedPlan(TableConverter.Options options) throws ConversionException {
    return PlanBuilder.build(
        SourceTableTest.keyed(),
        new TableRef("app", "keyed__q4m_new"),
        new TableRef("app", "keyed__q4m_old"),
        5,
        options,
        List.of());
  }

  @Test
  void twinKeepsTheColumnsAndAddsTheInvisibleRowIdAsPrimaryKey() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    String create = plan.step(Action.CREATE_TARGET).statements().get(0);
    assertThat(create)
        .isEqualTo(
            """
            CREATE TABLE `app`.`jobs__q4m_new` (
              `job_type` varchar(32) NOT NULL,
              `payload` mediumtext DEFAULT NULL,
              `created_at` datetime(3) DEFAULT current_timestamp(3),
              `n` int(10) unsigned DEFAULT NULL,
              `note` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT 'it''s' \
            COMMENT 'a "c"',
              `g` int(11) GENERATED ALWAYS AS (`n` + 1) VIRTUAL,
              `q4m_rowid` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,
              PRIMARY KEY (`q4m_rowid`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='queue'""");
  }

  @Test
  void keylessSourceIsCopiedInScanOrderThenByPositionUnderTheLock() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    assertThat(plan.copyOrder()).isEqualTo(CopyOrder.SCAN);
    String cols = "`job_type`, `payload`, `created_at`, `n`, `note`";
    assertThat(plan.step(Action.COPY).statements())
        .containsExactly(
            "INSERT INTO `app`.`jobs__q4m_new` ("
                + cols
                + ") SELECT "
                + cols
                + " FROM `app`.`jobs`");
    assertThat(plan.step(Action.COPY_FINAL).statements().get(0))
        .isEqualTo(
            "PREPARE q4m_final FROM 'INSERT INTO `app`.`jobs__q4m_new` ("
                + cols
                + ") SELECT "
                + cols
                + " FROM `app`.`jobs` LIMIT ?, 18446744073709551615'");
    assertThat(plan.step(Action.CHECK_ORDER)).isNotNull();
  }

  @Test
  void stepsRunInTheOrderThatMakesTheSwapSafe() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    assertThat(plan.steps())
        .extracting(Step::action)
        .containsExactly(
            Action.SESSION,
            Action.CREATE_TARGET,
            Action.CREATE_PLACEHOLDER,
            Action.COPY,
            Action.MARK,
            Action.LOCK,
            Action.COPY_FINAL,
            Action.CHECK_COUNT,
            Action.CHECK_CONTENT,
            Action.CHECK_ORDER,
            Action.SWAP,
            Action.DROP_PLACEHOLDER,
            Action.UNLOCK,
            Action.CATCH_UP);
    assertThat(plan.steps())
        .filteredOn(s -> s.session() == Session.SWAP)
        .extracting(Step::action)
        .containsExactly(Action.SWAP);
    assertThat(plan.steps())
        .extracting(Step::number)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
  }

  @Test
  void swapIsOneRenameOfBothTables() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    assertThat(plan.step(Action.SWAP).statements())
        .containsExactly(
            "RENAME TABLE `app`.`jobs` TO `app`.`jobs__q4m_old`,"
                + " `app`.`jobs__q4m_new` TO `app`.`jobs`");
    assertThat(plan.step(Action.LOCK).statements())
        .containsExactly(
            "LOCK TABLES `app`.`jobs` WRITE, `app`.`jobs__q4m_new` WRITE,"
                + " `app`.`jobs__q4m_old` WRITE");
  }

  @Test
  void scriptTerminatesStatementsAndCommentsEveryOtherLine() throws Exception {
    String sql = jobsPlan(TableConverter.Options.defaults()).toSql();

    // Every line is a comment, blank, or part of a statement that ends with ';'.
    StringBuilder statement = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (line.startsWith("--") || (line.isBlank() && statement.length() == 0)) {
        continue;
      }
      statement.append(line).append('\n');
      if (line.endsWith(";")) {
        statement.setLength(0);
      }
    }
    assertThat(statement.toString()).isEmpty();
    assertThat(sql).contains("CREATE TABLE `app`.`jobs__q4m_new` (");
    assertThat(sql).contains("INSERT INTO `app`.`jobs__q4m_new` (");
    assertThat(sql)
        .contains(
            "RENAME TABLE `app`.`jobs` TO `app`.`jobs__q4m_old`, `app`.`jobs__q4m_new` TO"
                + " `app`.`jobs`;");
    assertThat(sql).contains("-- Step 11 [session B]: The swap");
    assertThat(sql).contains("stop every consumer");
  }

  @Test
  void keptOldTableIsOnlySuggestedForDroppingAsAComment() throws Exception {
    String sql = jobsPlan(TableConverter.Options.defaults()).toSql();

    assertThat(sql).contains("\n-- DROP TABLE `app`.`jobs__q4m_old`;\n");
    Matcher drops = Pattern.compile("(?m)^DROP TABLE `app`.`jobs__q4m_old`;$").matcher(sql);
    int count = 0;
    while (drops.find()) {
      count++;
    }
    // The only uncommented drop of that name is the placeholder's.
    assertThat(count).isEqualTo(1);
  }

  @Test
  void keepOldFalseDropsTheOriginalAsTheLastStep() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults().withKeepOld(false));

    Step last = plan.steps().get(plan.steps().size() - 1);
    assertThat(last.action()).isEqualTo(Action.DROP_OLD);
    assertThat(last.statements()).containsExactly("DROP TABLE `app`.`jobs__q4m_old`");
    assertThat(plan.toSql()).doesNotContain("-- DROP TABLE");
  }

  @Test
  void commentsReferToStepsByNumber() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    assertThat(plan.step(Action.CREATE_PLACEHOLDER).comment()).contains("step 12 removes it");
    assertThat(plan.step(Action.LOCK).comment()).contains("until step 13");
    assertThat(plan.steps()).allSatisfy(s -> assertThat(s.comment()).doesNotContain("\n"));
  }

  @Test
  void keyedSourceIsCopiedInKeyOrderAfterAWatermark() throws Exception {
    ConversionPlan plan = keyedPlan(TableConverter.Options.defaults().withBatchRows(1000));

    assertThat(plan.copyOrder()).isEqualTo(CopyOrder.KEY);
    assertThat(plan.orderKey()).containsExactly("id", "k2");
    assertThat(plan.step(Action.COPY).statements())
        .containsExactly(
            "INSERT INTO `app`.`keyed__q4m_new` (`id`, `k2`, `v`) SELECT `id`, `k2`, `v` FROM"
                + " `app`.`keyed` WHERE (@q4m_k1 IS NULL OR `id` > @q4m_k1 OR (`id` = @q4m_k1 AND"
                + " (`k2` > @q4m_k2))) ORDER BY `id`, `k2`",
            "SELECT `id`, `k2` INTO @q4m_k1, @q4m_k2 FROM `app`.`keyed__q4m_new` ORDER BY"
                + " `q4m_rowid` DESC LIMIT 1");
    assertThat(plan.step(Action.COPY).comment()).contains("LIMIT 1000");
    assertThat(plan.step(Action.CHECK_ORDER)).isNull();
    assertThat(plan.step(Action.CREATE_TARGET).statements().get(0))
        .contains("UNIQUE KEY `q4m_source_primary` (`id`,`k2`)")
        .doesNotContain("PRIMARY KEY (`id`");
  }

  @Test
  void contentCheckHashesEveryCopiedColumnOfBothTables() throws Exception {
    ConversionPlan plan = jobsPlan(TableConverter.Options.defaults());

    String hash =
        "CRC32(CONCAT_WS(',', IFNULL(CRC32(CAST(`job_type` AS BINARY)), 'N'),"
            + " IFNULL(CRC32(CAST(`payload` AS BINARY)), 'N'),"
            + " IFNULL(CRC32(CAST(`created_at` AS BINARY)), 'N'),"
            + " IFNULL(CRC32(CAST(`n` AS BINARY)), 'N'),"
            + " IFNULL(CRC32(CAST(`note` AS BINARY)), 'N')))";
    assertThat(plan.step(Action.CHECK_CONTENT).statements())
        .containsExactly(
            "SELECT (SELECT SUM("
                + hash
                + ") FROM `app`.`jobs`) AS source_checksum, (SELECT SUM("
                + hash
                + ") FROM `app`.`jobs__q4m_new`) AS copied_checksum");
  }

  @Test
  void batchesAreRefusedForATableWithoutKey() {
    assertThatThrownBy(() -> jobsPlan(TableConverter.Options.defaults().withBatchRows(500)))
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("batchRows needs a key");
  }

  @Test
  void customRowIdColumnAndLockWaitAppearInTheStatements() throws Exception {
    ConversionPlan plan =
        jobsPlan(
            TableConverter.Options.defaults()
                .withRowIdColumn("qid")
                .withLockWaitTimeout(Duration.ofSeconds(3)));

    assertThat(plan.step(Action.CREATE_TARGET).statements().get(0))
        .contains("`qid` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE")
        .contains("PRIMARY KEY (`qid`)");
    assertThat(plan.step(Action.SESSION).statements())
        .contains("SET SESSION lock_wait_timeout = 3");
  }
}
