package org.q4mbridge.q4m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowCodecTest {

  @Test
  void rowsSurviveTheRoundTripIncludingNullsBinaryAndMultibyteText() {
    List<QueueColumn> cols =
        List.of(
            new QueueColumn("id", Types.BIGINT, "BIGINT"),
            new QueueColumn("payload", Types.LONGVARCHAR, "TEXT"),
            new QueueColumn("blob", Types.LONGVARBINARY, "BLOB"),
            new QueueColumn("price", Types.DECIMAL, "DECIMAL(10,2)"),
            new QueueColumn("note", Types.VARCHAR, "VARCHAR(10)"));
    QueueRow row =
        new QueueRow(
            new TableRef("app", "jobs"),
            7,
            0,
            cols,
            Arrays.asList(
                42L,
                "{\"a\":\"日本語\"}",
                new byte[] {0, 1, (byte) 0xff},
                new BigDecimal("12.30"),
                null));
    List<RowCodec.Column> back = RowCodec.decode(RowCodec.encode(row));
    assertThat(back)
        .extracting(RowCodec.Column::name)
        .containsExactly("id", "payload", "blob", "price", "note");
    assertThat(back.get(0).value()).isEqualTo(BigInteger.valueOf(42));
    assertThat(back.get(1).value()).isEqualTo("{\"a\":\"日本語\"}");
    assertThat((byte[]) back.get(2).value()).containsExactly(0, 1, 0xff);
    assertThat(back.get(3).value()).isEqualTo(new BigDecimal("12.30"));
    assertThat(back.get(4).value()).isNull();
  }

  @Test
  void garbageIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> RowCodec.decode("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stored row is not valid row JSON");
  }
}
