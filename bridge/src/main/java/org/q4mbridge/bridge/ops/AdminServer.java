package org.q4mbridge.bridge.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener ({@code admin.listen}, 127.0.0.1:9400 by default): {@code /metrics}
 * (Prometheus text), {@code /health/live}, {@code /health/ready} and {@code /status} (JSON, or HTML
 * for browsers and {@code ?format=html}). GET and HEAD only; no authentication, so bind it to
 * loopback or a management network.
 *
 * <p>Requests only read the latest {@link Status} snapshot and the metrics registry: they never
 * wait on the bridge (a reload may hold it while queues drain). Two daemon threads serve requests.
 * The port is bound by the constructor, so a taken port fails the start before any row is claimed;
 * {@link #start()} begins answering; {@link #close()} stops at once.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService threads;
  private final Supplier<Status> status;
  private final PrometheusMetrics metrics;
  private final ObjectMapper json;

  /**
   * Binds {@code address}.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public AdminServer(InetSocketAddress address, Supplier<Status> status, PrometheusMetrics metrics)
      throws IOException {
    this.status = status;
    this.metrics = metrics;
    this.json = mapper();
    this.server = HttpServer.create(address, 16);
    this.threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "admin-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
  }

  /** The JSON mapper of {@code /status}: ISO-8601 instants. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Starts answering requests. */
  public void start() {
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", bytes("method not allowed\n"));
        return;
      }
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/metrics" -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
          metrics.write(out);
          send(ex, 200, metrics.contentType(), out.toByteArray());
        }
        case "/health/live" -> sendJson(ex, 200, Map.of("live", true));
        case "/health/ready" -> {
          Status s = status.get();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("ready", s.ready());
          body.put("state", s.state());
          body.put("reasons", s.notReady());
          sendJson(ex, s.ready() ? 200 : 503, body);
        }
        case "/status" -> {
          Status s = status.get();
          if (wantsHtml(ex)) {
            send(ex, 200, "text/html; charset=utf-8", bytes(StatusPage.render(s)));
          } else {
            sendJson(ex, 200, s);
          }
        }
        case "/" -> {
          ex.getResponseHeaders().set("Location", "/status?format=html");
          send(ex, 302, "text/plain; charset=utf-8", bytes("see /status?format=html\n"));
        }
        default -> send(ex, 404, "text/plain; charset=utf-8", bytes("not found: " + path + "\n"));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("admin request {} failed: {}", ex.getRequestURI(), e.toString());
      throw e;
    }
  }

  /** HTML when asked with {@code ?format=html}, or by a browser (Accept: text/html). */
  static boolean wantsHtml(HttpExchange ex) {
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String p : query.split("&")) {
        if (p.equals("format=html")) {
          return true;
        }
        if (p.equals("format=json")) {
          return false;
        }
      }
    }
    String accept = ex.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.contains("text/html");
  }

  private void sendJson(HttpExchange ex, int code, Object body) throws IOException {
    send(ex, code, "application/json", json.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(code, -1);
      return;
    }
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
