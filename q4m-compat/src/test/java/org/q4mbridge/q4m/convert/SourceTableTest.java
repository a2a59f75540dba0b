package org.q4mbridge.q4m.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionException.TableState;
import org.q4mbridge.q4m.convert.SourceTable.ColumnInfo;

class SourceTableTest {
  static final TableRef JOBS = new TableRef("app", "jobs");

  /** Verbatim from MariaDB 10.11's SHOW CREATE TABLE. */
  static final String JOBS_CREATE =
      """
      CREATE TABLE `jobs` (
        `job_type` varchar(32) NOT NULL,
        `payload` mediumtext DEFAULT NULL,
        `created_at` datetime(3) DEFAULT current_timestamp(3),
        `n` int(10) unsigned DEFAULT NULL,
        `note` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT 'it''s' COMMENT 'a "c"',
        `g` int(11) GENERATED ALWAYS AS (`n` + 1) VIRTUAL
      ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='queue'""";

  static final List<ColumnInfo> JOBS_COLUMNS =
      List.of(
          new ColumnInfo("job_type", false, false, ""),
          new ColumnInfo("payload", true, false, ""),
          new ColumnInfo("created_at", true, false, ""),
          new ColumnInfo("n", true, false, ""),
          new ColumnInfo("note", true, false, ""),
          new ColumnInfo("g", true, true, "VIRTUAL GENERATED"));

  static final String KEYED_CREATE =
      """
      CREATE TABLE `keyed` (
        `id` bigint(20) NOT NULL,
        `k2` varchar(5) NOT NULL,
        `v` text DEFAULT NULL,
        PRIMARY KEY (`id`,`k2`),
        UNIQUE KEY `u` (`v`(10)),
        KEY `kk` (`k2`),
        CONSTRAINT `chk` CHECK (`id` > 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci""";

  static final List<ColumnInfo> KEYED_COLUMNS =
      List.of(
          new ColumnInfo("id", false, false, ""),
          new ColumnInfo("k2", false, false, ""),
          new ColumnInfo("v", true, false, ""));

  static SourceTable jobs() throws ConversionException {
    return SourceTable.parse(
        JOBS, "MyISAM", JOBS_CREATE, JOBS_COLUMNS, "utf8mb4", "utf8mb4_general_ci", "queue");
  }

  static SourceTable keyed() throws ConversionException {
    return SourceTable.parse(
        new TableRef("app", "keyed"),
        "InnoDB",
        KEYED_CREATE,
        KEYED_COLUMNS,
        "utf8mb4",
        "utf8mb4_general_ci",
        "");
  }

  @Test
  void columnDefinitionsAreKeptExactlyAsTheServerPrintsThem() throws Exception {
    SourceTable t = jobs();

    assertThat(t.columns())
        .extracting(SourceTable.Column::name)
        .containsExactly("job_type", "payload", "created_at", "n", "note", "g");
    assertThat(t.column("created_at").definition())
        .isEqualTo("datetime(3) DEFAULT current_timestamp(3)");
    assertThat(t.column("note").definition())
        .isEqualTo(
            "varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT 'it''s'"
                + " COMMENT 'a \"c\"'");
  }

  @Test
  void generatedColumnsAreDeclaredButNotCopied() throws Exception {
    SourceTable t = jobs();

    assertThat(t.column("g").generated()).isTrue();
    assertThat(t.copiedColumns()).containsExactly("job_type", "payload", "created_at", "n", "note");
  }

  @Test
  void keylessTableIsCopiedInScanOrder() throws Exception {
    assertThat(jobs().orderKey()).isEmpty();
    assertThat(jobs().otherDefinitions()).isEmpty();
  }

