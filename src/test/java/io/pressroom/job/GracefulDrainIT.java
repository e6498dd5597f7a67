package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaServer;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;

/**
 * SIGTERM, as Kubernetes sends it in a rolling update, with a render in flight: the packaged application takes no
 * new command, lets the render finish and report, then exits; after the restart the job has succeeded on its first
 * attempt — no render was lost or repeated.
 */
class GracefulDrainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "pra_drain_admin_key";
    private static final Path LOG_DIR = Path.of(System.getProperty("pressroom.it.log-dir", "target/multipod"))
            .toAbsolutePath();

    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static S3Server s3;
    private static Map<String, String> config;

    @BeforeAll
    static void startStack() throws Exception {
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
        config = new LinkedHashMap<>(PressroomTestStack.config(postgres, kafka, s3));
        config.put("pressroom.admin-key", ADMIN_KEY);
        config.put("pressroom.downloads.signing-key", "sig_drain_signing_key");
    }

    @AfterAll
    static void stopStack() {
        Stack.closeAll(s3, kafka, postgres);
    }

    @Test
    void aRenderInFlightFinishesAndReportsBeforeTheProcessExits() throws Exception {
        String key;
        String jobId;
        try (AppProcess first = AppProcess.start("drain-1", config, LOG_DIR)) {
            first.awaitReady(Duration.ofSeconds(120));
            JsonNode project = first.call("POST", "/v1/projects", ADMIN_KEY, Map.of("name", "drain"), 201);
            key = first.call("POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                    Map.of("name", "drain"), 201).path("key").asText();
            jobId = first.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>drained</p>", "options",
                    Map.of("waitDelayMs", 4000)), 202).at("/job/id").asText();
            String id = jobId;
            await().atMost(Duration.ofSeconds(60)).until(() -> "rendering".equals(
                    first.call("GET", "/v1/render-jobs/" + id, key, null, 200).at("/job/status").asText()));

            first.requestStop();
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.tail(40)).isIn(0, 143);
            assertThat(first.tail(200)).contains("Draining");
        }
        try (AppProcess second = AppProcess.start("drain-2", config, LOG_DIR)) {
            second.awaitReady(Duration.ofSeconds(120));
            String id = jobId;
            JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                    () -> second.call("GET", "/v1/render-jobs/" + id, key, null, 200),
                    job -> List.of("succeeded", "failed", "cancelled").contains(job.at("/job/status").asText()));
            assertThat(done.at("/job/status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.at("/job/attempt").asInt()).isEqualTo(1);
            List<String> timeline = JSON.convertValue(second.call("GET", "/v1/render-jobs/" + id + "/events", key,
                    null, 200).findValuesAsText("type"), List.class);
            assertThat(timeline).doesNotContain("retry_scheduled", "failed");
        }
    }
}
