package io.pressroom.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.common.Contexts;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The retention sweeps on the real database and bucket: what is past its age goes, what is young or still in use
 * stays. Rows are aged by writing old timestamps; objects cannot be, so the orphan sweep runs with a safety age of
 * a few seconds.
 */
@QuarkusTest
class RetentionTest {

    private static final String DELETED = "pressroom_retention_deleted_total";

    @Inject
    Pool database;

    @Inject
    ObjectStorage storage;

    @Inject
    RetentionSweeper sweeper;

    @Inject
    OrphanSweeper orphans;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void rowsPastTheirAgeAreDeletedAndYoungOrLiveOnesKept() {
        // jobs: ended 100 days ago, ended 10 days ago, and live (queued, not due for a long time)
        String old = job("succeeded", "100 days");
        String recent = job("succeeded", "10 days");
        String live = job("queued", null);
        long oldCreated = event(old, "created", "100 days");
        long oldSucceeded = event(old, "succeeded", "100 days");
        long oldLateNote = event(old, "output_deleted", "1 day"); // added long after the end: young itself
        long recentEvent = event(recent, "succeeded", "10 days");
        long liveEvent = event(live, "created", "100 days");

        long sentLongAgo = outbox("now() - interval '2 hours'", "now() - interval '2 hours'");
        long sentJustNow = outbox("now() - interval '10 minutes'", "now() - interval '10 minutes'");
        long neverSent = outbox(null, "now() + interval '1 day'"); // an unsent row is never deleted, however old

        execute("""
                INSERT INTO idempotency_records (project_id, idempotency_key, request_hash, expires_at)
                VALUES ($1, 'expired', 'h', now() - interval '1 second'),
                    ($1, 'remembered', 'h', now() + interval '1 hour')""",
                project.id());

        String deliveredLongAgo = delivery(old, "delivered_at", "8 days");
        String abandonedLongAgo = delivery(old, "abandoned_at", "8 days");
        String deliveredYesterday = delivery(recent, "delivered_at", "1 day");
        String stillTrying = pendingDelivery(live);

        Map<String, Double> before = deletedByKind();
        sweepUntilDone();

        assertThat(ids("SELECT id FROM job_events WHERE job_id = ANY($1)", List.of(old, recent, live)))
                .containsExactlyInAnyOrder(oldLateNote, recentEvent, liveEvent)
                .doesNotContain(oldCreated, oldSucceeded);
        assertThat(ids("SELECT id FROM outbox WHERE id = ANY($1)", List.of(sentLongAgo, sentJustNow, neverSent)))
                .containsExactlyInAnyOrder(sentJustNow, neverSent);
        assertThat(strings("SELECT idempotency_key AS id FROM idempotency_records WHERE project_id = $1",
                project.id())).containsExactly("remembered");
        assertThat(strings("SELECT id FROM webhook_deliveries WHERE project_id = $1", project.id()))
                .containsExactlyInAnyOrder(deliveredYesterday, stillTrying)
                .doesNotContain(deliveredLongAgo, abandonedLongAgo);
        // the job records stay, only the history of the old one went
        assertThat(strings("SELECT id FROM render_jobs WHERE project_id = $1", project.id()))
                .containsExactlyInAnyOrder(old, recent, live);
        project.call().get("/v1/render-jobs/" + old).then().statusCode(200).body("job.status", equalTo("succeeded"));
        assertThat(project.call().get("/v1/render-jobs/" + old + "/events").then().statusCode(200).extract()
                .jsonPath().<String> getList("data.type")).containsExactly("output_deleted");
        Map<String, Double> after = deletedByKind();
        assertThat(after.get("job_events") - before.get("job_events")).isGreaterThanOrEqualTo(2);
        assertThat(after.get("outbox") - before.get("outbox")).isGreaterThanOrEqualTo(1);
        assertThat(after.get("idempotency_records") - before.get("idempotency_records")).isGreaterThanOrEqualTo(1);
        assertThat(after.get("webhook_deliveries") - before.get("webhook_deliveries")).isGreaterThanOrEqualTo(2);

        execute("DELETE FROM outbox WHERE id = $1", neverSent);
    }

    @Test
    void theEventStreamOfAJobWhoseTimelineWasSweptEndsAtOnce() throws Exception {
        String old = job("failed", "100 days");
        event(old, "created", "100 days");
        event(old, "failed", "100 days");
        sweepUntilDone();

        HttpResponse<String> stream = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/render-jobs/" + old + "/events"))
                .header("Authorization", "Bearer " + project.key()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).doesNotContain("event:");
    }

