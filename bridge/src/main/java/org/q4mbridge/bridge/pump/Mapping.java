package org.q4mbridge.bridge.pump;

import java.util.List;

/**
 * How a row becomes a message (DESIGN.md §4 "Mapping"). The defaults follow the convention of most
 * Q4M job tables: a {@code job_type} column and a {@code payload} column holding JSON text.
 *
 * @param typeColumn the job type column (body field {@code type}, stream field {@code type})
 * @param payloadColumn the payload column (body field {@code payload}, embedded as JSON when valid)
 * @param body {@link Body#ENVELOPE} ({@code {"type":…,"payload":…}}) or {@link Body#RAW} (one
 *     column's text as the body)
 * @param rawColumn the column used as body when {@code body} is RAW
 * @param requireJson when true a payload that is not valid JSON is unmappable (dead-lettered)
 * @param extraFields further columns copied to stream fields and message attributes
 * @param groupIdColumn column holding the ordering group (SQS FIFO group), or null
 * @param groupIdConstant constant ordering group when there is no column, or null
 * @param routingKeyColumn column whose value replaces the destination (RabbitMQ routing key), or
 *     null
 * @param createdAtColumn creation timestamp column, for end-to-end latency, or null
 */
public record Mapping(
    String typeColumn,
    String payloadColumn,
    Body body,
    String rawColumn,
    boolean requireJson,
    List<String> extraFields,
    String groupIdColumn,
    String groupIdConstant,
    String routingKeyColumn,
    String createdAtColumn) {

  /** The shape of the message body. */
  public enum Body {
    ENVELOPE,
    RAW
  }

  public Mapping {
    extraFields = extraFields == null ? List.of() : List.copyOf(extraFields);
    body = body == null ? Body.ENVELOPE : body;
    if (body == Body.RAW && rawColumn == null) {
      throw new IllegalArgumentException("mapping.body raw needs mapping.rawColumn");
    }
  }

  /** {@code job_type} / {@code payload} / {@code created_at}, envelope body. */
  public static Mapping defaults() {
    return new Mapping(
        "job_type",
        "payload",
        Body.ENVELOPE,
        null,
        false,
        List.of(),
        null,
        null,
        null,
        "created_at");
  }
}
