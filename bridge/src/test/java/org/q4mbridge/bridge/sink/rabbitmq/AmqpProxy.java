package org.q4mbridge.bridge.sink.rabbitmq;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of the shared RabbitMQ, so that tests can break, refuse and
 * freeze "the broker" as the sink sees it — and make it send {@code connection.blocked} — without
 * stopping the broker or raising an alarm on it, which other builds use at the same time.
 *
 * <ul>
 *   <li>{@link #stop()}: every connection is cut and new ones are refused (a broker that is down).
 *   <li>{@link #start()}: accepts again on the same port (the broker is back).
 *   <li>{@link #pause()}/{@link #resume()}: bytes are held in both directions, connections stay
 *       open (a broker that stops answering); on resume, what was held is delivered.
 *   <li>{@link #sendToClients(byte[])}: writes an AMQP frame to every client between two frames of
 *       the broker's stream (the server-to-client direction is forwarded frame by frame for that).
 * </ul>
 *
 * Thread-safe; each connection uses two daemon threads, which end when either side closes.
 */
final class AmqpProxy implements AutoCloseable {
  private static final int FRAME_METHOD = 1;
  private static final int FRAME_END = 0xCE;

  private final InetSocketAddress target;
  private final Object gate = new Object();
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private volatile int port;
  private boolean paused; // guarded by gate

  AmqpProxy(String targetHost, int targetPort) {
    this.target = new InetSocketAddress(targetHost, targetPort);
    start();
  }

  int port() {
    return port;
  }

  /** Listens (again) on the proxy's port; idempotent. */
  synchronized void start() {
    if (listener != null) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      port = s.getLocalPort();
      listener = s;
      Thread accept = new Thread(() -> acceptLoop(s), "amqp-proxy-accept-" + port);
      accept.setDaemon(true);
      accept.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** Cuts every connection and refuses new ones; returns when nothing is open any more. */
  synchronized void stop() {
    ServerSocket s = listener;
    listener = null;
    if (s != null) {
      closeQuietly(s);
    }
    for (Link link : links) {
      link.close();
    }
    resume(); // a stopped proxy holds nothing back
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

  /** Writes {@code frame} to every connected client, between two of the broker's frames. */
  void sendToClients(byte[] frame) {
    for (Link link : links) {
      link.inject(frame);
    }
  }

  /** Open client connections. */
  int connections() {
    return links.size();
  }

  /** An AMQP connection.blocked method frame (class 10, method 60) with the given reason. */
  static byte[] connectionBlocked(String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(4 + 1 + text.length);
    payload.putShort((short) 10).putShort((short) 60).put((byte) text.length).put(text);
    return methodFrame(payload.array());
  }

  /** An AMQP connection.unblocked method frame (class 10, method 61). */
  static byte[] connectionUnblocked() {
    ByteBuffer payload = ByteBuffer.allocate(4);
    payload.putShort((short) 10).putShort((short) 61);
    return methodFrame(payload.array());
  }

  private static byte[] methodFrame(byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(7 + payload.length + 1);
    frame.put((byte) FRAME_METHOD).putShort((short) 0).putInt(payload.length).put(payload);
    frame.put((byte) FRAME_END);
    return frame.array();
  }

  @Override
  public void close() {
    stop();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return; // stopped
      }
      Socket server = new Socket();
      try {
        server.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      Link link = new Link(client, server);
      links.add(link);
      link.begin();
    }
  }

  private void awaitOpenGate() throws InterruptedException {
    synchronized (gate) {
      while (paused) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all we wanted
    }
  }

  /** One client connection and its connection to the broker. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final Object toClientLock = new Object();

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void begin() {
      Thread up = new Thread(this::clientToServer, "amqp-proxy-up-" + client.getPort());
      Thread down = new Thread(this::serverToClient, "amqp-proxy-down-" + client.getPort());
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    private void clientToServer() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitOpenGate();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    /** Forwards whole frames so that {@link #inject} can slip one in between two of them. */
    private void serverToClient() {
      try (DataInputStream in = new DataInputStream(server.getInputStream());
          OutputStream out = client.getOutputStream()) {
        byte[] header = new byte[7];
        while (true) {
          in.readFully(header);
          int size = ByteBuffer.wrap(header, 3, 4).getInt();
          byte[] rest = new byte[size + 1];
          in.readFully(rest);
          awaitOpenGate();
          synchronized (toClientLock) {
            out.write(header);
            out.write(rest);
            out.flush();
          }
        }
      } catch (EOFException e) {
        // the broker closed the connection
      } catch (IOException e) {
        // one side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    void inject(byte[] frame) {
      try {
        synchronized (toClientLock) {
          OutputStream out = client.getOutputStream();
          out.write(frame);
          out.flush();
        }
      } catch (IOException e) {
        close();
      }
    }

    void close() {
      links.remove(this);
      closeQuietly(client);
      closeQuietly(server);
    }
  }
}
