package org.q4mbridge.bridge.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format}: plain lines (logback.xml's default) or JSON lines (Logback's own
 * {@link JsonEncoder}, one object per line with the MDC — queue, phase, message key). Payloads are
 * never logged by the bridge; {@code logging.logPayloads} is accepted but adds nothing yet.
 */
public final class LoggingSetup {
  private LoggingSetup() {}

  /** Switches the console to JSON lines. Idempotent. */
  public static void json() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender("JSON") != null) {
      return;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("JSON");
    appender.setContext(ctx);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAppender("PLAIN");
    root.addAppender(appender);
  }
}
