package org.q4mbridge.bridge.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.q4mbridge.bridge.cli.Main;
import picocli.CommandLine;

/**
 * The real {@code q4m-bridge} command line ({@link Main#commandLine()}: the same error handling and
 * exit codes as the launcher) executed in this JVM, with its stdout and stderr captured. For
 * commands that end by themselves; {@code run} belongs in a {@link BridgeProcess}.
 */
public final class Launcher {
  private Launcher() {}

  /** Executes {@code args} and returns the exit code with what was printed. */
  public static BridgeProcess.Finished execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new BridgeProcess.Finished(code, out.toString(), err.toString());
  }
}
