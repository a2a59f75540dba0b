package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.q4mbridge.bridge.sink.sqs.ScriptedSqsClient.error;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** What a failed request means for its messages and for health. */
class RequestFailureTest {

  @Test
  void noAnswerAndServerErrorsCountAgainstHealth() {
    assertThat(RequestFailure.of(SdkClientException.create("refused", new ConnectException())))
        .isEqualTo(RequestFailure.UNREACHABLE);
    assertThat(RequestFailure.of(ApiCallTimeoutException.create(1000)))
        .isEqualTo(RequestFailure.UNREACHABLE);
    assertThat(RequestFailure.of(error(500, "InternalError")))
        .isEqualTo(RequestFailure.SERVER_ERROR);
    assertThat(RequestFailure.UNREACHABLE.unreachable()).isTrue();
    assertThat(RequestFailure.SERVER_ERROR.unreachable()).isTrue();
    assertThat(RequestFailure.THROTTLED.unreachable()).isFalse();
  }

  @Test
  void answersFromSqsAreClassifiedByStatusAndCode() {
    assertThat(RequestFailure.of(error(400, "ThrottlingException")))
        .isEqualTo(RequestFailure.THROTTLED);
    assertThat(RequestFailure.of(error(400, "RequestThrottled")))
        .isEqualTo(RequestFailure.THROTTLED);
    assertThat(RequestFailure.of(QueueDoesNotExistException.builder().statusCode(400).build()))
        .isEqualTo(RequestFailure.QUEUE_MISSING);
    assertThat(RequestFailure.of(error(400, "AWS.SimpleQueueService.NonExistentQueue")))
        .isEqualTo(RequestFailure.QUEUE_MISSING);
    assertThat(RequestFailure.of(error(403, "AccessDenied"))).isEqualTo(RequestFailure.DENIED);
    assertThat(RequestFailure.of(error(400, "KmsAccessDenied"))).isEqualTo(RequestFailure.DENIED);
    assertThat(RequestFailure.of(error(400, "InvalidParameterValue")))
        .isEqualTo(RequestFailure.REFUSED);
    assertThat(RequestFailure.of(new IllegalStateException("bug"))).isEqualTo(RequestFailure.OTHER);
  }

  @Test
  void theDescriptionIsCodeAndMessageOrTheRootCauseOnOneLine() {
    assertThat(RequestFailure.describe(error(403, "AccessDenied")))
        .isEqualTo("AccessDenied: scripted AccessDenied");
    assertThat(
            RequestFailure.describe(
                SdkClientException.create(
                    "Unable to execute HTTP request", new ConnectException("Connection refused"))))
        .isEqualTo("Unable to execute HTTP request: Connection refused");
  }
}
