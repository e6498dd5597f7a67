package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each Kafka consumer of the process (the tests run every role) shows on {@code /q/metrics} how many partitions it
 * has and how far behind it is, measured on the real broker.
 */
@QuarkusTest
class ConsumerMetricsTest {

    private static final List<String> CHANNELS = List.of("render-commands-in", "render-control-in", "render-events-in");

    @Test
    void everyConsumerReportsItsPartitionsAndItsLag() {
        TestProject project = Api.newProject();
        awaitTerminal(project, project.call().body(Map.of("html", "<p>consumed</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String channel : CHANNELS) {
                String label = "channel=\"" + channel + "\"";
                assertThat(Metrics.sum("pressroom_consumer_assigned_partitions", label)).as(channel)
                        .isGreaterThanOrEqualTo(1);
                assertThat(Metrics.sum("pressroom_consumer_lag", label)).as(channel).isFinite()
                        .isGreaterThanOrEqualTo(0);
            }
        });
    }

    @Test
    void commandsWaitingForABusyRendererShowAsLag() {
        TestProject project = Api.newProject();
        String commands = "channel=\"render-commands-in\"";
        // two render at once, a few more are buffered, the rest stay in Kafka: the consumer is paused, behind
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(project.call().body(Map.of("html", "<p>busy " + i + "</p>", "options", Map.of("waitDelayMs", 2000)))
                    .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id"));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(Metrics.sum("pressroom_consumer_lag", commands)).isPositive());
        } finally {
            jobs.forEach(id -> project.call().delete("/v1/render-jobs/" + id));
        }
        jobs.forEach(id -> awaitTerminal(project, id));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Metrics.sum("pressroom_consumer_lag", commands)).isZero());
    }
}
