package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Crashes, hangs and clean-up, end to end on the real pipeline. */
@QuarkusTest
class RenderFailuresTest {

    @Inject
    Pool database;

    @Inject
    ObjectStorage storage;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    private static List<ProcessHandle> chromiumProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chromium")).orElse(false))
                .toList();
    }

    @Test
    void chromiumKilledMidRenderEndsSucceededOnALaterAttempt() {
        String jobId = project.call().body(Map.of("html", "<h1>Survivor {{n}}</h1>", "payload", Map.of("n", 7),
                "options", Map.of("waitDelayMs", 4000))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "rendering".equals(
                project.call().get("/v1/render-jobs/" + jobId).then().extract().path("job.status")));
        List<ProcessHandle> killed = chromiumProcesses();
        assertThat(killed).isNotEmpty();
        killed.forEach(ProcessHandle::destroyForcibly);

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("job.attempt")).isGreaterThanOrEqualTo(2);
        assertThat(done.getInt("output.pageCount")).isEqualTo(1);
        // the killed browser is gone, not left as a zombie, and at most one browser runs now
        await().atMost(Duration.ofSeconds(10)).until(() -> killed.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(timeline(jobId)).containsSubsequence("created", "queued", "rendering", "retry_scheduled",
                "rendering", "succeeded");
    }

    @Test
    void javascriptThatNeverEndsFailsWithinItsBudgetAndTheRendererStaysHealthy() {
        long start = System.currentTimeMillis();
        String jobId = project.call().body(Map.of("html", "<p>spin</p><script>while (true) {}</script>",
                "options", Map.of("renderTimeoutMs", 3000))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("render_timeout_exceeded");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
        assertThat(System.currentTimeMillis() - start).isLessThan(20_000);

        String next = project.call().body(Map.of("html", "<p>after the storm</p>")).post("/v1/render-jobs")
                .then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, next).getString("job.status")).isEqualTo("succeeded");
    }

    @Test
    void templateErrorsFailWithoutRetry() {
        String jobId = project.call().body(Map.of("html", "<p>{{> header}}</p>")).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("template_error");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
    }

    @Test
    void aDocumentOverThePageLimitFailsWithoutRetry() {
        // pressroom.chromium.max-pages is 50 in tests
        String html = "{{#each pages}}<p style='page-break-after: always'>page {{this}}</p>{{/each}}";
        String jobId = project.call().body(Map.of("html", html, "payload", Map.of("pages", IntStream.rangeClosed(1, 51)
                .boxed().toList()))).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("output_too_large");
        assertThat(done.getString("job.errorMessage")).contains("more than 50 pages, the limit");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
    }

    @Test
    void aPageLargerThanThePaperCapFailsBeforeItIsPreviewed() {
        // pressroom.chromium.max-page-inches is 100: a 200 × 200 inch poster would be a 368-megapixel preview
        String poster = "<style>@page { size: 200in 200in }</style><p>poster</p>";
        String jobId = project.call().body(Map.of("html", poster, "formats", List.of("pdf", "png"), "options",
                Map.of("preferCssPageSize", true))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("output_too_large");
        assertThat(done.getString("job.errorMessage"))
                .isEqualTo("page 1 is 200.0 × 200.0 inches, larger than the limit of 100 inches a side");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
    }

    @Test
    void payloadsArePurgedOnceTheJobIsTerminal() {
        String big = "y".repeat(100_000);
        String jobId = project.call().body(Map.of("html", "<p>{{small}}</p>", "payload",
                Map.of("small", "kept out", "big", big))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        assertThat(storage.get("payloads/" + jobId + ".json")).isNotNull();
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        await().atMost(Duration.ofSeconds(10)).until(() -> storage.get("payloads/" + jobId + ".json") == null);
        var row = database.preparedQuery("SELECT payload IS NULL AS purged FROM render_jobs WHERE id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
        assertThat(row.getBoolean("purged")).isTrue();
        assertThat(timeline(jobId)).endsWith("succeeded", "payload_purged");
    }

    @Test
    void aJobWhoseCommandWasLostIsSentAgainByTheReaper() {
        // a queued job past its deadline with no command anywhere: what a lost Kafka message leaves behind
        String jobId = "rj_lost" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, inline_html, payload, file_name, requested_at,
                    deadline_at)
                VALUES ($1, $2, 'queued', '<p>lost and found</p>', '{}', 'lost', now(), now() - interval '1 second')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
    }

    @Test
    void aJobWhoseRendererWentAwayIsRetriedByTheReaper() {
        // rendering attempt 1 past its deadline, no renderer reporting: what a killed renderer or a database outage
        // during the render leaves behind; it counts as a crashed attempt and is retried
        String jobId = "rj_orphan" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, attempt, dispatched_attempt, inline_html, payload,
                    file_name, requested_at, started_at, deadline_at)
                VALUES ($1, $2, 'rendering', 1, 1, '<p>orphaned</p>', '{}', 'orphan', now(), now(),
                    now() - interval '1 second')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("job.attempt")).isEqualTo(2);
        assertThat(timeline(jobId)).containsSubsequence("retry_scheduled", "rendering", "succeeded");
    }

    private List<String> timeline(String jobId) {
        return database.preparedQuery("SELECT type FROM job_events WHERE job_id = $1 ORDER BY id")
                .execute(Tuple.of(jobId)).await().indefinitely().stream().map(r -> r.getString("type")).toList();
    }
}
