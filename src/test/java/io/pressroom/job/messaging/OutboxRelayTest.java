package io.pressroom.job.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which send failures set an outbox row aside for good, and which are tried again later. */
class OutboxRelayTest {

    @Test
    void aRecordKafkaCanNeverTakeIsPermanentWhereverItIsWrapped() {
        assertThat(OutboxRelay.permanent(new RecordTooLargeException("too large"))).isTrue();
        assertThat(OutboxRelay.permanent(new CompletionException(new KafkaException(new RecordTooLargeException(
                "too large"))))).isTrue();
        assertThat(OutboxRelay.permanent(new InvalidTopicException("bad topic"))).isTrue();
    }

    @Test
    void passingTroubleAndOperatorFixableFailuresAreRetried() {
        assertThat(OutboxRelay.permanent(new TimeoutException("broker away"))).isFalse();
        assertThat(OutboxRelay.permanent(new NotLeaderOrFollowerException("moved"))).isFalse();
        assertThat(OutboxRelay.permanent(new TopicAuthorizationException("no ACL"))).isFalse();
        // our own send timeout (no answer in time) and anything unknown
        assertThat(OutboxRelay.permanent(new io.smallrye.mutiny.TimeoutException())).isFalse();
        assertThat(OutboxRelay.permanent(new IllegalStateException("?"))).isFalse();
    }
}
