package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code q4m-bridge} launcher: one command line, subcommands for every job. The only place that
 * calls {@link System#exit}. Errors are one line ({@code q4m-bridge: <what is wrong>}) and a
 * documented exit code; stack traces only with {@code --verbose}.
 */
@Command(
    name = "q4m-bridge",
    mixinStandardHelpOptions = true,
    // every subcommand gets --help (and --version)
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Moves Q4M queues to Redis Streams, Amazon SQS or RabbitMQ without losing a job.",
      "Each queue goes off -> mirror -> shadow -> cutover by editing the YAML file and reloading."
    },
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      CheckCommand.class,
      MigrateCommand.class,
      DlqCommand.class,
      ConvertCommand.class,
      ServeCommand.class,
      TapCommand.class,
      DrainBackCommand.class,
      PhaseLogCommand.class,
      SetPhaseCommand.class,
      GateCommand.class,
      ReportCommand.class,
      StreamGroupCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces with errors, and debug logging.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required (see --help)");
  }

  /** Builds the command line with error handling; tests call this instead of {@link #main}. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    exitCodesInHelp(cl);
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("q4m-bridge: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    cl.setExitCodeExceptionMapper(
        t -> t instanceof CliException c ? c.exitCode().code() : ExitCode.INTERNAL.code());
    return cl;
  }

  /** Every command's --help ends with the exit-code table. */
  private static void exitCodesInHelp(CommandLine cl) {
    cl.getCommandSpec().usageMessage().footerHeading("%nExit codes:%n").footer(ExitCode.table());
    cl.getSubcommands().values().forEach(Main::exitCodesInHelp);
  }

  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose") || isVerbose(parsed);
    PrintWriter err = cmd.getErr();
    if (ex instanceof CliException c) {
      err.println("q4m-bridge: " + c.getMessage());
      if (verbose && c.getCause() != null) {
        c.getCause().printStackTrace(err);
      }
      return c.exitCode().code();
    }
    err.println(
        "q4m-bridge: internal error: "
            + ex.getClass().getSimpleName()
            + ": "
            + ex.getMessage()
            + (verbose ? "" : " (run with --verbose for the stack trace)"));
    if (verbose) {
      ex.printStackTrace(err);
    }
    return ExitCode.INTERNAL.code();
  }

  private static boolean isVerbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("-v")) {
        return true;
      }
    }
    return false;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
