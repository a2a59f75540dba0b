package org.q4mbridge.bridge.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a broker, so that an end-to-end test can take "the
 * broker" away from the bridge without stopping a server other builds share: {@link #stop()} cuts
 * every relayed connection and refuses new ones (the broker is down), {@link #start()} accepts
 * again on the same port (the broker is back). {@link #holdReplies()} lets requests through but
 * holds the broker's answers until {@link #releaseReplies()} or {@link #stop()}: the broker has the
 * messages, the bridge has no confirmation. {@link #delayReplies} makes the broker slow.
 * Thread-safe; two daemon threads per relayed connection.
 */
final class LoopbackProxy implements AutoCloseable {
  private static final Duration REBIND_BOUND = Duration.ofSeconds(30);

  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean holding; // guarded by gate
  private volatile long replyDelayNanos;
  private int held; // guarded by gate
  private ServerSocket listener; // guarded by this
  private int port;

  private LoopbackProxy(int targetPort) {
    this.targetPort = targetPort;
  }

  /** A relay to {@code 127.0.0.1:targetPort}, listening on a free loopback port. */
  static LoopbackProxy to(int targetPort) {
    LoopbackProxy p = new LoopbackProxy(targetPort);
    p.start();
    return p;
  }

  int port() {
    return port;
  }

  /**
   * Listens (again, on the same port); idempotent. Binding the port again can race the release of
   * the old listener and of the connections just cut ("Address already in use"), so a rebind is
   * tried for up to {@link #REBIND_BOUND}.
   */
  synchronized void start() {
    if (listener != null) {
      return;
    }
    if (port == 0) {
      bind();
      return;
    }
    await("127.0.0.1:" + port + " bound again")
        .atMost(REBIND_BOUND)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              bind();
              return true;
            });
  }

  private void bind() {
    ServerSocket s = null;
    try {
      s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      if (s != null) {
        closeQuietly(s);
      }
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    ServerSocket bound = s;
    port = bound.getLocalPort();
    listener = bound;
    daemon("proxy-accept-" + port, () -> accept(bound));
  }

  /** From now on the broker's answers are held back (requests still pass). */
  void holdReplies() {
    synchronized (gate) {
      holding = true;
    }
  }

  /** How many answers (reads from the broker) were held back so far. */
  int heldReplies() {
    synchronized (gate) {
      return held;
    }
  }

  /**
   * From now on each answer (each read from the broker) is passed on only after {@code delay}: a
   * slow broker, or a slow network to it. {@link Duration#ZERO} ends the slowness.
   */
  void delayReplies(Duration delay) {
    replyDelayNanos = delay.toNanos();
  }

  /** Lets the held answers and the next ones through. */
  void releaseReplies() {
    synchronized (gate) {
      holding = false;
      gate.notifyAll();
    }
  }

  /** Closes the port and cuts every relayed connection; idempotent. */
  synchronized void stop() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
    releaseReplies();
  }

  @Override
  public void close() {
    stop();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException closed) {
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
      } catch (IOException refused) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      daemon("proxy-up-" + client.getPort(), () -> relay(client, upstream, false));
      daemon("proxy-down-" + client.getPort(), () -> relay(upstream, client, true));
    }
  }

  private void relay(Socket from, Socket to, boolean replies) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (replies) {
          awaitReleased();
          long delay = replyDelayNanos;
          if (delay > 0) {
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000)); // the injected latency
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: close both below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void awaitReleased() throws InterruptedException {
    synchronized (gate) {
      if (holding) {
        held++;
      }
      while (holding) {
        gate.wait();
      }
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all that is wanted
    }
  }
}
