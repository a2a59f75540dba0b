package org.q4mbridge.bridge.ops;

import java.lang.reflect.Method;
import org.q4mbridge.bridge.sink.SinkContract;

/**
 * The sink tests' {@code ThrowawayRedis} (a redis-server of the test's own that may be stopped),
 * reached by reflection because it is package-private in {@code sink.redis} and this package may
 * not change it. Only {@code launch()} and {@code port()} are called that way; stop and start go
 * through its public {@link SinkContract.ExpendableBroker} interface.
 */
final class ExpendableRedis implements AutoCloseable {
  private final Object redis;
  private final int port;

  private ExpendableRedis(Object redis, int port) {
    this.redis = redis;
    this.port = port;
  }

  static ExpendableRedis launch() throws ReflectiveOperationException {
    Class<?> c = Class.forName("org.q4mbridge.bridge.sink.redis.ThrowawayRedis");
    Method launch = c.getDeclaredMethod("launch");
    launch.setAccessible(true);
    Object redis = launch.invoke(null);
    Method port = c.getDeclaredMethod("port");
    port.setAccessible(true);
    return new ExpendableRedis(redis, (Integer) port.invoke(redis));
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void stop() {
    ((SinkContract.ExpendableBroker) redis).stop();
  }

  void start() {
    ((SinkContract.ExpendableBroker) redis).start();
  }

  @Override
  public void close() throws Exception {
    ((AutoCloseable) redis).close();
  }
}
