package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** A dead letter the broker refuses is tried again until it is taken: it is neither lost nor fatal. */
class DeadLettersTest {

    @Test
    void aRefusedDeadLetterIsTriedAgainUntilTheBrokerTakesIt() {
        AtomicInteger tries = new AtomicInteger();
        List<Message<String>> taken = new ArrayList<>();
        @SuppressWarnings("unchecked")
        MutinyEmitter<String> broker = (MutinyEmitter<String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { MutinyEmitter.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("sendMessage")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (tries.incrementAndGet() < 3) {
                        return Uni.createFrom().failure(new IllegalStateException("broker away"));
                    }
                    @SuppressWarnings("unchecked")
                    Message<String> message = (Message<String>) args[0];
                    taken.add(message);
                    return Uni.createFrom().voidItem();
                });
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();

        new DeadLetters(broker, metrics).send("pressroom.render.events.dlq", "rj_1", "{}", "invalid: why")
                .await().atMost(Duration.ofSeconds(20));

        assertThat(tries).hasValue(3);
        assertThat(taken).singleElement().satisfies(message -> {
            @SuppressWarnings("unchecked")
            OutgoingKafkaRecordMetadata<String> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                    .orElseThrow();
            assertThat(kafka.getTopic()).isEqualTo("pressroom.render.events.dlq");
            assertThat(kafka.getKey()).isEqualTo("rj_1");
            assertThat(new String(kafka.getHeaders().lastHeader(DeadLetters.REASON_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo("invalid: why");
        });
        assertThat(metrics.counter("pressroom.dead.letters", "topic", "pressroom.render.events.dlq").count())
                .isEqualTo(1);
    }
}
