package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.job.service.JobWaits;
import io.pressroom.job.service.JobWatcher;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.NotificationConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Sync wait and the live timeline, woken through PostgreSQL LISTEN/NOTIFY. */
@QuarkusTest
class JobWaitingTest {

    @Inject
    Pool database;

    @Inject
    JobWaits waits;

    @Inject
    JobWatcher watcher;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void syncWaitAnswers200WithTheFinishedJob() {
        long start = System.currentTimeMillis();
        project.call().queryParam("sync", true).body(Map.of("html", "<p>{{x}}</p>", "payload", Map.of("x", "now")))
                .post("/v1/render-jobs").then().statusCode(200)
                .body("job.status", equalTo("succeeded"), "output.pageCount", equalTo(1), "pdf.id", notNullValue());
        assertThat(System.currentTimeMillis() - start).isLessThan(15_000);
    }

    @Test
    void syncWaitAnswers200EvenWhenTheJobFailed() {
        project.call().queryParam("sync", true).body(Map.of("html", "<p>{{> missing}}</p>"))
                .post("/v1/render-jobs").then().statusCode(200)
                .body("job.status", equalTo("failed"), "job.errorCode", equalTo("template_error"));
    }

    @Test
    void aSyncValueOtherThanTrueOrFalseIsRefusedAndQueuesNothing() {
        // read as false, ?sync=yes would answer 202 and leave the client that asked to wait with a queued job
        for (String unclear : List.of("yes", "1")) {
            project.call().queryParam("sync", unclear).body(Map.of("html", "<p>x</p>")).post("/v1/render-jobs").then()
                    .statusCode(400).body("code", equalTo("invalid_request"),
                            "detail", equalTo("sync: must be true or false"));
        }
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data", equalTo(List.of()));
    }

