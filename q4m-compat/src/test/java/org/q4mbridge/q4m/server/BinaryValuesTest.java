package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinaryValuesTest {

  private static byte[] encode(int type, boolean unsigned, String text) {
    PayloadWriter w = new PayloadWriter();
    BinaryValues.encode(w, type, unsigned, text.getBytes(StandardCharsets.US_ASCII));
    return w.toByteArray();
  }

  @Test
  void datetimesUseTheShortestOfTheFourForms() {
    assertThat(encode(Protocol.TYPE_DATETIME, false, "0000-00-00 00:00:00")).containsExactly(0);
    assertThat(encode(Protocol.TYPE_DATE, false, "2024-01-02"))
        .containsExactly(4, 0xE8, 0x07, 1, 2);
    assertThat(encode(Protocol.TYPE_DATETIME, false, "2024-01-02 03:04:05"))
        .containsExactly(7, 0xE8, 0x07, 1, 2, 3, 4, 5);
    assertThat(encode(Protocol.TYPE_TIMESTAMP, false, "2024-01-02 03:04:05.000120"))
        .containsExactly(11, 0xE8, 0x07, 1, 2, 3, 4, 5, 120, 0, 0, 0);
  }

  @Test
  void timesCarrySignDaysAndMicroseconds() {
    assertThat(encode(Protocol.TYPE_TIME, false, "00:00:00")).containsExactly(0);
    assertThat(encode(Protocol.TYPE_TIME, false, "-12:34:56.789"))
        .containsExactly(12, 1, 0, 0, 0, 0, 12, 34, 56, 0x08, 0x0A, 0x0C, 0);
    assertThat(encode(Protocol.TYPE_TIME, false, "838:59:59"))
        .containsExactly(8, 0, 34, 0, 0, 0, 22, 59, 59);
  }

  @Test
  void integersTakeTheirTypesWidthAndUnsignedBigintsWrap() {
    assertThat(encode(Protocol.TYPE_TINY, false, "-1")).containsExactly(0xFF);
    assertThat(encode(Protocol.TYPE_SHORT, false, "258")).containsExactly(2, 1);
    assertThat(encode(Protocol.TYPE_LONG, false, "7")).containsExactly(7, 0, 0, 0);
    assertThat(encode(Protocol.TYPE_LONGLONG, true, "18446744073709551615"))
        .containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
  }

  @Test
  void floatsAndDoublesAreIeeeLittleEndian() {
    assertThat(encode(Protocol.TYPE_FLOAT, false, "1.25")).containsExactly(0, 0, 0xA0, 0x3F);
    assertThat(encode(Protocol.TYPE_DOUBLE, false, "-2"))
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0xC0);
  }

  @Test
  void decimalsAndStringsStayText() {
    assertThat(encode(Protocol.TYPE_NEWDECIMAL, false, "12.500"))
        .containsExactly(6, '1', '2', '.', '5', '0', '0');
  }

  @Test
  void parametersDecodeToJdbcValues() throws Exception {
    PayloadWriter w = new PayloadWriter();
    w.u8(0xFE); // TINY -2
    w.u64(-1L); // unsigned LONGLONG 2^64-1
    w.u8(11).u16(2024).u8(1).u8(2).u8(3).u8(4).u8(5).u32(6); // DATETIME
    w.u8(8).u8(1).u32(1).u8(2).u8(3).u8(4); // TIME -26:03:04
    w.lenencBytes(new byte[] {(byte) 0xC3, (byte) 0xA9}); // VAR_STRING é in UTF-8
    PayloadReader r = new PayloadReader(w.toByteArray());
    assertThat(BinaryValues.decodeParam(r, Protocol.TYPE_TINY, false)).isEqualTo(-2L);
    assertThat(BinaryValues.decodeParam(r, Protocol.TYPE_LONGLONG, true))
        .isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(BinaryValues.decodeParam(r, Protocol.TYPE_DATETIME, false))
        .isEqualTo("2024-01-02 03:04:05.000006");
    assertThat(BinaryValues.decodeParam(r, Protocol.TYPE_TIME, false)).isEqualTo("-26:03:04");
    // the client's bytes, one char each, so they reach the backend unchanged
    assertThat(BinaryValues.decodeParam(r, Protocol.TYPE_VAR_STRING, false))
        .isEqualTo("\u00C3\u00A9");
  }
}
