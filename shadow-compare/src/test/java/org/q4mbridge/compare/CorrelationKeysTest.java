package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.CorrelationKeys.KeyColumn;
import org.q4mbridge.compare.CorrelationKeys.Kind;

class CorrelationKeysTest {
  private static final List<KeyColumn> GOLDEN_COLUMNS =
      List.of(
          KeyColumn.of("id", "bigint"),
          KeyColumn.of("note", "varchar(50)"),
          KeyColumn.of("price", "decimal(10,2)"),
          KeyColumn.of("raw", "varbinary(8)"),
          KeyColumn.of("gone", "int"));

  @Test
  void goldenVectorMatchesTheDocumentedAlgorithm() {
    // Also in the module README, for PHP and SQL implementers to check against.
    List<Object> values =
        Arrays.asList(42L, "café ✓", new BigDecimal("-12.50"), new byte[] {0, (byte) 0xff}, null);
    assertThat(CorrelationKeys.canonicalForm(GOLDEN_COLUMNS, values))
        .isEqualTo("id=D42\nnote=S9:café ✓\nprice=D-12.5\nraw=B00FF\ngone=N");
    assertThat(CorrelationKeys.of(GOLDEN_COLUMNS, values))
        .isEqualTo("f5b02faf18804fe5825e336f64da224d8b73703290e9fa1c7d9d2d6dc5ce54c7");
  }

  @Test
  void decimalsAreCanonicalWhateverTheirScaleOrSpelling() {
    KeyColumn d = new KeyColumn("d", Kind.DECIMAL);
    assertThat(form(d, new BigDecimal("12.30"))).isEqualTo("d=D12.3");
    assertThat(form(d, new BigDecimal("100.00"))).isEqualTo("d=D100");
    assertThat(form(d, new BigDecimal("-0.00"))).isEqualTo("d=D0");
    assertThat(form(d, new BigDecimal("1E+3"))).isEqualTo("d=D1000");
    assertThat(form(d, "-0012.500")).isEqualTo("d=D-12.5");
    assertThat(form(d, 7)).isEqualTo("d=D7");
  }

  @Test
  void integersAcceptEveryIntegralJdbcType() {
    KeyColumn i = new KeyColumn("i", Kind.INTEGER);
    assertThat(form(i, (byte) -1)).isEqualTo("i=D-1");
    assertThat(form(i, new BigInteger("18446744073709551615")))
        .isEqualTo("i=D18446744073709551615");
    assertThat(form(i, true)).isEqualTo("i=D1");
    assertThat(form(i, "007")).isEqualTo("i=D7");
    assertThatThrownBy(() -> form(i, new BigDecimal("1.5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column i");
  }

  @Test
  void textIsLengthPrefixedInUtf8BytesSoNoValueCanImitateASeparator() {
    KeyColumn a = new KeyColumn("a", Kind.TEXT);
    KeyColumn b = new KeyColumn("b", Kind.TEXT);
    assertThat(form(a, "日本")).isEqualTo("a=S6:日本");
    String tricky = CorrelationKeys.of(List.of(a, b), List.of("x\nb=S1:y", ""));
    String plain = CorrelationKeys.of(List.of(a, b), List.of("x", "y"));
    assertThat(tricky).isNotEqualTo(plain);
  }

  @Test
  void nullDiffersFromEveryValueIncludingEmptyTextAndTheLetterN() {
    KeyColumn t = new KeyColumn("t", Kind.TEXT);
    String ofNull = CorrelationKeys.of(List.of(t), Arrays.asList((Object) null));
    assertThat(ofNull)
        .isNotEqualTo(CorrelationKeys.of(List.of(t), List.of("")))
        .isNotEqualTo(CorrelationKeys.of(List.of(t), List.of("N")));
  }

  @Test
  void temporalValuesUseTheServersTextWithTheFractionTrimmed() {
    KeyColumn t = new KeyColumn("t", Kind.TEMPORAL);
    assertThat(form(t, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000)))
        .isEqualTo("t=S21:2024-01-02 03:04:05.5");
    assertThat(form(t, LocalDateTime.of(2024, 1, 2, 3, 4))).isEqualTo("t=S19:2024-01-02 03:04:00");
    assertThat(form(t, "2024-01-02 03:04:05.000000")).isEqualTo("t=S19:2024-01-02 03:04:05");
    assertThat(form(t, LocalDate.of(2024, 2, 29))).isEqualTo("t=S10:2024-02-29");
    assertThat(form(t, LocalTime.of(10, 0))).isEqualTo("t=S8:10:00:00");
    assertThat(form(t, "-838:59:59.10")).isEqualTo("t=S12:-838:59:59.1");
  }

  @Test
  void timestampsAreInstantsInUnixSeconds() {
    KeyColumn ts = new KeyColumn("ts", Kind.TIMESTAMP);
    assertThat(form(ts, Instant.parse("2024-01-02T03:04:05.120Z"))).isEqualTo("ts=D1704164645.12");
    assertThat(form(ts, java.sql.Timestamp.from(Instant.ofEpochSecond(1)))).isEqualTo("ts=D1");
  }

  @Test
  void approximateTypesAreRefusedWithAWayOut() {
    assertThatThrownBy(() -> KeyColumn.of("price", "double"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("business-key");
    KeyColumn d = new KeyColumn("d", Kind.DECIMAL);
    assertThatThrownBy(() -> form(d, 1.5d)).hasMessageContaining("floating-point");
  }

  @Test
  void columnNamesThatNeedEscapingAreRefused() {
    assertThatThrownBy(() -> new KeyColumn("a\\b", Kind.TEXT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CorrelationKeys.sql(List.of(new KeyColumn("it's", Kind.TEXT)), null))
        .contains("'it''s='")
        .contains("`it's`");
  }

  @Test
  void businessKeysAreTheValueAsText() {
    assertThat(CorrelationKeys.businessKey(new KeyColumn("order_id", Kind.INTEGER), 42L))
        .isEqualTo("42");
    assertThat(CorrelationKeys.businessKey(new KeyColumn("ref", Kind.TEXT), "INV-7"))
        .isEqualTo("INV-7");
    assertThatThrownBy(() -> CorrelationKeys.businessKey(new KeyColumn("ref", Kind.TEXT), null))
        .hasMessageContaining("NULL");
  }

  private static String form(KeyColumn c, Object v) {
    return CorrelationKeys.canonicalForm(List.of(c), Arrays.asList(v));
  }
}
