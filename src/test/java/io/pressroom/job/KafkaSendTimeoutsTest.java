package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.config.PressroomConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Every producer (outbox relay, event publisher, dead letters) runs on the real broker with Pressroom's send bounds,
 * not Kafka's defaults (2 minutes to deliver, 1 minute blocked): a stalled broker fails a send in bounded time and
 * the sender tries again later.
 */
@QuarkusTest
class KafkaSendTimeoutsTest {

    @Inject
    KafkaClientService kafka;

    @Inject
    PressroomConfig config;

    @Test
    void everyProducerCarriesPressroomsSendTimeouts() {
        for (String channel : List.of("render-commands", "render-events", "dead-letters")) {
            Map<String, ?> producer = kafka.getProducer(channel).configuration();
            assertThat(String.valueOf(producer.get("delivery.timeout.ms"))).as(channel)
                    .isEqualTo(Integer.toString(config.kafka().deliveryTimeoutMs()));
            assertThat(String.valueOf(producer.get("request.timeout.ms"))).as(channel)
                    .isEqualTo(Integer.toString(config.kafka().requestTimeoutMs()));
            assertThat(String.valueOf(producer.get("max.block.ms"))).as(channel)
                    .isEqualTo(Integer.toString(config.kafka().maxBlockMs()));
        }
        // the senders' own bound (30 s) stays above Kafka's, so Kafka's error ends a send first
        assertThat(config.kafka().deliveryTimeoutMs() + config.kafka().maxBlockMs()).isLessThan(30_000);
        assertThat(config.kafka().requestTimeoutMs()).isLessThan(config.kafka().deliveryTimeoutMs());
    }
}
