package io.pressroom.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.job.RenderFlowTest;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Management;
import io.pressroom.testing.Metrics;
import io.pressroom.testing.stack.InjectKafkaControl;
import io.pressroom.testing.stack.InjectPostgresControl;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Readiness means "this pod can do its job" (the tests run every role): PostgreSQL for the API, Chromium and an
 * assigned command consumer for the renderer. Kafka and S3 are reported in the {@code dependencies} group and as
 * {@code pressroom_dependency_up}, never in readiness: a Kafka outage leaves the API ready and accepting jobs (the
 * outbox keeps them). Health and metrics are served on the management interface only.
 */
@QuarkusTest
class ReadinessTest {

    private static final String READY = "/q/health/ready";
    private static final String DEPENDENCIES = "/q/health/group/dependencies";

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @InjectKafkaControl
    Consumer<Boolean> kafkaRunning;

    @Inject
    Pool database;

    @Test
    void readinessChecksWhatThePodNeedsAndTheDependenciesGroupChecksEverything() {
        Management.given().get(READY).then().statusCode(200)
                .body("status", equalTo("UP"),
                        "checks.name", hasItems("postgresql", "chromium", "render-commands"),
                        "checks.name", not(hasItem("kafka")),
                        "checks.name", not(hasItem("s3")));
        Management.given().get(DEPENDENCIES).then().statusCode(200)
                .body("status", equalTo("UP"), "checks.name", hasItems("postgresql", "kafka", "s3", "chromium"));
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String dependency : new String[] { "postgresql", "kafka", "s3", "chromium" }) {
                assertThat(Metrics.sum("pressroom_dependency_up", "dependency=\"" + dependency + "\"")).as(dependency)
                        .isEqualTo(1);
            }
        });
    }

    @Test
    void withoutPostgresThePodIsNotReady() {
        try {
            postgresRunning.accept(false);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get(READY).then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'postgresql' }.status", equalTo("DOWN")));
            Management.given().get(DEPENDENCIES).then().statusCode(503)
                    .body("checks.find { it.name == 'postgresql' }.status", equalTo("DOWN"),
                            "checks.find { it.name == 's3' }.status", equalTo("UP"),
                            "checks.find { it.name == 'kafka' }.status", equalTo("UP"));
            // liveness does not depend on PostgreSQL: a restart would not help
            Management.given().get("/q/health/live").then().statusCode(200);
        } finally {
            postgresRunning.accept(true);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get(READY).then()
                .statusCode(200).body("status", equalTo("UP")));
        Api.newProject().call().get("/v1/deploys").then().statusCode(200);
    }

    @Test
    void withoutKafkaTheApiStaysReadyAndAcceptsJobsWhileTheDependenciesGroupSaysWhy() {
        TestProject project = Api.newProject();
        String jobId;
        try {
            kafkaRunning.accept(false);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get(DEPENDENCIES).then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'kafka' }.status", equalTo("DOWN"),
                            "checks.find { it.name == 'postgresql' }.status", equalTo("UP"),
                            "checks.find { it.name == 's3' }.status", equalTo("UP")));
            Management.given().get(READY).then().statusCode(200).body("status", equalTo("UP"));
            // the outbox keeps the command until Kafka is back
            jobId = project.call().body(Map.of("html", "<p>accepted while Kafka was away</p>"))
                    .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Metrics.sum("pressroom_dependency_up", "dependency=\"kafka\"")).isZero());
            Management.given().get(READY).then().statusCode(200);
            // the stuck-outbox alert's gauge (refreshed every 15 s) counts a command Kafka refused from when it was
            // written, though each failed try moves its next try on (it used to start again with each try, and
            // stayed under some 40 s here). Rather than wait out the alert's 60 s, the test writes the command a
            // minute earlier once it has been tried: the gauge must pass 60 s within one refresh.
            String command = jobId;
            await().atMost(Duration.ofSeconds(30)).until(() -> database.preparedQuery(
                    "UPDATE outbox SET created_at = created_at - interval '1 minute' "
                            + "WHERE message_key = $1 AND attempts > 0 AND sent_at IS NULL")
                    .execute(Tuple.of(command)).await().indefinitely().rowCount() == 1);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                    Metrics.sum("pressroom_outbox_oldest_seconds")).isGreaterThan(60));
        } finally {
            kafkaRunning.accept(true);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Management.given().get(DEPENDENCIES).then()
                .statusCode(200));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Metrics.sum("pressroom_dependency_up", "dependency=\"kafka\"")).isEqualTo(1));
        assertThat(RenderFlowTest.awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
    }

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnlyAndSwaggerUiIsOff() {
        for (String path : new String[] { READY, "/q/health", "/q/health/live", DEPENDENCIES, "/q/metrics" }) {
            given().get(path).then().statusCode(404);
        }
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        // the OpenAPI document is the API's contract and stays with it; the UI is for the local run only
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths.'/v1/deploys'", notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(404);
        Management.given().get("/q/swagger-ui/").then().statusCode(404);
    }
}
