package org.q4mbridge.bridge.sink.sqs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a loopback port in front of a server, for the outage tests. While {@linkplain
 * #pause() paused} it still accepts connections and reads what clients send, but forwards nothing
 * either way until {@linkplain #resume() resumed}: to a client the server has frozen (an in-process
 * ElasticMQ cannot be sent {@code SIGSTOP}). {@link #shut()} closes the port and every relayed
 * connection; {@link #open()} binds the same port again.
 */
final class PausableProxy implements AutoCloseable {
  private final int upstreamPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;
  private final Object gate = new Object();
  private boolean paused; // guarded by gate
  private ServerSocket listener; // guarded by this
  private int port;

  private PausableProxy(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "sqs-test-proxy-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** A relay to {@code 127.0.0.1:upstreamPort} on a free loopback port, accepting at once. */
  static PausableProxy to(int upstreamPort) {
    PausableProxy proxy = new PausableProxy(upstreamPort);
    proxy.open();
    return proxy;
  }

  int port() {
    return port;
  }

  /** Binds the port (the same one after a {@link #shut()}) and accepts; idempotent. */
  synchronized void open() {
    if (listener != null) {
      return;
    }
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      port = socket.getLocalPort();
      listener = socket;
      threads.execute(() -> accept(socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the port and every relayed connection: clients are refused and cut off. */
  synchronized void shut() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  void pause() {
    synchronized (gate) {
      paused = true;
    }
  }

  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  @Override
  public void close() {
    resume();
    shut();
    threads.shutdownNow();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      Socket upstream;
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
      } catch (IOException refused) {
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      threads.execute(() -> relay(client, upstream));
      threads.execute(() -> relay(upstream, client));
    }
  }

  private void relay(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitResumed();
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void awaitResumed() throws InterruptedException {
    synchronized (gate) {
      while (paused) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing is all that is wanted; a failure means it is closed already.
    }
  }
}
