package org.q4mbridge.q4m.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * {@code mysql_native_password}: the client proves it knows the password by sending {@code
 * SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))}; the server keeps only {@code
 * SHA1(SHA1(password))} (the "stage 2" hash) and checks that the SHA1 of what the token reveals
 * equals it. Thread-safe.
 */
final class NativePassword {
  static final int SCRAMBLE_LENGTH = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private NativePassword() {}

  /**
   * 20 random bytes in 1..127 without NUL, as MySQL servers send (clients read it as a C string).
   */
  static byte[] newScramble() {
    byte[] s = new byte[SCRAMBLE_LENGTH];
    for (int i = 0; i < s.length; i++) {
      s[i] = (byte) (1 + RANDOM.nextInt(127));
    }
    return s;
  }

  /** {@code SHA1(SHA1(password))}; {@code null} for the empty password (no token expected). */
  static byte[] stage2(String password) {
    if (password.isEmpty()) {
      return null;
    }
    return sha1(sha1(password.getBytes(StandardCharsets.UTF_8)));
  }

  /** The token a client sends for {@code password} and {@code scramble}. */
  static byte[] token(String password, byte[] scramble) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    byte[] stage1 = sha1(password.getBytes(StandardCharsets.UTF_8));
    byte[] mix = sha1(scramble, sha1(stage1));
    byte[] out = new byte[stage1.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (stage1[i] ^ mix[i]);
    }
    return out;
  }

  /**
   * True when {@code token} proves the password whose stage-2 hash is {@code stage2}.
   *
   * @param stage2 {@code null} for an account with the empty password
   */
  static boolean verify(byte[] stage2, byte[] scramble, byte[] token) {
    if (stage2 == null) {
      return token.length == 0;
    }
    if (token.length != SCRAMBLE_LENGTH) {
      return false;
    }
    byte[] mix = sha1(scramble, stage2);
    byte[] stage1 = new byte[SCRAMBLE_LENGTH];
    for (int i = 0; i < stage1.length; i++) {
      stage1[i] = (byte) (token[i] ^ mix[i]);
    }
    return MessageDigest.isEqual(sha1(stage1), stage2);
  }

  private static byte[] sha1(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
