package io.pressroom.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.EndlessReceiver;
import io.pressroom.testing.LogCapture;
import io.pressroom.testing.Metrics;
import io.pressroom.testing.WebhookReceiver;
import io.pressroom.testing.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Webhooks end to end, over real PostgreSQL, Kafka, S3 and Chromium, to a receiver on a local port: signed, with the
 * job record, retried after a failed try, filtered by event, and every try on the job's timeline.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENDER = Duration.ofSeconds(90);

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void aSucceededJobsWebhookArrivesOnceSignedWithTheJobRecord() throws Exception {
        String secret = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().path("secret");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String jobId = create(Map.of("html", "<h1>Hello {{name}}</h1>", "payload", Map.of("name", "Ada"),
                    "webhookUrl", receiver.url("/job")));
            awaitTerminal(jobId);
            // exactly one, and still one a while later
            await().atMost(RENDER).until(() -> receiver.received().size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> receiver.received().size() == 1);

            Received webhook = receiver.received().get(0);
            assertThat(webhook.header("content-type")).startsWith("application/json");
            assertThat(webhook.header("webhook-id")).startsWith("msg_");
            assertThat(Long.parseLong(webhook.header("webhook-timestamp")))
                    .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
            assertThat(webhook.header("webhook-signature")).startsWith("v1,");
            assertThat(webhook.signedWith(secret)).as("independent HMAC check").isTrue();
            new Webhook(secret).verify(webhook.body(), webhook.headers().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
            assertThat(webhook.signedWith(otherSecret())).isFalse();

            JsonNode body = JSON.readTree(webhook.body());
            assertThat(body.path("type").asText()).isEqualTo("job.succeeded");
            assertThat(body.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            JsonNode record = JSON.readTree(project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200)
                    .extract().asString());
            assertThat(body.path("data")).isEqualTo(record);
            assertThat(body.path("data").path("job").path("status").asText()).isEqualTo("succeeded");
            assertThat(body.path("data").path("pdf").path("id").asText()).startsWith("pdf_");

            List<Map<String, Object>> tries = webhookEvents(jobId, 1);
            assertThat(tries.get(0)).containsEntry("type", "webhook_delivered");
            assertThat(details(tries.get(0))).containsEntry("url", receiver.url("/job")).containsEntry("attempt", 1)
                    .containsEntry("statusCode", 200).containsEntry("event", "job.succeeded")
                    .containsEntry("webhookId", webhook.header("webhook-id"));
            List<String> types = timeline(jobId).getList("data.type");
            assertThat(types.indexOf("webhook_delivered")).isGreaterThan(types.indexOf("succeeded"));
        }
    }

    @Test
    void aReceiverThatFailsFirstGetsTheSameMessageAgainAndTheTimelineShowsBothTries() throws Exception {
        String secret = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().path("secret");
        double failedBefore = Metrics.sum("pressroom_webhook_tries_total", "outcome=\"failed\"");
        double deliveredBefore = Metrics.sum("pressroom_webhook_tries_total", "outcome=\"delivered\"");
        try (WebhookReceiver receiver = new WebhookReceiver(500)) {
            List<Map<String, Object>> tries = failedThenDelivered("<p>retry me</p>", receiver.url("/flaky"));
            Map<String, Object> failed = details(tries.get(0));
            assertThat(failed).containsEntry("attempt", 1).containsEntry("statusCode", 500)
                    .containsEntry("url", receiver.url("/flaky"));
            assertThat(failed.get("nextAttemptAt")).isInstanceOf(Number.class);
            Map<String, Object> delivered = details(tries.get(1));
            assertThat(delivered).containsEntry("attempt", 2).containsEntry("statusCode", 200);

            List<Received> received = receiver.received();
            assertThat(received).hasSize(2);
            assertThat(received.get(1).header("webhook-id")).isEqualTo(received.get(0).header("webhook-id"));
            assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
            assertThat(received).allSatisfy(r -> assertThat(r.signedWith(secret)).isTrue());
        }
        assertThat(Metrics.sum("pressroom_webhook_tries_total", "outcome=\"failed\"")).isGreaterThan(failedBefore);
        assertThat(Metrics.sum("pressroom_webhook_tries_total", "outcome=\"delivered\""))
                .isGreaterThan(deliveredBefore);
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeFailsThatTryAndGetsAnother() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver().answeringFirstAfter(Duration.ofSeconds(15))) {
            List<Map<String, Object>> tries = failedThenDelivered("<p>patience</p>", receiver.url("/slow"));
            Map<String, Object> failed = details(tries.get(0));
            // %test: pressroom.webhooks.timeout=2s, so the try ends long before the receiver's 15 s
            assertThat(failed).containsEntry("attempt", 1).doesNotContainKey("statusCode");
            assertThat(failed.get("error")).asString().isNotBlank();
            assertThat(((Number) tries.get(1).get("at")).longValue() - ((Number) tries.get(0).get("at")).longValue())
                    .isLessThan(10_000);
        }
    }

    /**
     * A receiver's answer is its status: a 200 whose body never ends is a delivered try, and the connection ends
     * with it. Before, the body was read to its end, which never came: the connection stayed open and the API pod
     * spent a core reading it, for every such try. Ending it is no error: Vert.x logged the reset of every answer
     * whose body was still coming (most answers with a body) at ERROR.
     */
    @Test
    void aReceiverWhoseBodyNeverEndsIsDeliveredAndItsConnectionEnded() throws Exception {
        try (EndlessReceiver receiver = new EndlessReceiver(); LogCapture logs = LogCapture.install()) {
            String jobId = create(Map.of("html", "<p>endless</p>", "webhookUrl", receiver.url("/endless")));
            awaitTerminal(jobId);
            assertThat(details(webhookEvents(jobId, 1).get(0))).containsEntry("statusCode", 200);
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.endedBySender() == 1);
            Thread.sleep(200); // the reset's news reaches the answer after the connection ends
            assertThat(logs.lines()).filteredOn(line -> line.logger().startsWith("io.vertx"))
                    .noneMatch(line -> line.record().getLevel().intValue() >= Level.WARNING.intValue());
        }
    }

    @Test
    void projectEndpointsGetOnlyTheEventsTheySubscribedTo() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String succeededOnly = endpoint(receiver.url("/succeeded"), List.of("job.succeeded"));
            String failedOnly = endpoint(receiver.url("/failed"), List.of("job.failed", "job.cancelled"));
            String everything = project.call().body(Map.of("url", receiver.url("/all"))).post("/v1/webhooks")
                    .then().statusCode(201).extract().path("secret");

            String good = create(Map.of("html", "<p>fine</p>"));
            String bad = create(Map.of("html", "<p>{{> header}}</p>")); // fails with template_error, not retried
            assertThat(awaitTerminal(good).getString("job.status")).isEqualTo("succeeded");
            assertThat(awaitTerminal(bad).getString("job.status")).isEqualTo("failed");
            webhookEvents(good, 2);
            webhookEvents(bad, 2);

            assertThat(receiver.received("/succeeded")).singleElement().satisfies(r -> {
                assertThat(r.signedWith(succeededOnly)).isTrue();
                assertThat(type(r)).isEqualTo("job.succeeded");
                assertThat(jobOf(r)).isEqualTo(good);
            });
            assertThat(receiver.received("/failed")).singleElement().satisfies(r -> {
                assertThat(r.signedWith(failedOnly)).isTrue();
                assertThat(type(r)).isEqualTo("job.failed");
                assertThat(jobOf(r)).isEqualTo(bad);
                assertThat(body(r).path("data").path("job").path("errorCode").asText())
                        .isEqualTo("template_error");
            });
            assertThat(receiver.received("/all")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.signedWith(everything)).isTrue())
                    .extracting(WebhookDeliveryTest::type).containsExactlyInAnyOrder("job.succeeded", "job.failed");
        }
    }

    @Test
    void aCancelledJobIsAnnouncedToItsOwnUrlAndToSubscribedEndpoints() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            endpoint(receiver.url("/succeeded"), List.of("job.succeeded"));
            endpoint(receiver.url("/cancelled"), List.of("job.cancelled"));
            String jobId = create(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 30000),
                    "webhookUrl", receiver.url("/job")));
            project.call().delete("/v1/render-jobs/" + jobId).then().statusCode(204);

            webhookEvents(jobId, 2);
            assertThat(receiver.received("/job")).singleElement().satisfies(r -> {
                assertThat(type(r)).isEqualTo("job.cancelled");
                assertThat(body(r).path("data").path("job").path("status").asText()).isEqualTo("cancelled");
            });
            assertThat(receiver.received("/cancelled")).singleElement()
                    .satisfies(r -> assertThat(jobOf(r)).isEqualTo(jobId));
            assertThat(receiver.received("/succeeded")).isEmpty();
        }
    }

    private String endpoint(String url, List<String> events) {
        return project.call().body(Map.of("url", url, "events", events)).post("/v1/webhooks").then().statusCode(201)
                .extract().path("secret");
    }

    private String create(Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    private JsonPath awaitTerminal(String jobId) {
        return await().atMost(RENDER).pollInterval(Duration.ofMillis(200))
                .until(() -> project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200).extract()
                        .jsonPath(), job -> List.of("succeeded", "failed", "cancelled").contains(job.getString("job.status")));
    }

    private JsonPath timeline(String jobId) {
        return project.call().get("/v1/render-jobs/" + jobId + "/events").then().statusCode(200).extract().jsonPath();
    }

    /** The job's webhook_* timeline events, once there are {@code count} of them. */
    /** Renders {@code html} with {@code url} as its webhook; the timeline must show a failed try, then a delivery. */
    private List<Map<String, Object>> failedThenDelivered(String html, String url) {
        String jobId = create(Map.of("html", html, "webhookUrl", url));
        awaitTerminal(jobId);
        List<Map<String, Object>> tries = webhookEvents(jobId, 2);
        assertThat(tries).extracting(event -> event.get("type")).containsExactly("webhook_failed",
                "webhook_delivered");
        return tries;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> event) {
        return (Map<String, Object>) event.get("details");
    }

    private List<Map<String, Object>> webhookEvents(String jobId, int count) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> timeline(jobId).<Map<String, Object>> getList("data").stream()
                        .filter(event -> event.get("type").toString().startsWith("webhook_")).toList(),
                        events -> events.size() >= count);
    }

    private static String type(Received received) {
        return body(received).path("type").asText();
    }

    private static String jobOf(Received received) {
        return body(received).path("data").path("job").path("id").asText();
    }

    private static JsonNode body(Received received) {
        try {
            return JSON.readTree(received.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String otherSecret() {
        return Api.newProject().call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().path("secret");
    }
}
