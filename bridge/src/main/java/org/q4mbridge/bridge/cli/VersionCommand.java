package org.q4mbridge.bridge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code q4m-bridge version}: the build's version and the Java runtime. */
@Command(name = "version", description = "Print the version of q4m-bridge and of Java.")
public final class VersionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Supplies {@code --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }
  }

  static String line() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return "q4m-bridge "
        + (v == null ? "(development build)" : v)
        + " on Java "
        + System.getProperty("java.version");
  }

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(line());
    return ExitCode.OK.code();
  }
}
