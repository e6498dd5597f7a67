package io.pressroom.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.WebhookReceiver;
import io.pressroom.testing.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Webhook secrets on the real stack: stored encrypted in PostgreSQL, and an endpoint's secret rotated with an overlap
 * window in which a receiver on loopback can verify each webhook with the old secret and with the new one.
 */
@QuarkusTest
class WebhookSecretRotationTest {

    private static final Duration RENDER = Duration.ofSeconds(90);

    @Inject
    Pool database;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void endpointAndJobSecretsAreStoredEncrypted() {
        JsonPath created = project.call().body(Map.of("url", "http://127.0.0.1:9/never")).post("/v1/webhooks")
                .then().statusCode(201).extract().jsonPath();
        String endpointId = created.getString("id");
        String endpointSecret = created.getString("secret");
        String jobSecret = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract()
                .path("secret");

        assertThat(column("SELECT secret FROM webhook_endpoints WHERE id = $1", endpointId))
                .startsWith("v1:1:").doesNotContain(endpointSecret.substring(6));
        assertThat(column("SELECT job_webhook_secret FROM projects WHERE id = $1", project.id()))
                .startsWith("v1:1:").doesNotContain(jobSecret.substring(6));
        // read back (decrypted) the same on every ask
        assertThat(project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().<String> path(
                "secret")).isEqualTo(jobSecret);
    }

    @Test
    void duringTheOverlapWebhooksVerifyWithTheOldAndTheNewSecretThenOnlyWithTheNew() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonPath created = project.call().body(Map.of("url", receiver.url("/rotated"), "events",
                    List.of("job.succeeded"))).post("/v1/webhooks").then().statusCode(201).extract().jsonPath();
            String endpointId = created.getString("id");
            String oldSecret = created.getString("secret");

            long before = System.currentTimeMillis();
            JsonPath rotated = project.call().post("/v1/webhooks/" + endpointId + "/rotate-secret").then()
                    .statusCode(200).extract().jsonPath();
            String newSecret = rotated.getString("secret");
            assertThat(rotated.getString("id")).isEqualTo(endpointId);
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            // %test keeps the default overlap, 24 h
            assertThat(rotated.getLong("previousSecretExpiresAt")).isBetween(before + Duration.ofHours(24).toMillis()
                    - 5_000, System.currentTimeMillis() + Duration.ofHours(24).toMillis() + 5_000);
            assertThat(column("SELECT secret FROM webhook_endpoints WHERE id = $1", endpointId)).startsWith("v1:1:")
                    .doesNotContain(newSecret.substring(6));
            assertThat(column("SELECT previous_secret FROM webhook_endpoints WHERE id = $1", endpointId))
                    .startsWith("v1:1:").doesNotContain(oldSecret.substring(6));
            // the secret is shown once: neither the endpoint nor the list shows it
            assertThat(project.call().get("/v1/webhooks/" + endpointId).then().statusCode(200).extract().asString())
                    .doesNotContain(newSecret).doesNotContain(oldSecret);

            Received during = deliveredFor(receiver, 1);
            assertThat(during.header("webhook-signature").split(" ")).hasSize(2)
                    .allSatisfy(signature -> assertThat(signature).startsWith("v1,"));
            assertThat(during.signedWith(oldSecret)).as("old secret, independent HMAC").isTrue();
            assertThat(during.signedWith(newSecret)).as("new secret, independent HMAC").isTrue();
            verifyWithLibrary(oldSecret, during);
            verifyWithLibrary(newSecret, during);

