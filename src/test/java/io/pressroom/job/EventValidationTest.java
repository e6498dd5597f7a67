package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.Topics;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Messages are checked on receipt: an event that cannot be applied is dead-lettered and holds nothing up; a command
 * the renderer cannot use is dead-lettered and its job fails, saying why, rather than waiting forever.
 */
@QuarkusTest
class EventValidationTest {

    @Inject
    Pool database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void anInvalidEventIsDeadLetteredAndTheNextEventOfTheJobStillApplies() throws Exception {
        TestProject project = Api.newProject();
        // a job rendering attempt 1 on a renderer that only this test plays (no command was ever sent)
        String jobId = "rj_events" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, attempt, dispatched_attempt, inline_html, payload,
                    file_name, requested_at, started_at, deadline_at)
                VALUES ($1, $2, 'rendering', 1, 1, '<p>x</p>', '{}', 'x', now(), now(), now() + interval '1 hour')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        String invalid = """
                {"type": "succeeded", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1,
                 "at": %d}""".formatted(jobId, project.id(), System.currentTimeMillis());
        String valid = """
                {"type": "failed", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1, "at": %d,
                 "errorCode": "template_error", "errorMessage": "played by the test", "retryable": false}"""
                .formatted(jobId, project.id(), System.currentTimeMillis());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            // same key, same partition: the valid event waits behind the invalid one
            producer.send(new ProducerRecord<>(Topics.EVENTS, jobId, invalid)).get();
            producer.send(new ProducerRecord<>(Topics.EVENTS, jobId, valid)).get();
        }

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("template_error");
        assertThat(done.getString("output")).isNull();
        assertThat(deadLettered(jobId)).singleElement().satisfies(value -> assertThat(value).contains("succeeded")
                .contains("reason: invalid: a succeeded event needs its output"));
    }

    @Test
    void aCommandTheRendererCannotUseFailsItsJobInsteadOfLeavingItQueued() throws Exception {
        TestProject project = Api.newProject();
        String jobId = "rj_skew" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, attempt, dispatched_attempt, inline_html, payload,
                    file_name, requested_at, deadline_at)
                VALUES ($1, $2, 'queued', 0, 1, '<p>x</p>', '{}', 'x', now(), now() + interval '1 hour')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        // what an API of an older version would send: schema 1, no render budget
        String command = """
                {"type": "render", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1,
                 "inlineHtml": "<p>x</p>", "options": {}, "fileName": "x", "requestedAt": 0}"""
                .formatted(jobId, project.id());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.commands("default"), jobId, command)).get();
        }

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("internal_error");
        assertThat(done.getString("job.errorMessage")).contains("render command", "schemaVersion 1");
        assertThat(deadLettered(Topics.COMMANDS_DLQ, jobId)).singleElement()
                .satisfies(value -> assertThat(value).contains("reason: invalid"));
    }

    private List<String> deadLettered(String jobId) {
        return deadLettered(Topics.EVENTS_DLQ, jobId);
    }

    private List<String> deadLettered(String topic, String jobId) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (jobId.equals(record.key())) {
                        found.add(record.value() + " reason: " + new String(
                                record.headers().lastHeader("pressroom-reason").value(),
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                });
                return !found.isEmpty();
            });
            return found;
        }
    }
}