    @Test
    void orphanedObjectsOlderThanTheSafetyAgeAreDeletedAndEverythingInUseKept() {
        // an attached output with previews and its report
        String attachedJob = project.call().body(Map.of("html", "<p>kept</p>", "formats", List.of("pdf", "png")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        JsonPath done = awaitTerminal(attachedJob);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        Row attached = row("SELECT storage_key, report_key, report, preview_pages FROM render_outputs WHERE job_id = $1",
                attachedJob);
        String pdf = attached.getString("storage_key");
        assertThat(attached.getInteger("preview_pages")).isPositive();
        String preview = pdf.substring(0, pdf.lastIndexOf('/') + 1) + "page-1.png";
        // the report is kept with the output's row, not as an object of its own
        assertThat(attached.getValue("report")).isNotNull();
        assertThat(attached.getString("report_key")).isNull();
        // a twin render of the same job, never attached, left behind by a clean-up that did not happen
        String twin = "outputs/" + project.id() + "/" + attachedJob + "/1/rnd_twin/document.pdf";
        String twinReport = "outputs/" + project.id() + "/" + attachedJob + "/1/rnd_twin/report.json";
        // an output that expired while its files could not be deleted: they refer to nothing any more
        String expiredJob = project.call().body(Map.of("html", "<p>expired</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(expiredJob).getString("job.status")).isEqualTo("succeeded");
        Row expiredRow = row("SELECT storage_key FROM render_outputs WHERE job_id = $1", expiredJob);
        execute("UPDATE render_outputs SET state = 'expired', deleted_at = now() WHERE job_id = $1", expiredJob);
        // a payload stored for a create transaction that failed: no job at all
        String strayPayload = "payloads/rj_neverCreated" + System.nanoTime() + ".json";
        // a live job (queued a long time, a large backlog): its payload, and what a render of it already stored
        String live = job("queued", null);
        String livePayload = "payloads/" + live + ".json";
        execute("UPDATE render_jobs SET payload = NULL, payload_ref = $2 WHERE id = $1", live, livePayload);
        String liveRender = "outputs/" + project.id() + "/" + live + "/1/rnd_inflight/document.pdf";
        // outside outputs/ and payloads/: never looked at
        String template = "templates/" + project.id() + "/dpl_none/dv_none/index.html";

        for (String key : List.of(twin, twinReport, strayPayload, livePayload, liveRender, template)) {
            storage.put(key, "x".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        // S3 keeps whole seconds: wait until the newest of them is surely older than the 3 s safety age used below
        await().atMost(Duration.ofSeconds(15)).until(() -> storage.list("templates/" + project.id() + "/", null, 10)
                .objects().get(0).lastModified().isBefore(Instant.now().minusSeconds(5)));
        String youngOrphan = "outputs/" + project.id() + "/rj_young" + System.nanoTime() + "/1/rnd_young/document.pdf";
        storage.put(youngOrphan, "x".getBytes(StandardCharsets.UTF_8), "application/pdf");

        double outputsBefore = Metrics.sum(DELETED, "kind=\"output_objects\"");
        double payloadsBefore = Metrics.sum(DELETED, "kind=\"payload_objects\"");
        int deleted = Contexts.onNewContext(vertx, () -> orphans.sweep(Duration.ofSeconds(3), 1_000_000))
                .await().atMost(Duration.ofMinutes(2));

        for (String gone : List.of(twin, twinReport, strayPayload, expiredRow.getString("storage_key"))) {
            assertThat(storage.get(gone)).as(gone).isNull();
        }
        for (String kept : List.of(pdf, preview, livePayload, liveRender, template, youngOrphan)) {
            assertThat(storage.get(kept)).as(kept).isNotNull();
        }
        assertThat(deleted).isGreaterThanOrEqualTo(4);
        assertThat(Metrics.sum(DELETED, "kind=\"output_objects\"") - outputsBefore).isGreaterThanOrEqualTo(3);
        assertThat(Metrics.sum(DELETED, "kind=\"payload_objects\"") - payloadsBefore).isGreaterThanOrEqualTo(1);
        // the attached output still serves
        project.call().get("/v1/render-jobs/" + attachedJob + "/output/pages/1.png").then().statusCode(200);
        project.call().get("/v1/render-jobs/" + attachedJob + "/report").then().statusCode(200);

        storage.delete(template);
    }

    @Test
    void aBoundedOrphanSweepGoesOnWhereTheLastOneStopped() {
        String prefix = "payloads/rj_bounded" + System.nanoTime();
        List<String> keys = List.of(prefix + "a.json", prefix + "b.json", prefix + "c.json");
        for (String key : keys) {
            storage.put(key, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> storage.list(prefix, null, 10).objects().stream()
                .allMatch(o -> o.lastModified().isBefore(Instant.now().minusSeconds(3))));
        // one object per run: each run takes the next key, whatever else the bucket holds before them
        for (int run = 0; run < 100_000 && keys.stream().anyMatch(key -> storage.get(key) != null); run++) {
            int deleted = Contexts.onNewContext(vertx, () -> orphans.sweep(Duration.ofSeconds(2), 1))
                    .await().atMost(Duration.ofSeconds(30));
            assertThat(deleted).isLessThanOrEqualTo(1);
        }
        assertThat(keys).allSatisfy(key -> assertThat(storage.get(key)).as(key).isNull());
    }

    /**
     * The hidden copy of an estimate or a preview is deleted when its answer is read; one its API pod abandoned goes
     * after pressroom.retention.hidden-copy-age (1 h), a younger one (still awaited) and every visible job stay.
     */
    @Test
    void abandonedHiddenCopiesAreDeletedAndYoungOnesKept() {
        String abandoned = job("succeeded", "100 days");
        String awaited = job("queued", null);
        String visible = job("succeeded", "100 days");
        event(abandoned, "created", "100 days");
        execute("UPDATE render_jobs SET estimate = true, test = true WHERE id = $1 OR id = $2", abandoned, awaited);
        execute("UPDATE render_jobs SET requested_at = now() - interval '1 minute' WHERE id = $1", awaited);
        double before = Metrics.sum(DELETED, "kind=\"hidden_copies\"");

        sweepUntilDone();

        assertThat(strings("SELECT id FROM render_jobs WHERE project_id = $1", project.id()))
                .containsExactlyInAnyOrder(awaited, visible);
        assertThat(ids("SELECT id FROM job_events WHERE job_id = ANY($1)", List.of(abandoned))).isEmpty();
        assertThat(Metrics.sum(DELETED, "kind=\"hidden_copies\"") - before).isGreaterThanOrEqualTo(1);
    }

    /**
     * A batch's merged PDF older than pressroom.retention.batch-output-age (7 d) is marked deleted and its object
     * removed; a younger zip of the same batch stays, row and object.
     */
    @Test
    void batchOutputsAreDeletedAfterTheirAgeAndYoungOnesKept() {
        String batchId = "rb_retention" + System.nanoTime();
        execute("""
                INSERT INTO render_batches (id, project_id, deploy_id, deploy_version_id, status, item_count, merge, zip,
                    created_at, finished_at, updated_at)
                VALUES ($1, $2, 'dpl_x', 'dv_x', 'succeeded', 1, true, true, now() - interval '30 days',
                    now() - interval '30 days', now() - interval '30 days')""", batchId, project.id());
        String oldKey = "batches/" + batchId + "/merged.pdf";
        String youngKey = "batches/" + batchId + "/items.zip";
        storage.put(oldKey, "%PDF".getBytes(StandardCharsets.UTF_8), "application/pdf");
        storage.put(youngKey, "PK".getBytes(StandardCharsets.UTF_8), "application/zip");
        execute("""
                INSERT INTO batch_outputs (id, batch_id, project_id, kind, storage_key, file_name, content_type, bytes,
                    sha256, created_at)
                VALUES ($1, $2, $3, 'merged', $4, 'merged.pdf', 'application/pdf', 4, 'x', now() - interval '8 days')""",
                "bo_old" + System.nanoTime(), batchId, project.id(), oldKey);
        execute("""
                INSERT INTO batch_outputs (id, batch_id, project_id, kind, storage_key, file_name, content_type, bytes,
                    sha256, created_at)
                VALUES ($1, $2, $3, 'zip', $4, 'items.zip', 'application/zip', 2, 'x', now() - interval '6 days')""",
                "bo_young" + System.nanoTime(), batchId, project.id(), youngKey);
        double before = Metrics.sum(DELETED, "kind=\"batch_outputs\"");

        sweepUntilDone();

        assertThat(strings("SELECT kind || ':' || state AS id FROM batch_outputs WHERE batch_id = $1", batchId))
                .containsExactlyInAnyOrder("merged:deleted", "zip:available");
        assertThat(storage.get(oldKey)).isNull();
        assertThat(storage.get(youngKey)).isNotNull();
        assertThat(Metrics.sum(DELETED, "kind=\"batch_outputs\"") - before).isGreaterThanOrEqualTo(1);
    }

    private static Map<String, Double> deletedByKind() {
        return Map.of("job_events", Metrics.sum(DELETED, "kind=\"job_events\""),
                "outbox", Metrics.sum(DELETED, "kind=\"outbox\""),
                "idempotency_records", Metrics.sum(DELETED, "kind=\"idempotency_records\""),
                "webhook_deliveries", Metrics.sum(DELETED, "kind=\"webhook_deliveries\""));
    }

    private void sweepUntilDone() {
        for (int i = 0; i < 1000; i++) {
            if (!Contexts.onNewContext(vertx, sweeper::sweep).await().atMost(Duration.ofSeconds(30))) {
                return;
            }
        }
        throw new AssertionError("the sweep never finished");
    }

    /** A job of the test project, in {@code status}, ended {@code endedAgo} ago (an SQL interval) when terminal. */
    private String job(String status, String endedAgo) {
        String id = "rj_retention" + System.nanoTime();
        execute("""
                INSERT INTO render_jobs (id, project_id, status, inline_html, payload, file_name, requested_at,
                    finished_at, deadline_at)
                VALUES ($1, $2, $3, '<p>x</p>', '{}', 'x', now() - interval '100 days',
                    now() - CAST(CAST($4 AS text) AS interval),
                    CASE WHEN $4 IS NULL THEN now() + interval '1 hour' END)""",
                id, project.id(), status, endedAgo);
        return id;
    }

    private long event(String jobId, String type, String ago) {
        return row("""
                INSERT INTO job_events (job_id, type, at) VALUES ($1, $2, now() - CAST(CAST($3 AS text) AS interval))
                RETURNING id""", jobId, type, ago).getLong("id");
    }

    private long outbox(String sentAt, String availableAt) {
        return row("""
                INSERT INTO outbox (topic, message_key, payload, created_at, available_at, sent_at)
                VALUES ('pressroom.test.retention', 'k', '{}', now() - interval '2 days', %s, %s) RETURNING id"""
                .formatted(availableAt, sentAt == null ? "NULL" : sentAt)).getLong("id");
    }

    /** A delivery of {@code jobId} that finished ({@code column} set) {@code ago}. */
    private String delivery(String jobId, String column, String ago) {
        String id = "whd_retention" + System.nanoTime();
        execute("""
                INSERT INTO webhook_deliveries (id, job_id, project_id, url, event_type, body, created_at, %s)
                VALUES ($1, $2, $3, 'http://127.0.0.1:9/hook', 'job.succeeded', '{}', now() - interval '30 days',
                    now() - CAST(CAST($4 AS text) AS interval))""".formatted(column), id, jobId, project.id(), ago);
        return id;
    }

    /** A delivery of {@code jobId} still being tried, its next try far off. */
    private String pendingDelivery(String jobId) {
        String id = "whd_retention" + System.nanoTime();
        execute("""
                INSERT INTO webhook_deliveries (id, job_id, project_id, url, event_type, body, created_at,
                    next_attempt_at)
                VALUES ($1, $2, $3, 'http://127.0.0.1:9/hook', 'job.succeeded', '{}', now() - interval '30 days',
                    now() + interval '1 day')""", id, jobId, project.id());
        return id;
    }

    private JsonPath awaitTerminal(String jobId) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200)
                        .extract().jsonPath(),
                        job -> List.of("succeeded", "failed", "cancelled").contains(job.getString("job.status")));
    }

    private void execute(String sql, Object... parameters) {
        database.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely();
    }

    private Row row(String sql, Object... parameters) {
        return database.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely().iterator().next();
    }

    private Set<Long> ids(String sql, List<?> values) {
        Object array = values.get(0) instanceof String ? values.toArray(String[]::new)
                : values.stream().map(Long.class::cast).toArray(Long[]::new);
        return Set.copyOf(database.preparedQuery(sql).execute(Tuple.of(array)).await().indefinitely().stream()
                .map(r -> r.getLong("id")).toList());
    }

    private List<String> strings(String sql, String parameter) {
        return database.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().stream()
                .map(r -> r.getString("id")).toList();
    }
}
