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
}
