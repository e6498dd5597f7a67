package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.StorageKeys;
import io.pressroom.contract.Topics;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.KafkaMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Render commands stay small enough for Kafka, and one that Kafka refuses never holds up the others (issue 11,
 * point 1): large inline html travels by reference, a command over {@code pressroom.jobs.max-command-bytes} is 413,
 * string options have caps, and the relay sets an unsendable outbox row aside and fails its job.
 */
@QuarkusTest
class CommandLimitsTest {

    @Inject
    Pool database;

    @Inject
    ObjectStorage storage;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aLargeInlineHtmlIsStoredByReferenceAndRenders() {
        TestProject project = Api.newProject();
        String html = "<html><body><p>Hello {{name}}</p><!-- " + "x".repeat(1_500_000) + " --></body></html>";
        String jobId = project.call().body(Map.of("html", html, "payload", Map.of("name", "Ada")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("output.pageCount")).isEqualTo(1);
        Row row = database.preparedQuery("SELECT inline_html, html_ref FROM render_jobs WHERE id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
        assertThat(row.getString("inline_html")).isNull();
        assertThat(row.getString("html_ref")).isEqualTo(StorageKeys.html(jobId));
        // deleted with the payload once the job ended
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> storage.get(StorageKeys.html(jobId)) == null);
    }

    @Test
    void aCreateWhoseCommandWouldBeTooLargeIs413AndCreatesNothing() {
        TestProject project = Api.newProject();
        // within every field's cap, but JSON escapes each control character as six bytes
        String template = "\u0001".repeat(20_000);
        project.call().body(Map.of("html", "<p>x</p>", "payload", Map.of("text", "y".repeat(40_000)),
                "options", Map.of("headerTemplate", template, "footerTemplate", template)))
                .post("/v1/render-jobs").then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("render command would be"));
        List<?> jobs = project.call().get("/v1/render-jobs").then().statusCode(200).extract().path("data");
        assertThat(jobs).isEmpty();
    }

    @Test
    void overlongStringOptionsAre400NamingTheField() {
        TestProject project = Api.newProject();
        project.call().body(Map.of("html", "<p>x</p>", "options", Map.of("pageRanges", "1,".repeat(150) + "1")))
                .post("/v1/render-jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("options.pageRanges: size must be between 0 and 200"));
        project.call().body(Map.of("html", "<p>x</p>", "options",
                Map.of("margin", Map.of("top", "1".repeat(30) + "mm"))))
                .post("/v1/render-jobs").then().statusCode(400)
                .body("detail", containsString("options.margin.top: size must be between 0 and 20"));
    }

    @Test
    void anUnsendableCommandIsSetAsideAndFailsItsJobWhileLaterCommandsAndCancelsGoThrough() {
        TestProject project = Api.newProject();
        String stuck = queuedJob(project, "rj_unsendable");
        String toCancel = queuedJob(project, "rj_cancelme");
        // the command of `stuck` as a row the broker can never take: over the producer's 1 MiB max.request.size
        JsonObject oversized = new JsonObject(Map.of("type", "render", "schemaVersion", 2, "jobId", stuck,
                "projectId", project.id(), "attempt", 1, "inlineHtml", "x".repeat(1_200_000)));
        database.preparedQuery("INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)")
                .execute(Tuple.of(Topics.commands("default"), stuck, oversized)).await().indefinitely();

        // behind it: a new job's command and a cancel
        String later = project.call().body(Map.of("html", "<p>later</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        project.call().delete("/v1/render-jobs/" + toCancel).then().statusCode(204);

        JsonPath rendered = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> project.call().get("/v1/render-jobs/" + later).then().extract().jsonPath(),
                        job -> "succeeded".equals(job.getString("job.status")));
        assertThat(rendered.getString("job.status")).isEqualTo("succeeded");
        // the row sent beside the unsendable one is marked sent, once: it is not sent again at every poll
        Row sent = outboxRow(later);
        assertThat(sent.getLocalDateTime("sent_at")).isNotNull();
        assertThat(sent.getInteger("attempts")).isEqualTo(1);
        assertThat(KafkaMessages.awaitRecords(bootstrapServers, Topics.CONTROL,
                record -> toCancel.equals(record.key()))).isNotEmpty();

        JsonPath failed = awaitTerminal(project, stuck);
        assertThat(failed.getString("job.status")).as(failed.prettify()).isEqualTo("failed");
        assertThat(failed.getString("job.errorCode")).isEqualTo("internal_error");
        assertThat(failed.getString("job.errorMessage")).contains("could not be sent", "larger than Kafka accepts");

        Row dead = outboxRow(stuck);
        assertThat(dead.getLocalDateTime("dead_at")).isNotNull();
        assertThat(dead.getLocalDateTime("sent_at")).isNull();
        assertThat(dead.getString("last_error")).contains("RecordTooLargeException");
    }

    private String queuedJob(TestProject project, String prefix) {
        String jobId = prefix + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, attempt, dispatched_attempt, inline_html, payload,
                    file_name, requested_at, deadline_at)
                VALUES ($1, $2, 'queued', 0, 1, '<p>x</p>', '{}', 'x', now(), now() + interval '1 hour')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        return jobId;
    }

    private Row outboxRow(String jobId) {
        return database.preparedQuery("""
                SELECT sent_at, dead_at, last_error, attempts FROM outbox
                WHERE message_key = $1 AND topic LIKE 'pressroom.render.commands.%' ORDER BY id LIMIT 1""")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
    }
}
