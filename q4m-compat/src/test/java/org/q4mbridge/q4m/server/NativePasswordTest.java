package org.q4mbridge.q4m.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NativePasswordTest {
  private static final byte[] SCRAMBLE = new byte[20];

  static {
    for (int i = 0; i < 20; i++) {
      SCRAMBLE[i] = (byte) (i + 1);
    }
  }

  @Test
  void theTokenIsSha1OfThePasswordXorSha1OfScrambleAndDoubleSha1() {
    // Computed independently: sha1(pw) XOR sha1(scramble + sha1(sha1(pw))).
    assertThat(HexFormat.of().formatHex(NativePassword.token("secret", SCRAMBLE)))
        .isEqualTo("b32bb3a583e1340c0a1108d58b1be49781ad8c2f");
  }

  @Test
  void theRightPasswordIsAcceptedAndAWrongOneIsNot() {
    byte[] stage2 = NativePassword.stage2("secret");
    assertThat(NativePassword.verify(stage2, SCRAMBLE, NativePassword.token("secret", SCRAMBLE)))
        .isTrue();
    assertThat(NativePassword.verify(stage2, SCRAMBLE, NativePassword.token("Secret", SCRAMBLE)))
        .isFalse();
    assertThat(NativePassword.verify(stage2, SCRAMBLE, new byte[0])).isFalse();
    assertThat(NativePassword.verify(stage2, SCRAMBLE, new byte[7])).isFalse();
  }

  @Test
  void aTokenForAnotherScrambleIsRefused() {
    byte[] other = NativePassword.newScramble();
    assertThat(
            NativePassword.verify(
                NativePassword.stage2("secret"), SCRAMBLE, NativePassword.token("secret", other)))
        .isFalse();
  }

  @Test
  void anAccountWithoutPasswordAcceptsOnlyAnEmptyToken() {
    byte[] stage2 = NativePassword.stage2("");
    assertThat(NativePassword.verify(stage2, SCRAMBLE, new byte[0])).isTrue();
    assertThat(NativePassword.verify(stage2, SCRAMBLE, NativePassword.token("x", SCRAMBLE)))
        .isFalse();
  }

  @Test
  void scramblesHaveNoNulByteBecauseClientsReadThemAsCStrings() {
    for (int i = 0; i < 200; i++) {
      for (byte b : NativePassword.newScramble()) {
        assertThat(b).isBetween((byte) 1, (byte) 127);
      }
    }
  }
}
