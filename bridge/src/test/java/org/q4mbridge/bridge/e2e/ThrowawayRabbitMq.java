package org.q4mbridge.bridge.e2e;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of one test's own — its own node name ({@code q4mfault<random>@localhost}), AMQP
 * port, distribution port, database, log and plugin files under a temporary folder, started in the
 * foreground from the machine's {@code rabbitmq-server} — so that a test can crash it ({@link
 * #kill()}: SIGKILL of the Erlang VM), shut it down ({@link #stop()}) and start it again on the
 * same data and port without touching the broker other tests share (which is never stopped).
 * Durable queues and the persistent messages in them are recovered on each start, exactly as in
 * production. The user {@code guest}/{@code guest} may log in from loopback.
 *
 * <p>Nothing of the machine's node is used: its {@code rabbitmq-env.conf} (node name {@code
 * rabbit@localhost}) and {@code rabbitmq.conf} (listener 127.0.0.1:5672) are replaced by files of
 * this node's own, the plugins file is empty (no management listener on 15672), and {@code HOME}
 * points into the folder (the Erlang cookie is written there). The node registers with the
 * machine's epmd, as every node on the host does.
 */
final class ThrowawayRabbitMq implements AutoCloseable {
  static final String USER = "guest";
  static final String PASSWORD = "guest";
  private static final Duration START_BOUND = Duration.ofSeconds(90);
  private static final Duration STOP_BOUND = Duration.ofSeconds(60);
  private static final Duration KILL_BOUND = Duration.ofSeconds(30);

  private final Path dir;
  private final String node;
  private final int port;
  private final int distPort;
  private final Thread reaper = new Thread(this::killQuietly, "throwaway-rabbitmq-reaper");
  private Process process;
  private int starts;

  private ThrowawayRabbitMq(Path dir, String node, int port, int distPort) {
    this.dir = dir;
    this.node = node;
    this.port = port;
    this.distPort = distPort;
  }

  /** Writes the node's configuration into a new temporary folder and starts it. */
  static ThrowawayRabbitMq launch() throws Exception {
    String server = serverScript(); // fails before anything is created when RabbitMQ is missing
    Path dir = Files.createTempDirectory("q4m-bridge-rabbitmq-");
    int port = freePort();
    int distPort = freePort();
    while (distPort == port) {
      distPort = freePort();
    }
    String node =
        "q4mfault"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
            + "@localhost";
    ThrowawayRabbitMq rabbit = new ThrowawayRabbitMq(dir, node, port, distPort);
    try {
      rabbit.configure();
      Runtime.getRuntime().addShutdownHook(rabbit.reaper);
      rabbit.start(server);
      return rabbit;
    } catch (Exception e) {
      rabbit.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  String node() {
    return node;
  }

  /** How many times the node was started (1 after {@link #launch()}). */
  int starts() {
    return starts;
  }

  /** {@code amqp://guest:guest@127.0.0.1:<port>/%2F}. */
  String uri() {
    return "amqp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/%2F";
  }

  /** A new connection without automatic recovery; the caller closes it. */
  Connection connect(String name) throws IOException, TimeoutException {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setUsername(USER);
    f.setPassword(PASSWORD);
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(2_000);
    f.setHandshakeTimeout(2_000);
    return f.newConnection(name);
  }

  /** Starts the node and waits (bounded) until it accepts an AMQP connection. */
  synchronized void start() {
    start(serverScript());
  }

  private void start(String server) {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> cmd = List.of(server);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
    environment(pb.environment());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + cmd, e);
    }
    starts++;
    Process started = process;
    await(
            "the throw-away RabbitMQ "
                + node
                + " on port "
                + port
                + " accepting AMQP (see "
                + dir
                + ")")
        .atMost(START_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .failFast("rabbitmq-server exited: " + dir.resolve("server.out"), () -> !started.isAlive())
        .ignoreExceptionsMatching(e -> e instanceof IOException || e instanceof TimeoutException)
        .until(
            () -> {
              try (Connection c = connect("q4m-bridge throw-away start check")) {
                return c.isOpen();
              }
            });
  }

  /**
   * SIGKILL of the Erlang VM (and of the rest of the process tree: the start script and the VM's
   * port programs), waited for: the broker crashes with connections open and messages in flight;
   * the next start recovers the message store and queue indexes from disk.
   */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = tree();
    // The VM first, so that the crash is the VM's own and not a reaction to its parent dying.
    tree.stream().filter(ThrowawayRabbitMq::isVm).forEach(ProcessHandle::destroyForcibly);
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitGone(tree, KILL_BOUND, "killed");
  }

