package org.q4mbridge.bridge.cli;

/**
 * Every exit code of {@code q4m-bridge}, in one place (README "Exit codes" and {@code --help} list
 * them).
 */
public enum ExitCode {
  /** Done; for {@code run}: stopped cleanly after SIGTERM with everything settled. */
  OK(0, "success"),
  /**
   * The command ran and found a failure (gate refused, a queue stopped on a fatal error, replay
   * failed).
   */
  FAILED(1, "the command ran and failed (see the error line)"),
  /** Unknown command or option. */
  USAGE(2, "bad command line"),
  /** The configuration file is missing or invalid. */
  CONFIG(3, "invalid configuration"),
  /** MySQL or a broker could not be reached at start-up. */
  UNAVAILABLE(4, "a server could not be reached"),
  /** The account lacks a privilege; the message names the GRANT. */
  PRIVILEGE(5, "missing privilege"),
  /** The bridge's own schema is missing or outdated: run {@code q4m-bridge migrate}. */
  SCHEMA(6, "bridge schema missing or outdated"),
  /** A bug: unexpected exception (run with --verbose for the stack trace). */
  INTERNAL(70, "internal error");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The table printed at the end of {@code --help}. */
  public static String table() {
    StringBuilder sb = new StringBuilder();
    for (ExitCode e : values()) {
      sb.append(String.format("  %3d  %s%n", e.code, e.meaning));
    }
    return sb.toString();
  }
}
