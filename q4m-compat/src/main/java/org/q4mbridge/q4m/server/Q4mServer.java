package org.q4mbridge.q4m.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.q4m.jdbc.Q4mDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySQL-protocol endpoint that speaks Q4M: unchanged legacy clients (PHP PDO/mysqli, Perl DBI,
 * the {@code mariadb} command line, Connector/J) connect to it as to a MySQL server; each client
 * connection gets its own {@code jdbc:q4m:} shim connection to the backend, so ordinary SQL passes
 * through and {@code queue_wait}, {@code queue_end}, {@code queue_abort}, … and reads of queue
 * tables keep their Q4M meaning on InnoDB (see the q4m-compat README).
 *
 * <p>Lifecycle: {@link #start()} checks the backend (one connection, {@code SELECT VERSION()}),
 * binds the listener and starts accepting; {@link #stop()} stops accepting, closes every client
 * connection — ending statements in progress, a {@code queue_wait} included — which gives owned
 * rows back to their queues, and waits (bounded) for the connection threads. Both are idempotent; a
 * stopped server cannot be started again.
 *
 * <p>Threading: one acceptor thread, and one thread per client connection for as long as it lasts
 * (blocking I/O), bounded by {@link EndpointOptions#maxConnections()}; a connection over the limit
 * gets error 1040 and is closed. The public methods are thread-safe.
 */
public final class Q4mServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Q4mServer.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final EndpointOptions options;
  private final EndpointStats stats;
  private final Map<String, byte[]> accounts = new HashMap<>();
  private final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
  private final Map<Long, Thread> threads = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicLong questions = new AtomicLong();
  private final Object lock = new Object();
  private final Object closes = new Object();
  private volatile int closing;

  private State state = State.NEW;
  private ServerSocket listener;
  private Thread acceptor;
  private String serverVersion;
  private long startedNanos;

  /** A server that reports nothing. */
  public Q4mServer(EndpointOptions options) {
    this(options, EndpointStats.NONE);
  }

  public Q4mServer(EndpointOptions options, EndpointStats stats) {
    this.options = options;
    this.stats = stats == null ? EndpointStats.NONE : stats;
    options
        .users()
        .forEach((name, password) -> accounts.put(name, NativePassword.stage2(password)));
  }

  /**
   * Checks the backend, binds the listener and starts accepting. Blocks until the listener is
   * bound. Calling it on a running server does nothing.
   *
   * @throws SQLException when the backend cannot be reached with the configured account
   * @throws IOException when the address cannot be bound
   * @throws IllegalStateException after {@link #stop()}
   */
  public void start() throws IOException, SQLException {
    synchronized (lock) {
      if (state == State.RUNNING) {
        return;
      }
      if (state == State.STOPPED) {
        throw new IllegalStateException("a stopped Q4mServer cannot be started again");
      }
      serverVersion =
          options.serverVersion() != null ? options.serverVersion() : versionFor(probeBackend());
      ServerSocket s = new ServerSocket();
      try {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), 128);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      listener = s;
      startedNanos = System.nanoTime();
      state = State.RUNNING;
      acceptor = new Thread(this::acceptLoop, "q4m-endpoint-accept-" + port());
      acceptor.setDaemon(true);
      acceptor.start();
      LOG.info(
          "q4m endpoint listening on {}:{} (announces {}, backend {})",
          options.host(),
          port(),
          serverVersion,
          options.backendUrl());
    }
  }

  private String probeBackend() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", options.backendUser());
    p.setProperty("password", options.backendPassword());
    try (Connection c = new Q4mDriver().connect(Backend.shimUrl(options.backendUrl()), p);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT VERSION()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * The version to announce for a backend. Clients pick variable names by it: Connector/J asks a
   * MySQL 5.7.20+ or 8.0 server for {@code @@transaction_isolation}, older ones for
   * {@code @@tx_isolation}, which is all MariaDB 10.x has. So a MariaDB backend is announced the
   * way MariaDB announces itself ({@code 5.5.5-10.11.19-MariaDB-q4m-compat}: clients that know the
   * {@code 5.5.5-} prefix strip it), a MySQL backend with its own version.
   */
  static String versionFor(String backendVersion) {
    String v = backendVersion == null ? "" : backendVersion;
    int end = 0;
    while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.')) {
      end++;
    }
    String number = end == 0 ? "5.5.5" : v.substring(0, end);
    if (v.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return "5.5.5-" + number + "-MariaDB-q4m-compat";
    }
    return number + "-q4m-compat";
  }

  private void acceptLoop() {
    while (true) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (isRunning()) {
          LOG.error("q4m endpoint stops accepting: {}", e.toString());
        }
        return;
      }
      long id = nextId.getAndIncrement();
      synchronized (lock) {
        if (state != State.RUNNING) {
          ClientSession.refuse(
              socket, Protocol.ER_SERVER_SHUTDOWN, "08S01", "Server shutdown in progress");
          return;
        }
        if (sessions.size() >= options.maxConnections()) {
          safely(() -> stats.connectionRejected("too_many_connections"));
          ClientSession.refuse(
              socket, Protocol.ER_CON_COUNT_ERROR, "08004", "Too many connections");
          continue;
        }
        ClientSession session = new ClientSession(this, socket, id);
        Thread t = new Thread(session, "q4m-endpoint-conn-" + id);
        t.setDaemon(true);
        sessions.put(id, session);
        threads.put(id, t);
        t.start();
      }
    }
  }

  /**
   * Stops accepting and closes every client connection (owned rows go back to their queues); waits
   * up to 10 seconds for the connection threads. Idempotent.
   */
  public void stop() {
    List<ClientSession> open;
    Thread accepting;
    synchronized (lock) {
      if (state != State.RUNNING) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPED;
      try {
        listener.close();
      } catch (IOException e) {
        LOG.debug("closing the listener: {}", e.toString());
      }
      open = new ArrayList<>(sessions.values());
      accepting = acceptor;
    }
    for (ClientSession s : open) {
      s.terminate();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    join(accepting, deadline);
    for (Thread t : new ArrayList<>(threads.values())) {
      join(t, deadline);
    }
    if (!threads.isEmpty()) {
      LOG.warn("q4m endpoint stopped with {} connection threads still ending", threads.size());
    }
    LOG.info("q4m endpoint on port {} stopped", listener.getLocalPort());
  }

  private static void join(Thread t, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (t == null || left <= 0) {
      return;
    }
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  public boolean isRunning() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /**
   * The port the listener is bound to (useful with port 0).
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    synchronized (lock) {
      if (listener == null) {
        throw new IllegalStateException("not started");
      }
      return listener.getLocalPort();
    }
  }

  /** The version string the greeting announces (known after {@link #start()}). */
  public String serverVersion() {
    synchronized (lock) {
      return serverVersion;
    }
  }

  /** Client connections being served now (including those still in the handshake). */
  public int connectionCount() {
    return sessions.size();
  }

  public EndpointOptions options() {
    return options;
  }

  EndpointStats stats() {
    return stats;
  }

  boolean authenticate(String user, byte[] scramble, byte[] token) {
    if (user == null || !accounts.containsKey(user)) {
      return false;
    }
    return NativePassword.verify(accounts.get(user), scramble, token);
  }

  ClientSession session(long id) {
    ClientSession s = sessions.get(id);
    return s == null || s.user() == null ? null : s;
  }

  void remove(ClientSession s) {
    sessions.remove(s.id());
    threads.remove(s.id());
  }

  /** A connection starts giving its backend up (its owned row goes back). */
  void closeStarted() {
    synchronized (closes) {
      closing++;
    }
  }

  void closeFinished() {
    synchronized (closes) {
      closing--;
      closes.notifyAll();
    }
  }

  /**
   * Waits (at most {@value #CLOSE_WAIT_MILLIS} ms) for connections that are closing to have given
   * their rows back. On a MySQL server a disconnect is handled by the server itself; here it takes
   * one more hop (the endpoint closes the backend connection), so without this a statement that a
   * client sends right after another client disconnected could still find that client's row owned.
   */
  void awaitCloses() {
    if (closing == 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    synchronized (closes) {
      while (closing > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        try {
          closes.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static final long CLOSE_WAIT_MILLIS = 500;

  void countQuestion() {
    questions.incrementAndGet();
  }

  /** The text of COM_STATISTICS ({@code mysqladmin status}). */
  String statistics() {
    long uptime = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
    long q = questions.get();
    return String.format(
        Locale.ROOT,
        "Uptime: %d  Threads: %d  Questions: %d  Slow queries: 0  Opens: 0  Open tables: 0"
            + "  Queries per second avg: %.3f",
        uptime,
        sessions.size(),
        q,
        (double) q / uptime);
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("endpoint stats callback failed", e);
    }
  }
}