  /**
   * SIGTERM to the Erlang VM, which RabbitMQ takes as a clean shutdown (connections closed with 320
   * CONNECTION_FORCED, queues and message store flushed), waited for; killed if it does not finish
   * within a minute.
   */
  synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = tree();
    Optional<ProcessHandle> vm = tree.stream().filter(ThrowawayRabbitMq::isVm).findFirst();
    if (vm.isPresent()) {
      vm.get().destroy();
    } else {
      process.destroy(); // the start script traps SIGTERM and passes it on to the VM
    }
    try {
      awaitGone(tree, STOP_BOUND, "stopped cleanly");
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down: the hook is running or has run
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }

  private void killQuietly() {
    Process p = process;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** The start script and everything under it (the VM, erl_child_setup, inet_gethost …). */
  private List<ProcessHandle> tree() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    return tree;
  }

  private static boolean isVm(ProcessHandle p) {
    return p.info()
        .command()
        .map(c -> c.endsWith("/beam.smp") || c.endsWith("/beam"))
        .orElse(false);
  }

  private void awaitGone(List<ProcessHandle> tree, Duration bound, String what) {
    await("the throw-away RabbitMQ " + node + " " + what + " (see " + dir + ")")
        .atMost(bound)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> tree.stream().allMatch(ThrowawayRabbitMq::gone));
  }

  /**
   * Exited: reaped, or a zombie (its sockets and files already closed) waiting for its reaper. The
   * VM's parent, the start script, dies with it, so the VM is reaped by init — which in some
   * containers does so only every second or two, and {@link ProcessHandle#isAlive()} counts a
   * zombie as alive.
   */
  private static boolean gone(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      // /proc/<pid>/stat: "<pid> (<command>) <state> …"; the command may hold spaces or ')'.
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException e) {
      return !p.isAlive(); // no /proc (not Linux), or reaped meanwhile
    }
  }

  private void configure() throws IOException {
    Files.createDirectories(dir.resolve("home"));
    Files.createDirectories(dir.resolve("mnesia"));
    Files.createDirectories(dir.resolve("log"));
    Files.writeString(dir.resolve("enabled_plugins"), ""); // no management plugin, no 15672
    Files.writeString(dir.resolve("rabbitmq-env.conf"), "# this node's own: nothing to add\n");
    Files.writeString(
        dir.resolve("rabbitmq.conf"),
        String.join(
            "\n",
            "listeners.tcp.1 = 127.0.0.1:" + port,
            "# guest may log in, from loopback only (RabbitMQ's default, spelled out)",
            "loopback_users.guest = true",
            "# a throw-away node on a build machine: never block publishers for a full disk",
            "disk_free_limit.absolute = 50MB",
            ""));
  }

  private void environment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("RABBITMQ_") || k.startsWith("ERL_"));
    env.put("HOME", dir.resolve("home").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString());
    env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    // The distribution listener on loopback only (it listens on every interface otherwise).
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
  }

  /**
   * The real {@code rabbitmq-server} script. Debian's {@code /usr/sbin/rabbitmq-server} is a
   * wrapper that switches to the rabbitmq user with {@code su} (and would lose this node's
   * environment): the script it calls, under {@code /usr/lib/rabbitmq/bin}, is used instead.
   */
  private static String serverScript() {
    for (String d :
        List.of(
            "/usr/lib/rabbitmq/bin",
            "/usr/local/sbin",
            "/usr/local/bin",
            "/usr/sbin",
            "/usr/bin",
            "/opt/rabbitmq/sbin")) {
      Path p = Path.of(d, "rabbitmq-server");
      try {
        if (Files.isExecutable(p)
            && p.toRealPath().getFileName().toString().equals("rabbitmq-server")) {
          return p.toString();
        }
      } catch (IOException ignored) {
        // a dangling link: look further
      }
    }
    throw new IllegalStateException(
        "no rabbitmq-server script found in /usr/lib/rabbitmq/bin, /usr/local/{s,}bin,"
            + " /usr/{s,}bin or /opt/rabbitmq/sbin (a wrapper that only calls su does not count):"
            + " install the rabbitmq-server package");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
