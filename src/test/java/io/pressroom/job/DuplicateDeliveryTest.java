package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.common.Hashes;
import io.pressroom.contract.Topics;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.KafkaMessages;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * At-least-once delivery, exactly one output: a command delivered again is not rendered again, and a second render
 * of an attempt (from a renderer that did not know the first) is discarded with everything it stored, never
 * attached over the first, never brought back after a delete.
 */
@QuarkusTest
class DuplicateDeliveryTest {

    @Inject
    Pool database;

    @Inject
    ObjectStorage storage;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void aCommandDeliveredAgainIsNotRenderedAgainAndTheAttachedPdfStaysAsRecorded() throws Exception {
        String jobId = succeededJob();
        Row output = output(jobId);
        double duplicates = Metrics.sum("pressroom_render_commands_total", "outcome=\"duplicate\"");

        send(Topics.commands("default"), jobId, command(jobId));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.sum("pressroom_render_commands_total", "outcome=\"duplicate\"") > duplicates);
        Row after = output(jobId);
        assertThat(after.getString("id")).isEqualTo(output.getString("id"));
        assertThat(Hashes.sha256Hex(storage.get(after.getString("storage_key"))))
                .isEqualTo(after.getString("sha256"));
    }

    @Test
    void aCommandOfAnAttemptTheRendererHasSeenOvertakenIsSkipped() throws Exception {
        // a job of its own that only this test drives: attempt 2 arrives first, then the stale attempt 1
        String command = command(succeededJob());
        String jobId = "rj_stale" + System.nanoTime();
        String first = command.replaceAll("\"jobId\"\\s*:\\s*\"[^\"]+\"", "\"jobId\": \"" + jobId + "\"");
        String second = first.replaceAll("\"attempt\"\\s*:\\s*1\\b", "\"attempt\": 2");
        assertThat(second).contains(jobId).contains("\"attempt\": 2");
        double rendered = Metrics.sum("pressroom_render_commands_total", "outcome=\"succeeded\"");
        double stale = Metrics.sum("pressroom_render_commands_total", "outcome=\"stale\"");

        send(Topics.commands("default"), jobId, second);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.sum("pressroom_render_commands_total", "outcome=\"succeeded\"") > rendered);
        send(Topics.commands("default"), jobId, first);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.sum("pressroom_render_commands_total", "outcome=\"stale\"") > stale);
    }

    @Test
    void aSecondRenderOfTheSameAttemptIsDiscardedWithItsPreviewsAndReport() throws Exception {
        String jobId = succeededJob();
        Row attached = output(jobId);
        String twinPdf = attached.getString("storage_key").replaceFirst("/1/[^/]+/", "/1/twin/");
        List<String> twin = List.of(twinPdf, twinPdf.replaceFirst("[^/]+\\.pdf$", "page-1.png"),
                twinPdf.replaceFirst("[^/]+\\.pdf$", "report.json"));
        twin.forEach(key -> storage.put(key, "twin".getBytes(), "application/octet-stream"));

        send(Topics.EVENTS, jobId, succeeded(jobId, twinPdf));

        await().atMost(Duration.ofSeconds(30)).until(() -> twin.stream().allMatch(key -> storage.get(key) == null));
        Row after = output(jobId);
        assertThat(after.getString("storage_key")).isEqualTo(attached.getString("storage_key"));
        assertThat(Hashes.sha256Hex(storage.get(after.getString("storage_key"))))
                .isEqualTo(attached.getString("sha256"));
    }

    @Test
    void aDeletedOutputIsNotBroughtBackByALateTwin() throws Exception {
        String jobId = succeededJob();
        Row attached = output(jobId);
        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(204);
        String twinPdf = attached.getString("storage_key").replaceFirst("/1/[^/]+/", "/1/late/");
        storage.put(twinPdf, "late".getBytes(), "application/pdf");

        send(Topics.EVENTS, jobId, succeeded(jobId, twinPdf));

        await().atMost(Duration.ofSeconds(30)).until(() -> storage.get(twinPdf) == null);
        assertThat(storage.get(attached.getString("storage_key"))).isNull();
        project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200)
                .body("output.state", org.hamcrest.Matchers.equalTo("deleted"));
    }

    private String succeededJob() {
        String jobId = project.call().body(Map.of("html", "<h1>Once {{n}}</h1>", "payload", Map.of("n", 1),
                "formats", List.of("pdf", "png"))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        return jobId;
    }

    private Row output(String jobId) {
        return database.preparedQuery("SELECT id, storage_key, sha256 FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
    }

    private String command(String jobId) {
        return database.preparedQuery("""
                SELECT CAST(payload AS text) AS command FROM outbox
                WHERE topic LIKE 'pressroom.render.commands.%' AND payload->>'jobId' = $1""")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next().getString("command");
    }

    private String succeeded(String jobId, String pdfKey) {
        String reportKey = pdfKey.replaceFirst("[^/]+\\.pdf$", "report.json");
        return """
                {"type": "succeeded", "schemaVersion": 1, "jobId": "%s", "projectId": "%s", "attempt": 1, "at": %d,
                 "output": {"storageKey": "%s", "format": "pdf", "contentType": "application/pdf", "bytes": 4,
                            "pageCount": 1, "sha256": "%s", "reportKey": "%s", "previewPages": 1,
                            "previewBytes": 4}}"""
                .formatted(jobId, project.id(), System.currentTimeMillis(), pdfKey, "0".repeat(64), reportKey);
    }

    private void send(String topic, String key, String value) throws Exception {
        KafkaMessages.send(bootstrapServers, topic, key, value);
    }
}
