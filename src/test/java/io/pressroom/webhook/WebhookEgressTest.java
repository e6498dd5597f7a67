package io.pressroom.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The egress policy as shipped: no allow-list, so a canary receiver on loopback must get nothing, whichever
 * notation a URL uses for it, whether refused at creation or (for a URL that got into the database anyway) at send
 * time. Only loopback is ever contacted; other addresses are refused before anything is sent.
 */
@QuarkusTest
@TestProfile(WebhookEgressTest.NoAllowList.class)
class WebhookEgressTest {

    public static class NoAllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pressroom.webhooks.allow", "");
        }
    }

    @Inject
    Pool database;

    private TestProject project;
    private WebhookReceiver canary;

    @BeforeEach
    void setUp() throws Exception {
        project = Api.newProject();
        canary = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        canary.close();
    }

    @Test
    void internalAddressesAreRefusedAtCreationInEveryNotation() {
        int port = port();
        List<String> refused = List.of(
                "http://127.0.0.1:" + port + "/canary",
                "http://[::1]:" + port + "/canary",
                "http://0x7f000001:" + port + "/canary",
                "http://2130706433:" + port + "/canary",
                "http://0177.0.0.1:" + port + "/canary",
                "http://127.1:" + port + "/canary",
                "http://[::ffff:127.0.0.1]:" + port + "/canary",
                "http://[0:0:0:0:0:ffff:7f00:1]:" + port + "/canary",
                "http://localhost:" + port + "/canary",
                "http://api.localhost:" + port + "/canary",
                "http://0.0.0.0:" + port + "/canary",
                "http://169.254.169.254/latest/meta-data/",
                "http://[fe80::1]/",
                "http://10.0.0.1/",
                "http://172.16.0.1/",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://[fd00::1]/",
                "http://224.0.0.1/",
                "http://255.255.255.255/",
                "http://[64:ff9b::a9fe:a9fe]/");
        for (String url : refused) {
            project.call().body(Map.of("url", url)).post("/v1/webhooks").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("invalid_request"), "detail", startsWith("url: must not point to "));
            project.call().body(Map.of("html", "<p>x</p>", "webhookUrl", url)).post("/v1/render-jobs").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("invalid_request"), "detail", startsWith("webhookUrl: must not point to "));
        }
        project.call().body(Map.of("url", "http://127.0.0.1:" + port + "/canary")).post("/v1/webhooks").then()
                .body("detail", equalTo("url: must not point to a loopback address (127.0.0.1)"));
        project.call().body(Map.of("url", "http://169.254.169.254/")).post("/v1/webhooks").then()
                .body("detail", equalTo("url: must not point to a link-local address (169.254.169.254)"));
        project.call().body(Map.of("url", "http://256.0.0.1/")).post("/v1/webhooks").then().statusCode(400)
                .body("detail", equalTo("url: must be an absolute http(s) URL"));
        // nothing was made: no endpoint, no job
        project.call().get("/v1/webhooks").then().statusCode(200).body("data", equalTo(List.of()));
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data", equalTo(List.of()));
        assertThat(canary.received()).isEmpty();
    }

    @Test
    void aLoopbackUrlThatGotInIsRefusedAtSendAndNotRetried() {
        // as if allowed when made (the allow-list changed since, or the name now resolves elsewhere)
        execute("""
                INSERT INTO webhook_endpoints (id, project_id, url, events, secret)
                VALUES ($1, $2, $3, ARRAY['job.succeeded', 'job.failed', 'job.cancelled'], $4)""",
                "wh_egress" + System.nanoTime(), project.id(), canary.url("/endpoint"),
                "whsec_MJY//3EwsVzfaYhmHS0qf8tuS8NPTne8jwulxSG2R0c=");
        String jobId = project.call().body(Map.of("html", "<p>egress</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");

        List<Map<String, Object>> failed = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> timeline(jobId).getList("data.findAll { it.type == 'webhook_failed' }.details"),
                        tries -> !tries.isEmpty());
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0)).containsEntry("error", "address_refused").containsEntry("attempt", 1)
                .containsEntry("nextAttemptAt", null).doesNotContainKey("statusCode");
        // not tried again, and the canary heard nothing
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(
                () -> timeline(jobId).getList("data.findAll { it.type.startsWith('webhook_') }").size() == 1);
        assertThat(canary.received()).isEmpty();
        Long abandoned = database.preparedQuery(
                "SELECT count(*) FROM webhook_deliveries WHERE job_id = $1 AND abandoned_at IS NOT NULL "
                        + "AND next_attempt_at IS NULL AND last_error = 'address_refused'")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next().getLong(0);
        assertThat(abandoned).isEqualTo(1);
    }

    private JsonPath timeline(String jobId) {
        return project.call().get("/v1/render-jobs/" + jobId + "/events").then().statusCode(200).extract()
                .jsonPath();
    }

    private int port() {
        String url = canary.url("/");
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.length() - 1));
    }

    private void execute(String sql, Object... parameters) {
        database.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely();
    }
}