  @Test
  void primaryKeyOrdersTheCopyAndBecomesAUniqueKey() throws Exception {
    SourceTable t = keyed();

    assertThat(t.orderKey()).containsExactly("id", "k2");
    assertThat(t.otherDefinitions())
        .containsExactly(
            "UNIQUE KEY `q4m_source_primary` (`id`,`k2`)",
            "UNIQUE KEY `u` (`v`(10))",
            "KEY `kk` (`k2`)",
            "CONSTRAINT `chk` CHECK (`id` > 0)");
  }

  @Test
  void innodbWithoutPrimaryKeyIsOrderedByItsClusteringUniqueKey() throws Exception {
    String create =
        """
        CREATE TABLE `q` (
          `seq` int(11) NOT NULL,
          `v` int(11) DEFAULT NULL,
          UNIQUE KEY `by_v` (`v`),
          UNIQUE KEY `by_seq` (`seq`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci""";
    List<ColumnInfo> cols =
        List.of(new ColumnInfo("seq", false, false, ""), new ColumnInfo("v", true, false, ""));

    SourceTable t =
        SourceTable.parse(new TableRef("app", "q"), "InnoDB", create, cols, "utf8mb4", null, "");

    // by_v allows NULL, so InnoDB clusters by by_seq.
    assertThat(t.orderKey()).containsExactly("seq");
  }

  @Test
  void foreignKeysAreRefusedWithTheReason() {
    String create =
        """
        CREATE TABLE `jobs` (
          `user_id` int(11) NOT NULL,
          KEY `fk` (`user_id`),
          CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

    assertThatThrownBy(
            () ->
                SourceTable.parse(
                    JOBS,
                    "InnoDB",
                    create,
                    List.of(new ColumnInfo("user_id", false, false, "")),
                    "utf8mb4",
                    null,
                    ""))
        .isInstanceOfSatisfying(
            ConversionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.INVALID);
              assertThat(e.state()).isEqualTo(TableState.NOT_STARTED);
            })
        .hasMessageContaining("app.jobs")
        .hasMessageContaining("foreign key");
  }

  @Test
  void partitionedTablesAreRefused() {
    String create =
        """
        CREATE TABLE `jobs` (
          `n` int(11) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
         PARTITION BY HASH (`n`)
        PARTITIONS 4""";

    assertThatThrownBy(
            () ->
                SourceTable.parse(
                    JOBS,
                    "InnoDB",
                    create,
                    List.of(new ColumnInfo("n", false, false, "")),
                    "utf8mb4",
                    null,
                    ""))
        .hasMessageContaining("partitioned");
  }

  @Test
  void columnNamesThatCannotBeQuotedSafelyAreRefused() {
    String create =
        """
        CREATE TABLE `jobs` (
          `job type` int(11) NOT NULL
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4""";

    assertThatThrownBy(
            () ->
                SourceTable.parse(
                    JOBS,
                    "MyISAM",
                    create,
                    List.of(new ColumnInfo("job type", false, false, "")),
                    "utf8mb4",
                    null,
                    ""))
        .hasMessageContaining("'job type'")
        .hasMessageContaining("rename it");
  }

  @Test
  void ansiQuotedDefinitionsAreRead() throws Exception {
    String create =
        """
        CREATE TABLE "jobs" (
          "job_type" varchar(32) NOT NULL,
          "n" int(11) DEFAULT NULL
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4""";

    SourceTable t =
        SourceTable.parse(
            JOBS,
            "MyISAM",
            create,
            List.of(
                new ColumnInfo("job_type", false, false, ""), new ColumnInfo("n", true, false, "")),
            "utf8mb4",
            null,
            "");

    assertThat(t.copiedColumns()).containsExactly("job_type", "n");
  }

  @Test
  void aDefinitionThatDisagreesWithInformationSchemaIsRefused() {
    assertThatThrownBy(
            () ->
                SourceTable.parse(
                    JOBS, "MyISAM", JOBS_CREATE, JOBS_COLUMNS.subList(0, 3), "utf8mb4", null, ""))
        .hasMessageContaining("INFORMATION_SCHEMA");
  }
}
