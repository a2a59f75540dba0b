package org.q4mbridge.bridge.sink.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkContract;
import org.q4mbridge.bridge.sink.SinkContract.Received;

/**
 * An ElasticMQ of one test class's own, reached by sinks through a {@link PausableProxy}, for the
 * outage tests: {@link #stop()} shuts the proxy's port and stops the server, {@link #start()}
 * brings both back on the same ports (queues do not survive), {@link #pause()} freezes the relay.
 * The shared server of the other tests is never touched.
 */
final class ThrowawayElasticMq implements SinkContract.ExpendableBroker, AutoCloseable {
  private final boolean fifo;
  private final ElasticMq server;
  private final PausableProxy proxy;

  private ThrowawayElasticMq(boolean fifo) {
    this.fifo = fifo;
    this.server = ElasticMq.launch();
    this.proxy = PausableProxy.to(server.port());
  }

  /** A server whose destinations are FIFO queues when {@code fifo}. */
  static ThrowawayElasticMq launch(boolean fifo) {
    return new ThrowawayElasticMq(fifo);
  }

  /** Where sinks connect: the proxy. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.port());
  }

  @Override
  public Sink newSink(Duration publishTimeout) {
    return new SqsSink(
        ElasticMq.options(
            "sqs-throwaway", endpoint(), publishTimeout, SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES));
  }

  @Override
  public String newDestination() {
    return server.createQueue(fifo);
  }

  @Override
  public List<Received> readBack(String destination) {
    return SqsSinkContract.received(server.drain(destination));
  }

  @Override
  public void stop() {
    proxy.shut();
    server.stop();
  }

  @Override
  public void start() {
    server.start();
    proxy.open();
  }

  @Override
  public boolean canPause() {
    return true;
  }

  @Override
  public void pause() {
    proxy.pause();
  }

  @Override
  public void resume() {
    proxy.resume();
  }

  @Override
  public void close() {
    proxy.close();
    server.close();
  }
}
