package org.q4mbridge.bridge.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a row becomes a message ({@code queues[].mapping:}, DESIGN.md §4). Every column name is a
 * validated identifier. Whether the columns exist is checked against the live table at start, not
 * here.
 *
 * @param typeColumn the job type column (default {@code job_type}); the envelope's {@code type}
 * @param payloadColumn the payload column (default {@code payload}); embedded as JSON when valid
 *     JSON
 * @param body the body format (default envelope)
 * @param rawColumn the column sent as the body when {@code body} is raw-column (required then)
 * @param extraFields more columns copied into stream fields / message attributes / headers
 * @param groupId the ordering group (SQS FIFO {@code MessageGroupId}); empty = none
 * @param routingKeyColumn a column whose value is the RabbitMQ routing key instead of the
 *     destination
 * @param createdAtColumn the column that says when the job was created (default {@code
 *     created_at}), for end-to-end latency; ignored when the table has no such column
 */
public record MappingConfig(
    String typeColumn,
    String payloadColumn,
    BodyFormat body,
    Optional<String> rawColumn,
    List<String> extraFields,
    Optional<GroupId> groupId,
    Optional<String> routingKeyColumn,
    String createdAtColumn) {

  /** The mapping every queue gets when it says nothing. */
  public static final MappingConfig DEFAULT =
      new MappingConfig(
          "job_type",
          "payload",
          BodyFormat.ENVELOPE,
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          "created_at");

  public MappingConfig {
    Objects.requireNonNull(typeColumn, "typeColumn");
    Objects.requireNonNull(payloadColumn, "payloadColumn");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(rawColumn, "rawColumn");
    extraFields = List.copyOf(extraFields);
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(routingKeyColumn, "routingKeyColumn");
    Objects.requireNonNull(createdAtColumn, "createdAtColumn");
  }

  /** A copy with another group id (the loader fills in the default group of ordered queues). */
  MappingConfig withGroupId(GroupId id) {
    return new MappingConfig(
        typeColumn,
        payloadColumn,
        body,
        rawColumn,
        extraFields,
        Optional.of(id),
        routingKeyColumn,
        createdAtColumn);
  }

  /** The message body ({@code body: envelope | raw-column}). */
  public enum BodyFormat {
    /** {@code {"type": <typeColumn>, "payload": <payloadColumn>}} — the default convention. */
    ENVELOPE,
    /** The value of {@code rawColumn} as is, for workers that already read that column. */
    RAW_COLUMN
  }

  /**
   * Where the ordering group comes from ({@code groupId: {column: x}} or {@code {constant: y}}).
   */
  public sealed interface GroupId {}

  /** Each row's group is the value of a column (e.g. a customer id): order within a customer. */
  public record ColumnGroupId(String column) implements GroupId {
    public ColumnGroupId {
      Objects.requireNonNull(column, "column");
    }
  }

  /** Every row has the same group: one total order, and one message in flight at a time on SQS. */
  public record ConstantGroupId(String value) implements GroupId {
    public ConstantGroupId {
      Objects.requireNonNull(value, "value");
    }
  }
}
