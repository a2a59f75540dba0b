package org.q4mbridge.bridge.sink.sqs;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * What a failed SQS request (one that got no per-entry answer) means for its messages, after the
 * SDK's own retries.
 */
enum RequestFailure {
  /** No answer: connection refused or reset, timeout. Unknown; counts against health. */
  UNREACHABLE,
  /** SQS answered 5xx. Unknown; counts against health. */
  SERVER_ERROR,
  /** SQS kept throttling. Unknown (resend later); SQS is up, so health stays. */
  THROTTLED,
  /** The queue does not exist (deleted, wrong region or endpoint). Retriable rejection. */
  QUEUE_MISSING,
  /** Credentials, permissions or the queue's KMS key. Retriable rejection: an operator fixes it. */
  DENIED,
  /** Any other 4xx: SQS refused the request as sent. The sink isolates the entry that causes it. */
  REFUSED,
  /** Not an SDK failure (a bug): Unknown. */
  OTHER;

  private static final Set<String> DENIED_CODES =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "UnrecognizedClientException",
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidSecurity",
          "RequestExpired",
          "MissingAuthenticationToken",
          "IncompleteSignature",
          "KmsAccessDenied",
          "KmsDisabled",
          "KmsNotFound",
          "KmsInvalidState",
          "KmsInvalidKeyUsage",
          "KmsOptInRequired");

  private static final Set<String> MISSING_CODES =
      Set.of(
          "AWS.SimpleQueueService.NonExistentQueue",
          "QueueDoesNotExist",
          "AWS.SimpleQueueService.QueueDeletedRecently");

  static RequestFailure of(Throwable t) {
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
      return UNREACHABLE;
    }
    if (t instanceof SdkClientException) {
      return UNREACHABLE;
    }
    if (t instanceof QueueDoesNotExistException) {
      return QUEUE_MISSING;
    }
    if (t instanceof AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.isThrottlingException()) {
        return THROTTLED;
      }
      if (e.statusCode() >= 500) {
        return SERVER_ERROR;
      }
      if (code != null && MISSING_CODES.contains(code)) {
        return QUEUE_MISSING;
      }
      if (e.statusCode() == 401
          || e.statusCode() == 403
          || (code != null && DENIED_CODES.contains(code))) {
        return DENIED;
      }
      return REFUSED;
    }
    return OTHER;
  }

  /** True when the failure says nothing reached SQS or SQS itself is failing. */
  boolean unreachable() {
    return this == UNREACHABLE || this == SERVER_ERROR;
  }

  /** One line for verdicts and logs: the error code and message, never credentials. */
  static String describe(Throwable t) {
    if (t instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      String code = e.awsErrorDetails().errorCode();
      String message = e.awsErrorDetails().errorMessage();
      return (code == null ? "HTTP " + e.statusCode() : code)
          + (message == null ? "" : ": " + message);
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = t.getMessage();
    if (root != t && root.getMessage() != null && (m == null || !m.contains(root.getMessage()))) {
      m = (m == null ? "" : m + ": ") + root.getMessage();
    }
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
