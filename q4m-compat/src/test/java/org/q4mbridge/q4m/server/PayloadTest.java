package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadTest {

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 250, 251, 252, 65535, 65536, 0xFFFFFF, 0x1000000, Long.MAX_VALUE})
  void lengthEncodedIntegersReadBackAsWritten(long v) throws Exception {
    PayloadWriter w = new PayloadWriter();
    w.lenenc(v);
    PayloadReader r = new PayloadReader(w.toByteArray());
    assertThat(r.lenenc("v")).isEqualTo(v);
    assertThat(r.hasRemaining()).isFalse();
  }

  @Test
  void lengthEncodedIntegersUseTheShortestForm() {
    assertThat(new PayloadWriter().lenenc(250).length()).isEqualTo(1);
    assertThat(new PayloadWriter().lenenc(251).length()).isEqualTo(3);
    assertThat(new PayloadWriter().lenenc(65536).length()).isEqualTo(4);
    assertThat(new PayloadWriter().lenenc(0x1000000).length()).isEqualTo(9);
  }

  @Test
  void nullIsTheFbMarker() throws Exception {
    byte[] b = new PayloadWriter().lenencBytes(null).toByteArray();
    assertThat(b).containsExactly(0xFB);
    assertThat(new PayloadReader(b).lenencBytes("v")).isNull();
  }

  @Test
  void aStringLongerThanThePacketIsMalformedNotAnAllocation() {
    // announces 2^40 bytes in a 9-byte payload
    byte[] b = new PayloadWriter().lenenc(1L << 40).toByteArray();
    assertThatThrownBy(() -> new PayloadReader(b).lenencBytes("value"))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> {
              ProtocolException p = (ProtocolException) e;
              assertThat(p.code()).isEqualTo(Protocol.ER_MALFORMED_PACKET);
              assertThat(p.sqlState()).isEqualTo("08S01");
              assertThat(p.fatal()).isFalse();
            });
  }

  @Test
  void readsPastTheEndAreMalformed() {
    assertThatThrownBy(() -> new PayloadReader(new byte[3]).u32("id"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("id runs past the end");
    assertThatThrownBy(() -> new PayloadReader(new byte[] {'a', 'b'}).nulString("user"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not NUL-terminated");
    assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0xFF}).lenenc("n"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void zerosClearWhatAReusedBufferHeld() {
    PayloadWriter w = new PayloadWriter();
    w.u32(0xFFFFFFFFL);
    w.reset();
    w.zeros(4);
    assertThat(w.toByteArray()).containsExactly(0, 0, 0, 0);
  }

  @Test
  void fixedIntegersAreLittleEndian() throws Exception {
    byte[] b = new PayloadWriter().u16(0x0102).u24(0x030405).u32(0x06070809L).toByteArray();
    assertThat(b).containsExactly(2, 1, 5, 4, 3, 9, 8, 7, 6);
    PayloadReader r = new PayloadReader(b);
    assertThat(r.u16("a")).isEqualTo(0x0102);
    assertThat(r.u24("b")).isEqualTo(0x030405);
    assertThat(r.u32("c")).isEqualTo(0x06070809L);
  }
}
