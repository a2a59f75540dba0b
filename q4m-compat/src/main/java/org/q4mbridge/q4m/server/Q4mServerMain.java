package org.q4mbridge.q4m.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Starts a {@link Q4mServer} from the command line until SIGTERM/SIGINT — the stand-alone launcher
 * until {@code q4m-bridge serve} hosts the endpoint. Passwords are never given on the command line
 * (it shows in {@code ps}): each names an environment variable that holds it.
 *
 * <pre>
 * Q4mServerMain --backend jdbc:mysql://127.0.0.1:3306/app?useSSL=false \
 *     --backend-user q4m --backend-password-env Q4M_BACKEND_PASSWORD \
 *     --user legacy=LEGACY_PASSWORD [--user other=OTHER_PASSWORD …] \
 *     [--listen 127.0.0.1:3307] [--max-connections 151] [--max-packet-bytes 16777216] \
 *     [--idle-timeout-seconds 28800] [--server-version 8.0.36-q4m-compat]
 * </pre>
 *
 * {@code --user NAME=} (nothing after {@code =}) is an account without password. Exit codes: 0
 * after a signal, 2 for bad arguments, 1 when the server cannot start.
 */
public final class Q4mServerMain {
  private Q4mServerMain() {}

  public static void main(String[] args) {
    EndpointOptions options;
    try {
      options = parse(args, System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("q4m endpoint: " + e.getMessage());
      System.err.println(
          "usage: Q4mServerMain --backend JDBC_URL --backend-user USER"
              + " [--backend-password-env VAR] --user NAME=PASSWORD_VAR ..."
              + " [--listen HOST:PORT] [--max-connections N] [--max-packet-bytes N]"
              + " [--idle-timeout-seconds N] [--server-version V]");
      System.exit(2);
      return;
    }
    Q4mServer server = new Q4mServer(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stopped.countDown();
                },
                "q4m-endpoint-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("q4m endpoint: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println(
        "q4m endpoint listening on "
            + options.host()
            + ":"
            + server.port()
            + " as "
            + server.serverVersion()
            + "; backend "
            + options.backendUrl());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds options from arguments; {@code env} resolves the password variables. */
  static EndpointOptions parse(String[] args, Function<String, String> env) {
    EndpointOptions.Builder b = EndpointOptions.builder();
    String backend = null;
    String backendUser = null;
    String backendPassword = "";
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--listen" -> {
          int colon = v.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, got " + v);
          }
          b.host(v.substring(0, colon)).port(number(a, v.substring(colon + 1)));
        }
        case "--backend" -> backend = v;
        case "--backend-user" -> backendUser = v;
        case "--backend-password-env" -> backendPassword = secret(env, a, v, problems);
        case "--user" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--user wants NAME=PASSWORD_VAR, got " + v);
          }
          String var = v.substring(eq + 1);
          b.user(v.substring(0, eq), var.isEmpty() ? "" : secret(env, a, var, problems));
        }
        case "--max-connections" -> b.maxConnections(number(a, v));
        case "--max-packet-bytes" -> b.maxPacketSize(number(a, v));
        case "--idle-timeout-seconds" -> b.idleTimeout(Duration.ofSeconds(number(a, v)));
        case "--server-version" -> b.serverVersion(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return b.backend(backend, backendUser, backendPassword).build();
  }

  private static String secret(
      Function<String, String> env, String option, String var, List<String> problems) {
    String v = env.apply(var);
    if (v == null) {
      problems.add(option + ": environment variable " + var + " is not set");
      return "";
    }
    return v;
  }

  private static int number(String option, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a whole number, got " + v);
    }
  }

  /** For tests: the environment as a map. */
  static Function<String, String> env(Map<String, String> vars) {
    return vars::get;
  }
}
