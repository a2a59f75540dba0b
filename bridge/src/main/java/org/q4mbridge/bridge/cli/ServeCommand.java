package org.q4mbridge.bridge.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.q4m.server.EndpointOptions;
import org.q4mbridge.q4m.server.Q4mServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code q4m-bridge serve}: the q4m-compat MySQL-protocol endpoint, so unchanged PHP/Perl code
 * keeps its Q4M SQL on InnoDB queues (runbooks/q4m-compat-endpoint.md).
 */
@Command(
    name = "serve",
    description = {
      "Run the q4m-compat endpoint for legacy PHP/Perl Q4M code.",
      "A MySQL-protocol server that gives queue_wait, queue_end, queue_abort … their Q4M meaning on",
      "emulated (InnoDB) queues and passes other SQL through to database.url. Point legacy PHP/Perl workers at it; SIGTERM stops it (owned rows go back)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:3307",
      description = "HOST:PORT (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "NAME=ENV_VAR",
      description =
          "An account clients log in with; its password is read from ENV_VAR. Repeatable.")
  List<String> users;

  @Option(
      names = "--max-connections",
      defaultValue = "151",
      description = "Connection limit (default 151).")
  int maxConnections;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BridgeConfig c = config.load();
    int colon = listen.lastIndexOf(':');
    if (colon < 1) {
      throw new CliException(ExitCode.USAGE, "--listen: expected HOST:PORT, got '" + listen + "'");
    }
    EndpointOptions.Builder b =
        EndpointOptions.builder()
            .host(listen.substring(0, colon))
            .port(Integer.parseInt(listen.substring(colon + 1)))
            .backend(
                org.q4mbridge.bridge.Assembly.plainUrl(c.database().url()),
                c.database().user(),
                c.database().password().map(s -> s.reveal()).orElse(""))
            .maxConnections(maxConnections);
    for (String u : users) {
      int eq = u.indexOf('=');
      if (eq < 1) {
        throw new CliException(ExitCode.USAGE, "--user: expected NAME=ENV_VAR, got '" + u + "'");
      }
      String password = System.getenv(u.substring(eq + 1));
      if (password == null) {
        throw new CliException(
            ExitCode.CONFIG,
            "--user " + u + ": environment variable " + u.substring(eq + 1) + " is not set");
      }
      b.user(u.substring(0, eq), password);
    }
    Q4mServer server;
    try {
      server = new Q4mServer(b.build());
      server.start();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    } catch (java.io.IOException | java.sql.SQLException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "serve: cannot start: " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .println(
            "q4m-compat endpoint listening on " + listen.substring(0, colon) + ":" + server.port());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stopped.countDown();
                },
                "serve-shutdown"));
    stopped.await();
    return ExitCode.OK.code();
  }
}
