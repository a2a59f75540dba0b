package org.q4mbridge.q4m;

import java.util.regex.Pattern;

/**
 * Validation and quoting of SQL identifiers that come from configuration. Every table or column
 * name that reaches a statement built by this project goes through {@link #quote(String)}, so no
 * SQL can be injected through configuration.
 */
public final class Identifiers {
  /** Letters, digits, {@code _} and {@code $}; at most 64 characters, as MySQL allows unquoted. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_$]{1,64}");

  private Identifiers() {}

  /** True when {@code name} is a plain identifier this project accepts. */
  public static boolean isValid(String name) {
    return name != null
        && SAFE.matcher(name).matches()
        && !name.chars().allMatch(Character::isDigit);
  }

  /**
   * Returns {@code name} unchanged when it is valid.
   *
   * @throws IllegalArgumentException naming {@code what} and the rule when it is not
   */
  public static String require(String name, String what) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "' is not a valid identifier: expected 1-64 characters of A-Z, a-z, 0-9, _ or $"
              + " (not all digits)");
    }
    return name;
  }

  /** Backquotes a validated identifier. */
  public static String quote(String name) {
    return '`' + require(name, "identifier") + '`';
  }
}
