package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/** The job and render metrics an operator's dashboard and alerts are built on, as Prometheus shows them. */
@QuarkusTest
class JobMetricsTest {

    private static final String SUCCEEDED = "status=\"succeeded\"";
    private static final String TEMPLATE_ERROR = "code=\"template_error\"";

    @Test
    void jobsAndRendersAreCountedAndTimed() {
        TestProject project = Api.newProject();
        double created = Metrics.sum("pressroom_jobs_created_total", "queue=\"default\"");
        double succeeded = Metrics.sum("pressroom_jobs_finished_total", SUCCEEDED, "code=\"none\"");
        double failed = Metrics.sum("pressroom_jobs_finished_total", "status=\"failed\"", TEMPLATE_ERROR);
        double durations = Metrics.sum("pressroom_jobs_duration_seconds_count", SUCCEEDED);
        double renders = Metrics.sum("pressroom_render_duration_seconds_count", "outcome=\"succeeded\"");
        double queueWaits = Metrics.sum("pressroom_render_queue_wait_seconds_count");

        String good = project.call().body(Map.of("html", "<p>counted</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        String bad = project.call().body(Map.of("html", "<p>{{> missing}}</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        // an idempotent replay is not a new job
        project.call().header("Idempotency-Key", "metrics-1").body(Map.of("html", "<p>once</p>"))
                .post("/v1/render-jobs").then().statusCode(202);
        project.call().header("Idempotency-Key", "metrics-1").body(Map.of("html", "<p>once</p>"))
                .post("/v1/render-jobs").then().statusCode(202);
        awaitTerminal(project, good);
        awaitTerminal(project, bad);

        assertThat(Metrics.sum("pressroom_jobs_created_total", "queue=\"default\"")).isEqualTo(created + 3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Metrics.sum("pressroom_jobs_finished_total", SUCCEEDED, "code=\"none\""))
                    .isGreaterThanOrEqualTo(succeeded + 1);
            assertThat(Metrics.sum("pressroom_jobs_finished_total", "status=\"failed\"", TEMPLATE_ERROR))
                    .isEqualTo(failed + 1);
            assertThat(Metrics.sum("pressroom_jobs_duration_seconds_count", SUCCEEDED))
                    .isGreaterThanOrEqualTo(durations + 1);
            assertThat(Metrics.sum("pressroom_render_duration_seconds_count", "outcome=\"succeeded\""))
                    .isGreaterThanOrEqualTo(renders + 1);
            assertThat(Metrics.sum("pressroom_render_queue_wait_seconds_count")).isGreaterThanOrEqualTo(queueWaits + 2);
        });
        // histograms, so that a dashboard can show percentiles across pods
        assertThat(Metrics.sum("pressroom_render_duration_seconds_bucket", "outcome=\"succeeded\"", "le=\"+Inf\""))
                .isGreaterThanOrEqualTo(renders + 1);
    }

    @Test
    void theOutboxBacklogIsMeasured() {
        // nothing waits for long in a healthy system: the gauges are there and near zero
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Metrics.text())
                    .contains("pressroom_outbox_backlog", "pressroom_outbox_oldest_seconds");
            assertThat(Metrics.sum("pressroom_outbox_oldest_seconds")).isLessThan(10);
        });
    }
}
