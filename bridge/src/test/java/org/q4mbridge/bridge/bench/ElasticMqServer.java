package org.q4mbridge.bridge.bench;

import java.util.concurrent.CountDownLatch;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Runs an ElasticMQ server on 127.0.0.1 for {@code q4m-bridge bench --sink sqs} (ElasticMQ is a
 * test dependency, so it lives with the tests; docs/bench/README.md shows the command). Serves
 * until the process is stopped.
 *
 * <p>Usage: {@code ElasticMqServer [port]}, default 9324.
 */
public final class ElasticMqServer {
  private ElasticMqServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9324;
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
    server.waitUntilStarted();
    System.out.println("ElasticMQ listening on http://127.0.0.1:" + port + " (Ctrl-C to stop)");
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "elasticmq-stop"));
    new CountDownLatch(1).await();
  }
}
