package io.pressroom.common;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sets aside a message that can never be processed (unreadable, invalid, or failing for a reason no retry mends)
 * on its dead-letter topic, with the reason in a {@code pressroom-reason} header. Done by the consumers themselves
 * rather than by the connector's dead-letter strategy, because there a failed publish to the dead-letter topic
 * closes the consumer for good; here it is retried until the broker takes it, and the consumer waits.
 * <p>
 * Metric: {@code pressroom.dead.letters} by {@code topic}.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    public static final String REASON_HEADER = "pressroom-reason";

    private final MutinyEmitter<String> letters;
    private final MeterRegistry metrics;

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> letters, MeterRegistry metrics) {
        this.letters = letters;
        this.metrics = metrics;
    }

    /** Completes once the broker acknowledged the letter; never fails. */
    public Uni<Void> send(String topic, String key, String value, String reason) {
        LOG.warnf("Dead-lettering a message on %s (key %s): %s", topic, key, reason);
        return Uni.createFrom().deferred(() -> letters.sendMessage(letter(topic, key, value, reason)))
                .ifNoItem().after(Duration.ofSeconds(30)).fail()
                .onFailure().invoke(failure -> LOG.warnf("Could not dead-letter a message on %s yet: %s", topic,
                        failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .invoke(() -> metrics.counter("pressroom.dead.letters", "topic", topic).increment());
    }

    private static Message<String> letter(String topic, String key, String value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withTopic(topic)
                .withKey(key).withHeaders(headers).build());
    }
}
