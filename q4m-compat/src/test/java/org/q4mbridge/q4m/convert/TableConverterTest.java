package org.q4mbridge.q4m.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableConverterTest {

  @Test
  void defaultsAreRowIdKeepOldOneStatementAndTenSecondLockWait() {
    TableConverter.Options o = TableConverter.Options.defaults();

    assertThat(o.rowIdColumn()).isEqualTo("q4m_rowid");
    assertThat(o.keepOld()).isTrue();
    assertThat(o.batchRows()).isZero();
    assertThat(o.lockWaitTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void invalidOptionsAreRejectedNotAdjusted() {
    TableConverter.Options o = TableConverter.Options.defaults();

    assertThatThrownBy(() -> o.withBatchRows(-1)).hasMessageContaining("batchRows");
    assertThatThrownBy(() -> o.withRowIdColumn("row id")).hasMessageContaining("rowIdColumn");
    assertThatThrownBy(() -> o.withLockWaitTimeout(Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> o.withLockWaitTimeout(Duration.ZERO))
        .hasMessageContaining("lockWaitTimeout");
  }

  @Test
  void grantHintNamesThePrivilegesTheDatabaseAndTheAccount() {
    String hint =
        TableConverter.grantHint(
            new LinkedHashSet<>(List.of("CREATE", "LOCK TABLES")),
            "app",
            TableConverter.account("conv_1@%"));

    assertThat(hint).isEqualTo("GRANT CREATE, LOCK TABLES ON `app`.* TO 'conv_1'@'%'");
  }

  @Test
  void accountWithAQuoteIsEscaped() {
    assertThat(TableConverter.account("o'neil@10.0.0.1")).isEqualTo("'o''neil'@'10.0.0.1'");
  }
}
