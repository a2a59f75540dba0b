package org.q4mbridge.bridge.sink.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Turns an {@link OutboundMessage} into one {@code SendMessageBatch} entry, or into a non-retriable
 * rejection when SQS could never accept it. Stateless and thread-safe.
 *
 * <ul>
 *   <li>Every message carries its key as the String attribute {@value #KEY_ATTRIBUTE}, so consumers
 *       of standard queues can deduplicate (FIFO queues get it too: the deduplication id is a hash
 *       and consumers still want the key).
 *   <li>The message's own attributes follow as String attributes in their order. SQS allows 10
 *       attributes per message: the key plus the first 9 others are kept, the rest dropped.
 *       Attributes with an empty value are dropped too (SQS refuses empty values). A name SQS does
 *       not allow rejects the message: every row of that mapping would fail the same way.
 *   <li>FIFO: {@code MessageGroupId} is the message's group, or {@value #DEFAULT_GROUP} when it has
 *       none (then the whole FIFO queue is one ordered group); a group outside SQS's alphabet or
 *       longer than 128 characters becomes {@code q4m-} + SHA-256 hex of it, so the same group
 *       still maps to the same id. {@code MessageDeduplicationId} is the SHA-256 hex of the key (64
 *       characters): stable across resends, so a resend within SQS's 5-minute window collapses.
 * </ul>
 */
final class EntryEncoder {
  static final String KEY_ATTRIBUTE = "q4m-key";
  static final String DEFAULT_GROUP = "q4m";
  static final int MAX_ATTRIBUTES = 10;
  private static final String STRING = "String";

  // SQS: letters, digits, '_', '-', '.'; up to 256; no leading/trailing or double '.'.
  private static final Pattern ATTRIBUTE_NAME =
      Pattern.compile("[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?");
  // SQS: 1..128 of ASCII letters, digits and punctuation (\p{Punct} is ASCII-only in Java).
  private static final Pattern GROUP_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]{1,128}");

  /** An encoded entry (id = the message's index in the batch) and its size as SQS counts it. */
  record Encoded(
      int index, SendMessageBatchRequestEntry entry, long bytes, int droppedAttributes) {}

  /** Either an entry or the reason the message was refused. */
  record Result(Encoded encoded, Verdict.Rejected rejected) {}

  private final long maxMessageBytes;

  EntryEncoder(long maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  Result encode(OutboundMessage m, int index, boolean fifo) {
    String body = m.body();
    if (body.isEmpty()) {
      return rejected("empty body: SQS needs at least one character");
    }
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    long bytes = utf8(body);
    if (!m.key().isEmpty()) {
      attributes.put(KEY_ATTRIBUTE, string(m.key()));
      bytes += attributeBytes(KEY_ATTRIBUTE, m.key());
    }
    int dropped = 0;
    for (Map.Entry<String, String> a : m.attributes().entrySet()) {
      String name = a.getKey();
      String value = a.getValue();
      if (name == null || KEY_ATTRIBUTE.equals(name) || value == null || value.isEmpty()) {
        continue;
      }
      if (!validAttributeName(name)) {
        return rejected(
            "attribute name '"
                + name
                + "' is not allowed by SQS (letters, digits, '-', '_', '.'; at most 256;"
                + " not starting with 'AWS.' or 'Amazon.')");
      }
      if (attributes.size() >= MAX_ATTRIBUTES) {
        dropped++;
        continue;
      }
      attributes.put(name, string(value));
      bytes += attributeBytes(name, value);
    }
    if (bytes > maxMessageBytes) {
      return rejected(
          "oversize: message of "
              + bytes
              + " bytes (body and attributes) exceeds the limit of "
              + maxMessageBytes
              + " bytes");
    }
    SendMessageBatchRequestEntry.Builder entry =
        SendMessageBatchRequestEntry.builder()
            .id(Integer.toString(index))
            .messageBody(body)
            .messageAttributes(attributes);
    if (fifo) {
      entry.messageGroupId(groupId(m.groupId())).messageDeduplicationId(deduplicationId(m.key()));
    }
    return new Result(new Encoded(index, entry.build(), bytes, dropped), null);
  }

  static boolean validAttributeName(String name) {
    if (!ATTRIBUTE_NAME.matcher(name).matches() || name.contains("..")) {
      return false;
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return !lower.startsWith("aws.") && !lower.startsWith("amazon.");
  }

  static String groupId(String group) {
    if (group == null || group.isEmpty()) {
      return DEFAULT_GROUP;
    }
    return GROUP_ID.matcher(group).matches() ? group : DEFAULT_GROUP + "-" + sha256Hex(group);
  }

  static String deduplicationId(String key) {
    return sha256Hex(key);
  }

  static long attributeBytes(String name, String value) {
    return utf8(name) + STRING.length() + utf8(value);
  }

  private static Result rejected(String reason) {
    return new Result(null, new Verdict.Rejected(reason, false));
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType(STRING).stringValue(value).build();
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String sha256Hex(String s) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
