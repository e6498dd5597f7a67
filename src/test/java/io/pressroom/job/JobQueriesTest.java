package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.f4b6a3.ulid.Ulid;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Listing, acknowledging, cancelling and the timeline of jobs. */
@QuarkusTest
class JobQueriesTest {

    private static final String[] STATUSES = { "queued", "rendering", "succeeded", "failed", "cancelled" };

    @Inject
    Pool database;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    /** Inserts a finished-looking job straight into the table: listing does not need renders. */
    private String insertJob(Random random, long createdAt, String status) {
        String id = "rj_" + new Ulid(createdAt, randomBytes(random)).toString().toLowerCase(Locale.ROOT);
        database.preparedQuery("""
                INSERT INTO render_jobs (id, project_id, status, inline_html, file_name, business_key, requested_at,
                    acknowledged)
                VALUES ($1, $2, $3, '<p>x</p>', 'x', $4, to_timestamp($5 / 1000.0), $6)""")
                .execute(Tuple.of(id, project.id(), status, "bk-" + (createdAt % 3), createdAt,
                        random.nextBoolean()))
                .await().indefinitely();
        return id;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void cursorPagingSeesEveryJobOnceInOrderWhileJobsArrive() {
        long seed = Long.getLong("pressroom.test.seed", System.nanoTime());
        Random random = new Random(seed);
        String context = "seed " + seed + " (rerun with -Dpressroom.test.seed=" + seed + ")";
        long now = System.currentTimeMillis();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            existing.add(insertJob(random, now - 1_000_000 + random.nextInt(1_000_000),
                    STATUSES[random.nextInt(STATUSES.length)]));
        }
        existing.sort(Comparator.reverseOrder());

        for (String statusFilter : new String[] { null, "succeeded" }) {
            List<String> expected = statusFilter == null ? existing
                    : existing.stream().filter(id -> statusOf(id).equals(statusFilter)).toList();
            Set<String> seen = new LinkedHashSet<>();
            String cursor = null;
            do {
                int limit = 1 + random.nextInt(40);
                var request = project.call().queryParam("limit", limit);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                if (statusFilter != null) {
                    request.queryParam("status", statusFilter);
                }
                JsonPath page = request.get("/v1/render-jobs").then().statusCode(200).extract().jsonPath();
                List<String> ids = page.getList("data.id");
                assertThat(ids.size()).as(context).isLessThanOrEqualTo(limit);
                for (String id : ids) {
                    assertThat(seen.add(id)).as(context + ": %s seen twice", id).isTrue();
                }
                cursor = page.getString("nextCursor");
                // newer jobs arriving meanwhile must not disturb the pages still to come
                insertJob(random, System.currentTimeMillis(), "queued");
            } while (cursor != null);
            List<String> seenExisting = seen.stream().filter(expected::contains).toList();
            assertThat(seenExisting).as(context).containsExactlyElementsOf(expected);
            assertThat(seen).as(context).containsExactlyElementsOf(seenExisting);
        }
    }

    /** Pages rendering right now, from the renderer's Prometheus gauge. */
    private static double pagesBusy() {
        return Metrics.sum("pressroom_chromium_pool_busy");
    }

