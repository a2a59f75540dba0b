package org.q4mbridge.bridge.bench;

/** The broker a bench run publishes to. */
public enum SinkKind {
  REDIS("redis", "Redis Streams"),
  RABBITMQ("rabbitmq", "RabbitMQ (publisher confirms)"),
  SQS("sqs", "SQS (SQS-compatible endpoint)");

  private final String cliName;
  private final String title;

  SinkKind(String cliName, String title) {
    this.cliName = cliName;
    this.title = title;
  }

  /** The name used on the command line and in file names. */
  public String cliName() {
    return cliName;
  }

  /** A human title for reports. */
  public String title() {
    return title;
  }
}