            // the window ends: only the new secret signs
            database.preparedQuery("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' "
                    + "WHERE id = $1").execute(Tuple.of(endpointId)).await().indefinitely();
            Received after = deliveredFor(receiver, 2);
            assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
            assertThat(after.signedWith(newSecret)).isTrue();
            assertThat(after.signedWith(oldSecret)).isFalse();
            verifyWithLibrary(newSecret, after);
        }
    }

    @Test
    void theJobSecretRotatesWithTheSameOverlap() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String oldSecret = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract()
                    .path("secret");
            long before = System.currentTimeMillis();
            JsonPath rotated = project.call().post("/v1/webhooks/job-secret/rotate").then().statusCode(200)
                    .extract().jsonPath();
            String newSecret = rotated.getString("secret");
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            assertThat(rotated.getLong("previousSecretExpiresAt")).isBetween(before + Duration.ofHours(24).toMillis()
                    - 5_000, System.currentTimeMillis() + Duration.ofHours(24).toMillis() + 5_000);
            assertThat(project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().<String> path(
                    "secret")).isEqualTo(newSecret);
            assertThat(column("SELECT job_webhook_previous_secret FROM projects WHERE id = $1", project.id()))
                    .startsWith("v1:1:").doesNotContain(oldSecret.substring(6));

            Received during = jobWebhook(receiver, 1);
            assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(during.signedWith(oldSecret)).as("old secret").isTrue();
            assertThat(during.signedWith(newSecret)).as("new secret").isTrue();
            verifyWithLibrary(oldSecret, during);
            verifyWithLibrary(newSecret, during);

            database.preparedQuery("UPDATE projects SET job_webhook_previous_secret_until = now() - interval "
                    + "'1 second' WHERE id = $1").execute(Tuple.of(project.id())).await().indefinitely();
            Received after = jobWebhook(receiver, 2);
            assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
            assertThat(after.signedWith(newSecret)).isTrue();
            assertThat(after.signedWith(oldSecret)).isFalse();
        }
    }

    @Test
    void aFirstRotationOfTheJobSecretHasNoPreviousOneAndOtherProjectsKeepTheirs() {
        String othersSecret = Api.newProject().call().get("/v1/webhooks/job-secret").then().statusCode(200)
                .extract().path("secret");
        JsonPath rotated = project.call().post("/v1/webhooks/job-secret/rotate").then().statusCode(200).extract()
                .jsonPath();
        assertThat(rotated.getMap("")).containsOnlyKeys("secret");
        assertThat(column("SELECT job_webhook_previous_secret FROM projects WHERE id = $1", project.id())).isNull();
        assertThat(othersSecret).isNotEqualTo(rotated.getString("secret"));
    }

    @Test
    void onlyTheProjectsOwnEndpointsCanBeRotated() {
        String endpointId = project.call().body(Map.of("url", "http://127.0.0.1:9/never")).post("/v1/webhooks")
                .then().statusCode(201).extract().path("id");
        String stored = column("SELECT secret FROM webhook_endpoints WHERE id = $1", endpointId);

        Api.newProject().call().post("/v1/webhooks/" + endpointId + "/rotate-secret").then().statusCode(404)
                .contentType("application/problem+json");
        project.call().post("/v1/webhooks/wh_doesnotexist/rotate-secret").then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(column("SELECT secret FROM webhook_endpoints WHERE id = $1", endpointId)).isEqualTo(stored);
        assertThat(column("SELECT previous_secret FROM webhook_endpoints WHERE id = $1", endpointId)).isNull();
    }

    /** Renders a job, then waits for the {@code count}th webhook at the receiver; returns it. */
    private Received deliveredFor(WebhookReceiver receiver, int count) {
        String jobId = project.call().body(Map.of("html", "<p>rotation " + count + "</p>")).post("/v1/render-jobs")
                .then().statusCode(202).extract().path("job.id");
        await().atMost(RENDER).pollInterval(Duration.ofMillis(200)).until(() -> receiver.received().size() >= count);
        Received received = receiver.received().get(count - 1);
        assertThat(received.body()).contains(jobId);
        return received;
    }

    /** Renders a job with its own webhookUrl, then waits for the {@code count}th webhook at the receiver. */
    private Received jobWebhook(WebhookReceiver receiver, int count) {
        String jobId = project.call().body(Map.of("html", "<p>job secret " + count + "</p>", "webhookUrl",
                receiver.url("/job"))).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        await().atMost(RENDER).pollInterval(Duration.ofMillis(200)).until(() -> receiver.received().size() >= count);
        Received received = receiver.received().get(count - 1);
        assertThat(received.body()).contains(jobId);
        return received;
    }

    private static void verifyWithLibrary(String secret, Received received) throws Exception {
        new Webhook(secret).verify(received.body(), received.headers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
    }

    private String column(String sql, String parameter) {
        Row row = database.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next();
        return row.getString(0);
    }
}