    private String statusOf(String id) {
        return database.preparedQuery("SELECT status FROM render_jobs WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getString("status");
    }

    @Test
    void filtersNarrowTheList() {
        Random random = new Random(7);
        long now = System.currentTimeMillis();
        String old = insertJob(random, now - 60_000, "failed");
        String recent = insertJob(random, now - 1_000, "succeeded");
        project.call().queryParam("status", "failed").get("/v1/render-jobs").then().statusCode(200)
                .body("data.id", equalTo(List.of(old)));
        project.call().queryParam("createdAfter", now - 30_000).get("/v1/render-jobs").then()
                .body("data.id", equalTo(List.of(recent)));
        project.call().queryParam("createdBefore", now - 30_000).get("/v1/render-jobs").then()
                .body("data.id", equalTo(List.of(old)));
        project.call().queryParam("businessKey", "bk-" + ((now - 1_000) % 3)).get("/v1/render-jobs").then()
                .body("data.id", hasItem(recent));
        project.call().queryParam("status", "processing").get("/v1/render-jobs").then().statusCode(400)
                .body("detail", startsWith("status"));
        project.call().queryParam("limit", 101).get("/v1/render-jobs").then().statusCode(400)
                .body("detail", startsWith("limit"));
        project.call().queryParam("limit", 0).get("/v1/render-jobs").then().statusCode(400);
        // values that do not convert are bad input, not "no such resource" (JAX-RS's 404)
        project.call().queryParam("limit", "ten").get("/v1/render-jobs").then().statusCode(400)
                .body("code", equalTo("invalid_request"), "detail", equalTo("limit: must be an integer"));
        project.call().queryParam("createdAfter", "yesterday").get("/v1/render-jobs").then().statusCode(400)
                .body("detail", equalTo("createdAfter: must be an integer"));
        // Boolean.valueOf would read these as false: the filter would silently select the other half
        for (String unclear : List.of("yes", "1", "TRUE ")) {
            project.call().queryParam("acknowledged", unclear).get("/v1/render-jobs").then().statusCode(400)
                    .body("detail", equalTo("acknowledged: must be true or false"));
        }
        project.call().queryParam("acknowledged", "FALSE").get("/v1/render-jobs").then().statusCode(200);
        // a cursor this API never handed out, decoding to NULs, which the database would refuse with a 500
        project.call().queryParam("cursor", "AAAAAAAA").get("/v1/render-jobs").then().statusCode(400)
                .body("detail", equalTo("cursor: is not a cursor returned by this API"));
        Api.newProject().call().get("/v1/render-jobs").then().statusCode(200).body("data.id", not(hasItem(old)));
    }

    @Test
    void acknowledgeCancelAndTimeline() {
        String done = project.call().body(Map.of("html", "<p>done</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, done).getBoolean("job.acknowledged")).isFalse();
        project.call().body(Map.of("acknowledged", true)).patch("/v1/render-jobs/" + done).then().statusCode(200)
                .body("job.acknowledged", equalTo(true));
        project.call().queryParam("acknowledged", true).get("/v1/render-jobs").then()
                .body("data.id", equalTo(List.of(done)));
        project.call().body(Map.of()).patch("/v1/render-jobs/" + done).then().statusCode(400)
                .body("detail", startsWith("acknowledged"));
        project.call().delete("/v1/render-jobs/" + done).then().statusCode(409)
                .contentType("application/problem+json");

        JsonPath timeline = project.call().get("/v1/render-jobs/" + done + "/events").then().statusCode(200)
                .extract().jsonPath();
        // the events written together (created and queued, the end and the purge) keep their order and details
        assertThat(timeline.<String> getList("data.type")).containsExactly("created", "queued", "rendering",
                "succeeded", "payload_purged");
        assertThat(timeline.<Long> getList("data.id", Long.class)).isSorted().doesNotHaveDuplicates();
        assertThat(timeline.getMap("data[0].details")).isEmpty();
        assertThat(timeline.getMap("data[1].details")).isEqualTo(Map.of("queue", "default"));
        assertThat(timeline.getLong("data[1].at")).isEqualTo(timeline.getLong("data[0].at"));
        assertThat(timeline.getInt("data[3].details.outputBytes")).isPositive();
        assertThat(timeline.getInt("data[4].attempt")).isEqualTo(timeline.getInt("data[3].attempt")).isEqualTo(1);
        assertThat(timeline.getLong("data[4].at")).isGreaterThanOrEqualTo(timeline.getLong("data[3].at"));

        String slow = project.call().body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 20000)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "rendering".equals(
                project.call().get("/v1/render-jobs/" + slow).then().extract().path("job.status")));
        await().atMost(Duration.ofSeconds(10)).until(() -> pagesBusy() > 0);
        long cancelledAt = System.currentTimeMillis();
        project.call().delete("/v1/render-jobs/" + slow).then().statusCode(204);
        project.call().delete("/v1/render-jobs/" + slow).then().statusCode(409);
        // the renderer stops the render well before its 20 s wait would end, and nothing is attached
        await().atMost(Duration.ofSeconds(12)).until(() -> pagesBusy() == 0);
        assertThat(System.currentTimeMillis() - cancelledAt).isLessThan(15_000);
        project.call().get("/v1/render-jobs/" + slow).then().body("job.status", equalTo("cancelled"))
                .body("output", equalTo(null));
        assertThat(project.call().get("/v1/render-jobs/" + slow + "/events").then().extract().jsonPath()
                .<String> getList("data.type")).contains("cancelled");
        Api.newProject().call().delete("/v1/render-jobs/" + slow).then().statusCode(404);
        Api.newProject().call().get("/v1/render-jobs/" + slow + "/events").then().statusCode(404);
    }

    /**
     * A job cancelled while its command waits behind busy pages is never rendered: the renderer reads the cancel first
     * and skips the command when its turn comes.
     */
    @Test
    void aJobCancelledBeforeItsTurnIsNeverRendered() {
        int capacity = (int) Metrics.sum("pressroom_chromium_pool_capacity");
        List<String> blockers = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            blockers.add(project.call().body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 30000)))
                    .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pagesBusy() == capacity);
        double skipped = Metrics.sum("pressroom_render_commands_total", "outcome=\"skipped\"");
        double cancels = Metrics.sum("pressroom_render_cancels_total");

        String waiting = project.call().body(Map.of("html", "<p>never rendered</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        // its command is on its way to the renderer, where no page is free
        await().atMost(Duration.ofSeconds(10)).until(() -> commandSent(waiting));
        project.call().delete("/v1/render-jobs/" + waiting).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("pressroom_render_cancels_total") > cancels);

        for (String blocker : blockers) {
            project.call().delete("/v1/render-jobs/" + blocker).then().statusCode(204);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.sum("pressroom_render_commands_total", "outcome=\"skipped\"") == skipped + 1);
        project.call().get("/v1/render-jobs/" + waiting).then().body("job.status", equalTo("cancelled"))
                .body("output", equalTo(null));
        assertThat(project.call().get("/v1/render-jobs/" + waiting + "/events").then().extract().jsonPath()
                .<String> getList("data.type")).contains("cancelled").doesNotContain("rendering");
    }

    private boolean commandSent(String jobId) {
        return database.preparedQuery("SELECT 1 FROM outbox WHERE topic LIKE 'pressroom.render.commands.%'"
                + " AND payload->>'jobId' = $1 AND sent_at IS NOT NULL").execute(Tuple.of(jobId))
                .await().indefinitely().size() > 0;
    }
}
