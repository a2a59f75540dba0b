package org.q4mbridge.bridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/path}} references inside string values, so
 * secrets stay out of the file. {@code $${} stands for a literal {@code ${}. A value may hold
 * several references and text around them ({@code amqp://bridge:${env:RABBIT_PASSWORD}@host/}).
 */
final class References {
  /** What a reference looks like, for error messages. */
  static final String EXPECTED = "${env:NAME} or ${file:/path}";

  /** A secret file is a password or a key, never large; the cap keeps /dev/zero out. */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, String> env;

  References(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** A resolved value and whether any part of it came from a reference. */
  record Resolved(String value, boolean referenced) {}

  /**
   * Resolves every reference in {@code text}.
   *
   * @throws IllegalArgumentException with a one-line reason (never containing a resolved value)
   */
  Resolved resolve(String text) {
    if (text.indexOf('$') < 0) {
      return new Resolved(text, false);
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean referenced = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException(
              "unterminated reference '"
                  + text.substring(i)
                  + "': expected "
                  + EXPECTED
                  + " (write $${ for a literal ${)");
        }
        out.append(lookUp(text.substring(i + 2, end)));
        referenced = true;
        i = end + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return new Resolved(out.toString(), referenced);
  }

  private String lookUp(String ref) {
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "'${" + ref + "}' does not name an environment variable: expected ${env:NAME}");
      }
      String value = env.apply(name);
      if (value == null) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      return value;
    }
    if (ref.startsWith("file:")) {
      return readFile(ref.substring(5));
    }
    throw new IllegalArgumentException(
        "unknown reference '${"
            + ref
            + "}': expected "
            + EXPECTED
            + " (write $${ for a literal ${)");
  }

  private static String readFile(String name) {
    Path path;
    try {
      path = Path.of(name);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("'" + name + "' is not a valid path for ${file:…}", e);
    }
    if (!path.isAbsolute()) {
      // The daemon's working directory is / under systemd; a relative path would silently mean
      // something else in a shell.
      throw new IllegalArgumentException(
          "secret file '" + name + "' must be an absolute path (${file:/path})");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read secret file " + name + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "cannot read secret file " + name + ": permission denied", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read secret file " + name + ": " + reason(e, path), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          "secret file " + name + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    String content = new String(bytes, StandardCharsets.UTF_8);
    // Editors and `echo` add a final newline that is never part of the secret.
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    if (content.endsWith("\n")) {
      return content.substring(0, content.length() - 1);
    }
    return content;
  }

  private static String reason(IOException e, Path path) {
    if (Files.isDirectory(path)) {
      return "it is a directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
