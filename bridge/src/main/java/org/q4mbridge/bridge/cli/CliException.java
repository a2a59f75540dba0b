package org.q4mbridge.bridge.cli;

/**
 * A failure reported to the user as one line and an exit code; no stack trace without --verbose.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public CliException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /**
   * A one-line reason for {@code failure}, for the error line: the first line of its message
   * (Connector/J and Flyway append paragraphs of diagnostics after it), followed by the root
   * cause's first line when that adds something, e.g. {@code Communications link failure
   * (Connection refused)}.
   */
  public static String reason(Throwable failure) {
    String first = firstLine(failure.getMessage());
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootLine = root == failure ? "" : firstLine(root.getMessage());
    if (first.isEmpty()) {
      return rootLine.isEmpty() ? failure.getClass().getSimpleName() : rootLine;
    }
    return rootLine.isEmpty() || first.contains(rootLine) ? first : first + " (" + rootLine + ")";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String t = message.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }
}
