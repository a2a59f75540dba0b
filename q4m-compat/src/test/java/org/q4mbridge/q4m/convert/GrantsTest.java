package org.q4mbridge.q4m.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrantsTest {
  static final Map<String, List<String>> NEEDED =
      Map.of("jobs", List.of("SELECT", "INSERT", "CREATE", "DROP", "ALTER"));

  @Test
  void allPrivilegesOnEverythingCoversTheConversion() {
    Grants g =
        Grants.parse(
            List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`127.0.0.1` WITH GRANT OPTION"));

    assertThat(g.missing("app", NEEDED, List.of("LOCK TABLES"))).isEmpty();
  }

  @Test
  void selectAndInsertOnlyLackCreateDropAlterAndLockTables() {
    Grants g =
        Grants.parse(
            List.of(
                "GRANT USAGE ON *.* TO `conv_1`@`%`",
                "GRANT SELECT, INSERT ON `app`.* TO `conv_1`@`%`"));

    assertThat(g.missing("app", NEEDED, List.of("LOCK TABLES")))
        .containsExactly("CREATE", "DROP", "ALTER", "LOCK TABLES");
  }

  @Test
  void grantsOfTheEnabledRoleAndOfPublicCount() {
    Grants g =
        Grants.parse(
            List.of(
                "GRANT `conv_r` TO `conv_1`@`%`",
                "GRANT USAGE ON *.* TO `conv_1`@`%`",
                "GRANT SELECT, INSERT ON `app`.* TO `conv_1`@`%`",
                "GRANT CREATE, ALTER, LOCK TABLES ON `app`.* TO `conv_r`",
                "GRANT DROP ON `app`.* TO PUBLIC",
                "SET DEFAULT ROLE `conv_r` FOR `conv_1`@`%`"));

    assertThat(g.missing("app", NEEDED, List.of("LOCK TABLES"))).isEmpty();
  }

  @Test
  void databaseWildcardsMatchAndEscapedUnderscoresAreLiteral() {
    Grants g = Grants.parse(List.of("GRANT ALL PRIVILEGES ON `it\\_conv%`.* TO `u`@`%`"));

    assertThat(g.has("CREATE", "it_conv_123", "jobs")).isTrue();
    assertThat(g.has("CREATE", "itXconv_123", "jobs")).isFalse();
    assertThat(g.has("CREATE", "other", "jobs")).isFalse();
  }

  @Test
  void columnLevelGrantsDoNotCoverTheTable() {
    Grants g = Grants.parse(List.of("GRANT SELECT (`a`), UPDATE ON `app`.`jobs` TO `u`@`%`"));

    assertThat(g.has("SELECT", "app", "jobs")).isFalse();
    assertThat(g.has("UPDATE", "app", "jobs")).isTrue();
    assertThat(g.has("UPDATE", "app", "other")).isFalse();
  }

  @Test
  void tableLevelGrantsCountForThatTableOnly() {
    Grants g = Grants.parse(List.of("GRANT ALTER, DROP ON `app`.`jobs` TO `u`@`%`"));

    assertThat(g.has("ALTER", "app", "jobs")).isTrue();
    assertThat(g.has("ALTER", "app", "jobs__q4m_new")).isFalse();
    assertThat(g.has("LOCK TABLES", "app", null)).isFalse();
  }

  @Test
  void routineAndProxyGrantsAreIgnored() {
    Grants g =
        Grants.parse(
            List.of(
                "GRANT EXECUTE ON PROCEDURE `app`.`p` TO `u`@`%`",
                "GRANT PROXY ON ''@'%' TO 'u'@'%'"));

    assertThat(g.has("EXECUTE", "app", "p")).isFalse();
  }
}