    @Test
    void waitAnswers202WhenTheDeadlinePassesFirst() {
        long start = System.currentTimeMillis();
        project.call().queryParam("wait", 1).body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 4000)))
                .post("/v1/render-jobs").then().statusCode(202).body("job.status", equalTo("queued"));
        assertThat(System.currentTimeMillis() - start).isBetween(900L, 6_000L);
        project.call().queryParam("wait", -1).body(Map.of("html", "x")).post("/v1/render-jobs").then()
                .statusCode(400);
    }

    private HttpResponse<Stream<String>> openStream(String jobId, String lastEventId) throws Exception {
        return Api.openEventStream(port, project.key(), jobId, lastEventId);
    }

    /**
     * Reads the stream to its end (it must end by itself): the {@code id:} and {@code event:} of each event. Every
     * line must be a field the SSE standard defines (or a comment).
     */
    private static List<String[]> readToEnd(HttpResponse<Stream<String>> response) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<String[]> events = new ArrayList<>();
            String[] current = new String[2];
            response.body().forEach(line -> {
                if (!line.isEmpty() && !line.matches("(id|event|data|retry)?:.*")) {
                    throw new IllegalStateException("not a server-sent event field: " + line);
                }
                if (line.startsWith("id:")) {
                    current[0] = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    current[1] = line.substring(6).trim();
                } else if (line.startsWith("data:") && current[1] == null) {
                    int type = line.indexOf("\"type\":\"");
                    current[1] = line.substring(type + 8, line.indexOf('"', type + 8));
                } else if (line.isEmpty() && current[1] != null) {
                    events.add(current.clone());
                    current[0] = null;
                    current[1] = null;
                }
            });
            return events;
        }).get(60, TimeUnit.SECONDS);
    }

    @Test
    void theTimelineStreamsLiveAndClosesAfterTheTerminalEvent() throws Exception {
        String jobId = project.call().body(Map.of("html", "<p>live</p>", "options", Map.of("waitDelayMs", 1500)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        HttpResponse<Stream<String>> response = openStream(jobId, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String[]> events = readToEnd(response);
        assertThat(events).extracting(e -> e[1]).containsSubsequence("created", "queued", "rendering", "succeeded")
                .last().isEqualTo("succeeded");

        // resuming after "queued" replays only what came later
        String queuedId = events.stream().filter(e -> e[1].equals("queued")).findFirst().orElseThrow()[0];
        List<String[]> resumed = readToEnd(openStream(jobId, queuedId));
        assertThat(resumed).extracting(e -> e[1]).doesNotContain("created", "queued").contains("succeeded");

        // resuming after the terminal event: whatever came later (payload_purged) is sent, then the stream ends
        // instead of waiting for a terminal event that will never come again
        String terminalId = events.get(events.size() - 1)[0];
        assertThat(readToEnd(openStream(jobId, terminalId))).extracting(e -> e[1])
                .doesNotContain("created", "rendering", "succeeded");
    }

    @Test
    void aChangeCommittedByAnotherPodReachesTheStream() throws Exception {
        // changed "elsewhere" with plain SQL: the timeline insert notifies
        String jobId = jobOfNoRenderer();
        CompletableFuture<List<String[]>> events = streamInBackground(jobId);
        Thread.sleep(500);
        assertThat(events).isNotDone();
        commit(jobId, "cancelled", "SELECT 1");
        assertThat(events.get(10, TimeUnit.SECONDS)).extracting(e -> e[1]).containsExactly("cancelled");
    }

    /** Opens the job's live timeline and reads it to its end on another thread. */
    private CompletableFuture<List<String[]>> streamInBackground(String jobId) throws Exception {
        HttpResponse<Stream<String>> response = openStream(jobId, null);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readToEnd(response);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A job no renderer will touch (no command), for changes made "elsewhere" with plain SQL. */
    private String jobOfNoRenderer() {
        String jobId = "rj_elsewhere" + System.nanoTime();
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, inline_html, file_name, deadline_at)
                VALUES ($1, $2, 'queued', '<p>x</p>', 'x', now() + interval '1 hour')""")
                .execute(Tuple.of(jobId, project.id())).await().indefinitely();
        return jobId;
    }

    /** Moves the job to {@code status} with its timeline event, in one transaction after {@code first}. */
    private void commit(String jobId, String status, String first) {
        database.withTransaction(connection -> connection.query(first).execute()
                .chain(() -> connection.preparedQuery("UPDATE render_jobs SET status = $2 WHERE id = $1")
                        .execute(Tuple.of(jobId, status)))
                .chain(() -> connection.preparedQuery("INSERT INTO job_events (job_id, type) VALUES ($1, $2)")
                        .execute(Tuple.of(jobId, status))))
                .await().indefinitely();
    }

    @Test
    void aSyncWaitIsToldOfTheEndCommittedByAnotherPod() throws Exception {
        String jobId = jobOfNoRenderer();
        CompletableFuture<Boolean> ended = waits.untilTerminal(jobId, Duration.ofSeconds(60)).subscribeAsCompletionStage();
        commit(jobId, "rendering", "SELECT 1");
        Thread.sleep(500);
        assertThat(ended).as("a wait goes on through the job's other events").isNotDone();
        commit(jobId, "succeeded", "SELECT 1");
        assertThat(ended.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSyncWaitLooksAgainWhenTheNotificationConnectionDrops() throws Exception {
        String jobId = jobOfNoRenderer();
        CompletableFuture<Boolean> ended = waits.untilTerminal(jobId, Duration.ofSeconds(60)).subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(10)).until(watcher::listening);
        // the connection goes in the very transaction that ends the job: its notification is sent before this pod
        // can listen again, so only the look after the reconnect can answer the wait
        commit(jobId, "cancelled", NotificationConnection.DROP);
        assertThat(ended.get(15, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(watcher::listening);
    }

    @Test
    void aStreamLooksAgainWhenTheNotificationConnectionDrops() throws Exception {
        String jobId = jobOfNoRenderer();
        CompletableFuture<List<String[]>> events = streamInBackground(jobId);
        await().atMost(Duration.ofSeconds(10)).until(watcher::listening);
        commit(jobId, "cancelled", NotificationConnection.DROP);
        assertThat(events.get(15, TimeUnit.SECONDS)).extracting(e -> e[1]).containsExactly("cancelled");
        await().atMost(Duration.ofSeconds(10)).until(watcher::listening);
    }

    @Test
    void anotherProjectsStreamIs404() throws Exception {
        String jobId = project.call().body(Map.of("html", "<p>mine</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        project = Api.newProject();
        assertThat(openStream(jobId, null).statusCode()).isEqualTo(404);
    }

}
