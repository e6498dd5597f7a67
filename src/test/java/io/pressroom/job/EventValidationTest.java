package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.Topics;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.KafkaMessages;
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

    @Inject
    ObjectStorage storage;

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

        // same key, same partition: the valid event waits behind the invalid one
        KafkaMessages.send(bootstrapServers, Topics.EVENTS, jobId, invalid, valid);

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
        KafkaMessages.send(bootstrapServers, Topics.commands("default"), jobId, command);

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("internal_error");
        assertThat(done.getString("job.errorMessage")).contains("render command", "schemaVersion 1");
        assertThat(deadLettered(Topics.COMMANDS_DLQ, jobId)).singleElement()
                .satisfies(value -> assertThat(value).contains("reason: invalid"));
    }

    @Test
    void anOutputOutsideTheAttemptsPrefixOrNotAPdfFailsTheAttemptAndIsNeitherAttachedNorDeleted() throws Exception {
        TestProject project = Api.newProject();
        TestProject victim = Api.newProject();
        // another project's object, which a forged event names as this job's output
        String foreign = "outputs/" + victim.id() + "/rj_victim/1/r/secret.pdf";
        storage.put(foreign, "%PDF-victim".getBytes(StandardCharsets.UTF_8), "application/pdf");
        String ownPrefix;
        for (String[] forged : new String[][] { { "foreign", "application/pdf" }, { "own", "text/html" } }) {
            String jobId = renderingJob(project, 1);
            ownPrefix = "outputs/" + project.id() + "/" + jobId + "/1/r/";
            String key = "foreign".equals(forged[0]) ? foreign : ownPrefix + "page.pdf";
            if ("own".equals(forged[0])) {
                storage.put(key, "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), "text/html");
            }
            KafkaMessages.send(bootstrapServers, Topics.EVENTS, jobId, succeeded(project.id(), jobId, key, forged[1],
                    ownPrefix + "report.json"));

            JsonPath done = awaitTerminal(project, jobId);
            assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
            assertThat(done.getString("job.errorCode")).isEqualTo("internal_error");
            assertThat(done.getString("job.errorMessage")).contains("does not accept");
            assertThat(done.getString("output")).isNull();
            project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(404);
            assertThat(storage.size(key)).as("the API never deletes what it did not accept").isPositive();
        }
        assertThat(storage.size(foreign)).isPositive();
    }

    @Test
    void anEventNamingAnotherProjectIsNotAppliedToTheJob() throws Exception {
        TestProject project = Api.newProject();
        TestProject other = Api.newProject();
        String jobId = renderingJob(project, 3);
        // a key under the other project's prefix passes the prefix check only for that project: not this job's
        String key = "outputs/" + other.id() + "/" + jobId + "/1/r/x.pdf";
        storage.put(key, "%PDF-other".getBytes(StandardCharsets.UTF_8), "application/pdf");
        String failed = """
                {"type": "failed", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1, "at": %d,
                 "errorCode": "template_error", "errorMessage": "played by the test", "retryable": false}"""
                .formatted(jobId, project.id(), System.currentTimeMillis());
        KafkaMessages.send(bootstrapServers, Topics.EVENTS, jobId, succeeded(other.id(), jobId, key,
                "application/pdf", null), failed);

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("template_error");
        assertThat(done.getString("output")).isNull();
        assertThat(storage.size(key)).isPositive();
    }

    /** A job of the project rendering attempt 1 on a renderer only the test plays (no command was ever sent). */
    private String renderingJob(TestProject project, int maxAttempts) {
        String jobId = "rj_trust" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, attempt, dispatched_attempt, max_attempts,
                    inline_html, payload, file_name, requested_at, started_at, deadline_at)
                VALUES ($1, $2, 'rendering', 1, 1, $3, '<p>x</p>', '{}', 'x', now(), now(),
                    now() + interval '1 hour')""")
                .execute(Tuple.of(jobId, project.id(), maxAttempts)).await().indefinitely();
        return jobId;
    }

    private static String succeeded(String projectId, String jobId, String key, String contentType,
            String reportKey) {
        return """
                {"type": "succeeded", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1, "at": %d,
                 "output": {"storageKey": "%s", "format": "pdf", "contentType": "%s", "bytes": 11, "pageCount": 1,
                 "sha256": "00", "reportKey": %s, "previewPages": 0, "previewBytes": 0}}"""
                .formatted(jobId, projectId, System.currentTimeMillis(), key, contentType,
                        reportKey == null ? "null" : "\"" + reportKey + "\"");
    }

    private List<String> deadLettered(String jobId) {
        return deadLettered(Topics.EVENTS_DLQ, jobId);
    }

    private List<String> deadLettered(String topic, String jobId) {
        return KafkaMessages.awaitRecords(bootstrapServers, topic, record -> jobId.equals(record.key())).stream()
                .map(record -> record.value() + " reason: " + new String(
                        record.headers().lastHeader("pressroom-reason").value(), StandardCharsets.UTF_8))
                .toList();
    }
}
